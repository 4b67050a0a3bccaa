import API
import Foundation
import Hummingbird
import MultipartKit
import NIOCore
import Rendering
import Registration

/// The pages, server-rendered and working without JavaScript, Chinese unless `?lang=en` or Accept-Language
/// asks otherwise: the public look-up (`/lookup`), a certificate's page (`/verify/{no}`), and HR's log-in,
/// upload with its dry run row by row, confirmation, errors report and roster (`/hr`). Every form carries a
/// CSRF token; the session cookie is HttpOnly and SameSite=Strict (and Secure under TLS).
struct Pages {
    let door: Door

    static let loginCSRFCookie = "regctl_login_csrf"
    /// The largest file HR's page takes (larger files go through the API or `regctl import`, streamed).
    static let keptUploadLimit = 64 << 20
    static let csrfRefusal = Problem(
        RegctlError(
            "http.csrf", "the form's token does not match your session: reload the page and send it again",
            status: .usage))

    /// The session's CSRF token must come with every change a browser could be made to send: a page's form
    /// field, or the API's `X-CSRF-Token` header when the session is the cookie's. One check for every door.
    static func requireCSRF(_ sent: String?, of session: StaffSession) throws {
        guard Tokens.equal(sent ?? "", session.csrf) else { throw Pages.csrfRefusal }
    }

    /// Whether a request is for a page (an error is answered as a page then, not as JSON).
    static func isPage(_ request: Request) -> Bool {
        let path = request.uri.path
        return
            !(path.hasPrefix("/api/") || path == "/openapi.json" || path == "/metrics" || path == "/healthz"
            || path == "/readyz")
    }

    func add(to router: Router<DoorContext>) {
        router.get("/") { _, _ in Response.redirect(to: "/lookup", type: .normal) }
        router.get("/static/site.css") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(string: Pages.css)))
        }
        router.get("/lookup") { request, context in try await lookupPage(request, context) }
        router.get("/verify/:certificate") { request, context in
            try await verifyPage(try context.parameters.require("certificate"), request, context)
        }
        router.get("/login") { request, _ in loginPage(request, failure: nil) }
        router.post("/login") { request, context in try await loginForm(request, context) }
        router.post("/logout") { request, _ in try await logoutForm(request) }
        router.get("/hr") { request, _ in try await hrHome(request) }
        router.post("/hr/upload") { request, _ in try await hrUpload(request) }
        router.post("/hr/confirm") { request, _ in try await hrConfirm(request) }
        router.get("/hr/errors/:id") { request, context in
            try await hrErrors(try context.parameters.require("id"), request)
        }
        router.get("/hr/roster") { request, _ in try await hrRoster(request) }
    }

    // MARK: - Words

    struct Words {
        let language: Language
        func callAsFunction(_ zh: String, _ en: String) -> String { language == .zh ? zh : en }
    }

    // MARK: - Public

    func lookupPage(_ request: Request, _ context: DoorContext) async throws -> Response {
        let language = door.language(request)
        let w = Words(language: language)
        let query = Form(query: request.uri.query)
        let kind = query["kind"] ?? "physician"
        var results = ""
        let asked = ["name", "certificate", "uscc"].contains { !(query[$0] ?? "").isEmpty }
        if asked {
            try door.limitPublic(request, context)
            door.publicLookups.increment()
            let command: String
            switch kind {
            case "nurse": command = LookupNurse.name
            case "institution": command = LookupInstitution.name
            default: command = LookupPhysician.name
            }
            var arguments = Arguments()
            for key in ["name", "region", "certificate", "uscc"] {
                if let v = query[key], !v.isEmpty { arguments[key] = .string(v) }
            }
            if command == LookupPhysician.name, arguments["certificate"] != nil { arguments["name"] = nil }
            do {
                let chosen = arguments
                let output = try await door.withPublicStore { try Handler(store: $0).executePublic(command, chosen) }
                results = resultsHTML(output, language)
            } catch {
                let problem = Problem.from(error)
                if problem.status == .tooManyRequests || problem.status == .serviceUnavailable { throw problem }
                results = "<p class=\"problem\">\(problemText(problem, language))</p>"
            }
        }
        func selected(_ k: String) -> String { kind == k ? " selected" : "" }
        let body = """
            <form method="get" action="/lookup" class="lookup">
            <input type="hidden" name="lang" value="\(language.rawValue)">
            <label>\(w("查询类别", "Kind")) <select name="kind">
            <option value="physician"\(selected("physician"))>\(w("医师", "Physician"))</option>
            <option value="nurse"\(selected("nurse"))>\(w("护士", "Nurse"))</option>
            <option value="institution"\(selected("institution"))>\(w("医疗机构", "Institution"))</option>
            </select></label>
            <label>\(w("姓名或机构名称", "Name")) <input name="name" maxlength="100" value="\(HTMLPage.escape(query["name"] ?? ""))"></label>
            <label>\(w("行政区划代码", "Region code")) <input name="region" maxlength="6" size="8" value="\(HTMLPage.escape(query["region"] ?? ""))"></label>
            <label>\(w("执业证书编码（医师）", "Certificate no. (physicians)")) <input name="certificate" maxlength="15" size="17" value="\(HTMLPage.escape(query["certificate"] ?? ""))"></label>
            <label>\(w("统一社会信用代码（机构）", "Credit code (institutions)")) <input name="uscc" maxlength="18" size="20" value="\(HTMLPage.escape(query["uscc"] ?? ""))"></label>
            <button type="submit">\(w("查询", "Search"))</button>
            </form>
            <p class="hint">\(w("公开信息：注册和执业地点、公开的信用记录（行政处罚和黑名单）。不显示身份证号和出生日期。",
                "Public record: where a person is registered and practises, and public credit records (penalties and blacklist). Never an ID number or a birth date."))</p>
            \(results)
            """
        return page(w("医师、护士和医疗机构信息查询", "Physician, nurse and institution lookup"), body, language, request)
    }

    func verifyPage(_ certificate: String, _ request: Request, _ context: DoorContext) async throws -> Response {
        let language = door.language(request)
        let w = Words(language: language)
        try door.limitPublic(request, context)
        door.publicLookups.increment()
        var results: String
        do {
            let output = try await door.withPublicStore {
                try Handler(store: $0).executePublic(
                    LookupPhysician.name, Arguments(["certificate": .string(certificate)]))
            }
            results =
                "<p class=\"verified\">\(w("该执业证书已登记。", "This practice certificate is on the register."))</p>"
                + resultsHTML(output, language)
        } catch {
            let problem = Problem.from(error)
            if problem.status == .tooManyRequests || problem.status == .serviceUnavailable { throw problem }
            results = "<p class=\"problem\">\(problemText(problem, language))</p>"
        }
        return page(w("执业证书核验", "Certificate check"), results, language, request)
    }

    func resultsHTML(_ output: CommandOutput, _ language: Language) -> String {
        let shown = Vocabulary.catalogue(language).localize(output)
        guard case .report(let report) = shown.body else {
            return HTMLPage.table(shown.table ?? ResultTable(columns: [], rows: []))
        }
        return HTMLPage.reportBody(report)
    }

    func problemText(_ problem: Problem, _ language: Language) -> String {
        let e = problem.error
        return HTMLPage.escape(
            Vocabulary.catalogue(language).message(code: e.code, english: e.message, chinese: e.chinese))
            + " <code>\(HTMLPage.escape(e.code))</code>"
    }

    func problemPage(_ problem: Problem, _ request: Request) -> Response {
        let language = door.language(request)
        let w = Words(language: language)
        var response = page(
            w("无法完成", "Could not be done"),
            "<p class=\"problem\">\(problemText(problem, language))</p>"
                + "<p><a href=\"/lookup?lang=\(language.rawValue)\">\(w("返回查询", "Back to the lookup"))</a></p>",
            language,
            request, status: problem.status)
        if let retry = problem.retryAfter { response.headers[.retryAfter] = String(retry) }
        return response
    }

    // MARK: - Staff

    func loginPage(_ request: Request, failure: String?) -> Response {
        let language = door.language(request)
        let w = Words(language: language)
        let csrf = Tokens.make()
        let body = """
            \(failure.map { "<p class=\"problem\">\($0)</p>" } ?? "")
            <form method="post" action="/login?lang=\(language.rawValue)" class="login">
            <input type="hidden" name="csrf" value="\(csrf)">
            <label>\(w("账号", "Account")) <input name="id" autocomplete="username" required maxlength="63"></label>
            <label>\(w("密码", "Password")) <input name="password" type="password" autocomplete="current-password" required></label>
            <button type="submit">\(w("登录", "Log in"))</button>
            </form>
            """
        var response = page(w("工作人员登录", "Staff login"), body, language, request)
        response.setCookie(cookie(Pages.loginCSRFCookie, csrf, maxAge: 3600))
        return response
    }

    func loginForm(_ request: Request, _ context: DoorContext) async throws -> Response {
        let form = Form(body: try await door.smallBody(request, limit: 8192))
        guard let sent = form["csrf"], let kept = request.cookies[Pages.loginCSRFCookie]?.value,
            Tokens.equal(sent, kept)
        else { throw Pages.csrfRefusal }
        do {
            let opened = try await Sessions(door: door).open(
                account: form["id"] ?? "", password: form["password"] ?? "", address: door.address(request, context))
            var response = Response.redirect(to: "/hr?lang=\(door.language(request).rawValue)", type: .normal)
            response.setCookie(cookie(Credentials.cookie, opened.token, maxAge: nil))
            response.setCookie(cookie(Pages.loginCSRFCookie, "", maxAge: 0))
            return response
        } catch let p as Problem where p.status == .unauthorized {
            var response = loginPage(request, failure: problemText(p, door.language(request)))
            response.status = .unauthorized
            return response
        }
    }

    func logoutForm(_ request: Request) async throws -> Response {
        let form = Form(body: try await door.smallBody(request, limit: 8192))
        if let token = request.cookies[Credentials.cookie]?.value, Tokens.wellFormed(token) {
            try await door.pool.withStore { [door] store in
                if let session = try store.session(token: token, idleSeconds: door.options.sessionIdleSeconds) {
                    try Pages.requireCSRF(form["csrf"], of: session)
                    try store.endSession(token: token)
                }
            }
        }
        var response = Response.redirect(to: "/lookup?lang=\(door.language(request).rawValue)", type: .normal)
        response.setCookie(cookie(Credentials.cookie, "", maxAge: 0))
        return response
    }

    /// The session of a page's request, or nil (the page then leads to the login).
    func pageSession(_ request: Request) async throws -> StaffSession? {
        guard let token = request.cookies[Credentials.cookie]?.value, Tokens.wellFormed(token) else { return nil }
        let idle = door.options.sessionIdleSeconds
        return try await door.pool.withStore { try $0.session(token: token, idleSeconds: idle) }
    }

    func toLogin(_ request: Request) -> Response {
        Response.redirect(to: "/login?lang=\(door.language(request).rawValue)", type: .normal)
    }

    func hrHome(_ request: Request) async throws -> Response {
        guard let session = try await pageSession(request) else { return toLogin(request) }
        let language = door.language(request)
        let w = Words(language: language)
        let body = """
            <p>\(w("当前账号", "Signed in as")) <b>\(HTMLPage.escape(session.account))</b></p>
            <h2>\(w("上传批量文件（先试运行，确认后提交）", "Upload a batch (a dry run first, then confirm)"))</h2>
            <form method="post" action="/hr/upload?lang=\(language.rawValue)" enctype="multipart/form-data" class="upload">
            <input type="hidden" name="csrf" value="\(session.csrf)">
            <label>\(w("文件类型", "Kind")) <select name="kind">
            <option value="contracts">\(w("多点执业合同（备案）", "Contracts (filings)"))</option>
            <option value="registrations">\(w("注册申请", "Registrations"))</option>
            <option value="leaves">\(w("离岗", "Leaves"))</option>
            </select></label>
            <label>\(w("文件（Excel .xlsx 或 CSV）", "File (Excel .xlsx or CSV)")) <input type="file" name="file" required accept=".xlsx,.csv"></label>
            <button type="submit">\(w("试运行", "Dry run"))</button>
            </form>
            <p><a href="/hr/roster?lang=\(language.rawValue)">\(w("本机构在岗人员名册", "The institution's roster"))</a></p>
            \(logoutButton(session, language))
            """
        return page(w("人事批量办理", "HR batches"), body, language, request)
    }

    func logoutButton(_ session: StaffSession, _ language: Language) -> String {
        let w = Words(language: language)
        return """
            <form method="post" action="/logout?lang=\(language.rawValue)" class="logout">
            <input type="hidden" name="csrf" value="\(session.csrf)"><button type="submit">\(w("退出登录", "Log out"))</button>
            </form>
            """
    }

    /// The upload form: the file streamed (multipart, parsed as it arrives) to a private temporary file,
    /// the CSRF token checked, then a dry run shown row by row, the file kept for the confirmation.
    func hrUpload(_ request: Request) async throws -> Response {
        guard let session = try await pageSession(request) else { return toLogin(request) }
        let language = door.language(request)
        // The page's upload is kept in the database until it is confirmed (read whole to store it): a smaller
        // bound than the API's streamed imports, so that a page cannot make the server hold half a gigabyte.
        let upload = try await MultipartUpload.receive(
            request, limit: min(door.options.uploadLimit, Pages.keptUploadLimit),
            timeout: door.options.bodyTimeoutSeconds)
        defer { unlink(upload.path) }
        try Pages.requireCSRF(upload.fields["csrf"], of: session)
        let kind = upload.fields["kind"] ?? ""
        guard ["contracts", "registrations", "leaves"].contains(kind) else {
            throw Problem(
                RegctlError("input.value", "choose contracts, registrations or leaves", status: .usage, field: "kind"))
        }
        var options = try Uploads.options(kind: kind, path: upload.path, query: .init())
        options.dryRun = true
        let name = upload.fileName ?? "upload"
        let result = try await Uploads(door: door).run(
            options, account: session.account, fileName: name, language: language,
            errorsAsWorkbook: name.lowercased().hasSuffix(".xlsx"))
        let content = try Data(contentsOf: URL(fileURLWithPath: upload.path))
        let account = session.account
        let kept = try await door.pool.withStore {
            try $0.storeFile(account: account, purpose: "upload", kind: kind, name: name, content: content)
        }
        return resultPage(
            result, name: name, kind: options.kind, dryRun: true, keptUpload: kept, session, language, request)
    }

    func hrConfirm(_ request: Request) async throws -> Response {
        guard let session = try await pageSession(request) else { return toLogin(request) }
        let language = door.language(request)
        let form = Form(body: try await door.smallBody(request, limit: 8192))
        try Pages.requireCSRF(form["csrf"], of: session)
        guard let id = form["upload"].flatMap(UUID.init(uuidString:)) else {
            throw Problem(RegctlError("http.not-found", "no such upload; upload the file again", status: .usage))
        }
        let account = session.account
        guard let stored = try await door.pool.withStore({ try $0.storedFile(id, account: account, purpose: "upload") })
        else {
            throw Problem(
                RegctlError(
                    "http.not-found", "no such upload of yours (kept for a day); upload the file again", status: .usage)
            )
        }
        let path = NSTemporaryDirectory() + "regctl-upload-\(UUID().uuidString)"
        guard
            FileManager.default.createFile(
                atPath: path, contents: stored.content, attributes: [.posixPermissions: 0o600])
        else { throw RegctlError("internal.upload", "cannot keep the upload", status: .internalError) }
        defer { unlink(path) }
        let options = try Uploads.options(kind: stored.kind ?? "", path: path, query: .init())
        let result = try await Uploads(door: door).run(
            options, account: account, fileName: stored.name, language: language,
            errorsAsWorkbook: stored.name.lowercased().hasSuffix(".xlsx"))
        try await door.pool.withStore { try $0.deleteStoredFile(id, account: account) }
        return resultPage(
            result, name: stored.name, kind: options.kind, dryRun: false, keptUpload: nil, session, language, request)
    }

    func resultPage(
        _ result: Uploads.Result, name: String, kind: ImportKind, dryRun: Bool, keptUpload: UUID?,
        _ session: StaffSession,
        _ language: Language, _ request: Request
    ) -> Response {
        let w = Words(language: language)
        let output = Vocabulary.catalogue(language).localize(
            result.report.output(file: name, kind: kind, dryRun: dryRun, rejections: 1000))
        var body =
            "<dl>"
            + output.fields.map { "<dt>\(HTMLPage.escape($0.0))</dt><dd>\(HTMLPage.escape($0.1.plain))</dd>" }.joined()
            + "</dl>\n"
        if var table = output.table {
            // Each rejection's message in the page's language, as the CLI says it on stderr.
            let catalogue = Vocabulary.catalogue(language)
            table.rows = result.report.rejections.prefix(1000).map { r in
                [
                    .int(r.line), .text(r.column), .text(r.value), .text(r.code),
                    .text(catalogue.message(code: r.code, english: r.message, chinese: r.chinese))
                ]
            }
            body += "<h2>\(w("被拒绝的行", "Rejected rows"))</h2>\n" + HTMLPage.table(table)
        }
        if let id = result.errorsID {
            body +=
                "<p><a href=\"/hr/errors/\(id.uuidString.lowercased())\">\(w("下载错误报告", "Download the errors report"))</a>（\(w("改正后可再次上传", "correct it and upload it again"))）</p>"
        }
        if let keptUpload {
            let accepted = result.report.read - result.report.rejected
            body += """
                <form method="post" action="/hr/confirm?lang=\(language.rawValue)" class="confirm">
                <input type="hidden" name="csrf" value="\(session.csrf)">
                <input type="hidden" name="upload" value="\(keptUpload.uuidString.lowercased())">
                <button type="submit">\(w("确认提交（\(accepted) 行）", "Confirm and commit (\(accepted) rows)"))</button>
                </form>
                """
        }
        body += "<p><a href=\"/hr?lang=\(language.rawValue)\">\(w("返回", "Back"))</a></p>"
        return page(
            dryRun ? w("试运行结果（尚未提交）", "Dry run (nothing committed)") : w("导入结果", "Import result"), body, language,
            request)
    }

    func hrErrors(_ id: String, _ request: Request) async throws -> Response {
        guard let session = try await pageSession(request) else { return toLogin(request) }
        guard let uuid = UUID(uuidString: id),
            let file = try await door.pool.withStore({
                try $0.storedFile(uuid, account: session.account, purpose: "errors-report")
            })
        else {
            throw Problem(
                RegctlError("http.not-found", "no errors report \(Quoted.value(id)) of yours", status: .usage))
        }
        return Response.download(file.content, name: file.name)
    }

    func hrRoster(_ request: Request) async throws -> Response {
        guard let session = try await pageSession(request) else { return toLogin(request) }
        let language = door.language(request)
        let w = Words(language: language)
        let output = try await door.withStores(for: RosterReport.name) { store, reader in
            try door.execute(store, reader: reader, RosterReport.name, Arguments(), as: session)
        }
        return page(
            w("在岗人员名册", "Roster"),
            resultsHTML(output, language) + "<p><a href=\"/hr?lang=\(language.rawValue)\">\(w("返回", "Back"))</a></p>",
            language, request)
    }

    // MARK: - Page frame

    func cookie(_ name: String, _ value: String, maxAge: Int?) -> Cookie {
        Cookie(
            name: name, value: value, maxAge: maxAge, path: "/", secure: door.options.tls, httpOnly: true,
            sameSite: .strict)
    }

    func page(
        _ title: String, _ body: String, _ language: Language, _ request: Request, status: HTTPResponse.Status = .ok
    )
        -> Response
    {
        let other = language == .zh ? "en" : "zh"
        var query = Form(query: request.uri.query)
        query["lang"] = other
        let w = Words(language: language)
        let html = """
            <!DOCTYPE html>
            <html lang="\(language == .zh ? "zh-CN" : "en")"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(HTMLPage.escape(title))</title><link rel="stylesheet" href="/static/site.css"></head>
            <body>
            <header><a href="/lookup?lang=\(language.rawValue)">\(w("医师护士注册信息公开查询", "Registry lookup"))</a>
            <nav><a href="/hr?lang=\(language.rawValue)">\(w("人事登录", "HR"))</a>
            <a href="\(HTMLPage.escape(request.uri.path + "?" + query.encoded))" hreflang="\(other)">\(language == .zh ? "English" : "中文")</a></nav></header>
            <main>
            <h1>\(HTMLPage.escape(title))</h1>
            \(body)
            </main>
            </body></html>

            """
        return Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8", .contentLanguage: language == .zh ? "zh-CN" : "en"],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    static let css =
        HTMLPage.style + """

            body{max-width:72em;margin:0 auto;padding:0 1em}
            header{display:flex;justify-content:space-between;align-items:center;border-bottom:2px solid #1f5fa8;padding:.6em 0}
            header a{color:#1f5fa8;text-decoration:none;font-weight:bold}nav a{margin-left:1em;font-weight:normal}
            form{display:flex;flex-wrap:wrap;gap:.6em 1.2em;align-items:end;margin:1em 0}
            label{display:flex;flex-direction:column;font-size:.9em;color:#444}
            input,select,button{font:inherit;padding:.3em .5em}button{background:#1f5fa8;color:#fff;border:0;border-radius:3px;padding:.4em 1.2em}
            .problem{color:#a00}.verified{color:#060;font-weight:bold}.hint{color:#666;font-size:.9em}
            """
}

/// A form's fields (`application/x-www-form-urlencoded`, or a query string): `+` is a space, `%XX` a byte;
/// a name given twice keeps its first value.
struct Form {
    private(set) var fields: [(String, String)] = []

    init(query: String?) { self.init(text: query ?? "") }
    init(body: Data) { self.init(text: String(decoding: body, as: UTF8.self)) }

    init(text: String) {
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            let key = decode(parts[0])
            guard !key.isEmpty, self[key] == nil else { continue }
            fields.append((key, parts.count > 1 ? decode(parts[1]) : ""))
        }
    }

    subscript(_ key: String) -> String? {
        get { fields.first { $0.0 == key }?.1 }
        set {
            fields.removeAll { $0.0 == key }
            if let newValue { fields.append((key, newValue)) }
        }
    }

    var encoded: String {
        fields.map { k, v in
            let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
            return (k.addingPercentEncoding(withAllowedCharacters: allowed) ?? "") + "="
                + (v.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")
        }.joined(separator: "&")
    }
}

/// A `multipart/form-data` upload (MultipartKit's streaming parser): the file part streamed to a private
/// temporary file, the other fields (at most 4 KiB each) kept.
struct MultipartUpload: @unchecked Sendable {
    let path: String
    let fileName: String?
    let fields: [String: String]

    static func receive(_ request: Request, limit: Int, timeout: Int) async throws -> MultipartUpload {
        guard let type = request.headers[.contentType], type.lowercased().hasPrefix("multipart/form-data"),
            let boundaryRange = type.range(of: "boundary=")
        else {
            throw Problem(
                RegctlError("input.value", "send the file from the page's form (multipart/form-data)", status: .usage))
        }
        let boundary = String(type[boundaryRange.upperBound...]).split(separator: ";")[0]
            .trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
        let state = PartState(path: NSTemporaryDirectory() + "regctl-upload-\(UUID().uuidString)")
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in state.header(name, value) }
        parser.onBody = { buffer in state.body(&buffer) }
        parser.onPartComplete = { state.complete() }
        var size = 0
        do {
            var reader = TimedBody(request.body, timeout: timeout)
            while true {
                guard let chunk = try await reader.next() else { break }
                size += chunk.readableBytes
                guard size <= limit else {
                    throw Problem(
                        RegctlError(
                            "http.too-large", "the file is over the upload limit of \(limit >> 20) MiB", status: .usage)
                    )
                }
                do { try parser.execute(chunk) } catch {
                    throw Problem(
                        RegctlError("input.value", "the form could not be read; send it again", status: .usage))
                }
                if let failure = state.failure { throw failure }
            }
        } catch {
            state.discard()
            throw error
        }
        guard state.sawFile else {
            state.discard()
            throw Problem(RegctlError("input.missing", "choose a file to upload", status: .usage, field: "file"))
        }
        state.finish()
        return MultipartUpload(path: state.path, fileName: state.fileName, fields: state.fields)
    }

    /// What the parser has seen (its callbacks run one at a time, from `execute`).
    final class PartState: @unchecked Sendable {
        let path: String
        var fd: Int32 = -1
        var name: String?
        var isFile = false
        var sawFile = false
        var fileName: String?
        var value = [UInt8]()
        var fields: [String: String] = [:]
        var failure: Problem?

        init(path: String) { self.path = path }

        func header(_ header: String, _ value: String) {
            guard header.lowercased() == "content-disposition" else { return }
            name = Self.parameter("name", value)
            if let file = Self.parameter("filename", value) {
                isFile = true
                fileName = (file as NSString).lastPathComponent
            }
        }

        func body(_ buffer: inout ByteBuffer) {
            if isFile && name == "file" {
                if fd < 0 { fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600) }
                sawFile = true
                do { try Uploads.write(buffer, to: fd) } catch { failure = Problem.from(error) }
            } else if value.count + buffer.readableBytes <= 4096 {
                value += buffer.readableBytesView
            } else {
                failure = Problem(RegctlError("http.too-large", "a form field is over 4 KiB", status: .usage))
            }
        }

        func complete() {
            if let name, !isFile, fields[name] == nil { fields[name] = String(decoding: value, as: UTF8.self) }
            name = nil
            isFile = false
            value = []
        }

        func finish() {
            if fd >= 0 {
                close(fd)
                fd = -1
            }
        }
        func discard() {
            finish()
            unlink(path)
        }

        static func parameter(_ key: String, _ header: String) -> String? {
            for part in header.split(separator: ";") {
                let kv = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
                if kv.count == 2, kv[0].lowercased() == key {
                    return kv[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                }
            }
            return nil
        }
    }
}
