import API
import Foundation
import Hummingbird
import NIOCore
import Rendering
import Registration

/// The JSON API (`/api/v1/…`), the health and metrics routes, and the OpenAPI document.
struct APIRoutes {
    let door: Door

    /// What the CLI asks for when it talks to a server: the command's whole output, to print it itself.
    static let wireType = "application/vnd.regctl.output+json"

    func add(to router: Router<DoorContext>) {
        router.get("/healthz") { _, _ in Response.text("ok\n") }
        router.get("/readyz") { _, _ in try await ready() }
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: .init(byteBuffer: ByteBuffer(bytes: door.registry.emitToBuffer())))
        }
        router.get("/openapi.json") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json", .cacheControl: "public, max-age=300"],
                body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
        }
        let api = router.group("api/v1")
        api.post("sessions") { request, context in try await login(request, context) }
        api.delete("sessions") { request, _ in try await logout(request) }
        api.post("commands/:name") { request, context in
            try await command(context.parameters.require("name"), request)
        }
        api.post("exec") { request, _ in try await exec(request) }
        api.post("imports/:kind") { request, context in
            try await upload(context.parameters.require("kind"), request)
        }
        api.get("imports/reports/:id") { request, context in
            try await errorsReport(context.parameters.require("id"), request)
        }
        api.get("reports/:name") { request, context in
            try await report(context.parameters.require("name"), request)
        }
        for (path, command) in [
            ("physicians", LookupPhysician.name), ("nurses", LookupNurse.name), ("institutions", LookupInstitution.name)
        ] {
            api.get("public/\(path)") { request, context in
                try door.limitPublic(request, context)
                door.publicLookups.increment()
                let output = try await lookup(command, request)
                return Response.json(
                    ExecStream.success(output, language: door.language(request)), cache: "public, max-age=60")
            }
        }
    }

    // MARK: - Health

    /// Ready when the database answers as the application login and its schema is this build's.
    func ready() async throws -> Response {
        let pending = try await door.pool.withStore { try DatabaseLocation.pendingMigrations($0) }
        guard pending.isEmpty else {
            throw Problem(
                RegctlError(
                    "db.schema",
                    "the database lacks migrations \(pending.joined(separator: ", ")): run regctl db migrate",
                    status: .unavailable), status: .serviceUnavailable, retryAfter: 30)
        }
        return Response.text("ready\n")
    }

    // MARK: - Sessions

    struct LoginBody: Decodable {
        let id: String
        let password: String
    }

    func login(_ request: Request, _ context: DoorContext) async throws -> Response {
        let body = try await door.smallBody(request, limit: 4096)
        guard let form = try? JSONDecoder().decode(LoginBody.self, from: body) else {
            throw Problem(
                RegctlError(
                    "input.value", "the body is {\"id\": ACCOUNT, \"password\": PASSWORD} in JSON", status: .usage))
        }
        let session = try await Sessions(door: door).open(
            account: form.id, password: form.password, address: door.address(request, context))
        return Response.json(
            "{\"token\":\(JSONText.quote(session.token)),\"account\":\(JSONText.quote(form.id))}", status: .created)
    }

    func logout(_ request: Request) async throws -> Response {
        guard let token = Credentials.token(request), Tokens.wellFormed(token) else {
            return Response(status: .noContent)
        }
        // Ending a cookie's session is a change through the cookie: it needs the page's token too.
        _ = try await door.pool.withStore { [door] store in
            if Credentials.fromCookie(request) {
                guard let session = try store.session(token: token, idleSeconds: door.options.sessionIdleSeconds)
                else { return false }
                try door.requireCSRF(request, session)
            }
            return try store.endSession(token: token)
        }
        return Response(status: .noContent)
    }

    // MARK: - Commands

    /// `POST /api/v1/commands/{name}`: one command, its arguments the body's JSON object; exec's answer.
    func command(_ name: String, _ request: Request) async throws -> Response {
        let body = try await door.smallBody(request)
        if let refusal = ExecStream.refusedOverNetwork(name) { throw Problem(refusal) }
        let line = try ExecLine(command: name, actor: nil, argumentsJSON: body)
        let wire = request.headers[.accept]?.contains(APIRoutes.wireType) == true
        let output = try await door.withStores(for: line.command) { [door] store, reader in
            let session = try door.session(request, store)
            try door.requireCSRF(request, session)
            return try door.execute(store, reader: reader, line.command, line.arguments, as: session)
        }
        if wire {
            return Response(
                status: output.id != nil ? .created : .ok, headers: [.contentType: APIRoutes.wireType],
                body: .init(byteBuffer: ByteBuffer(bytes: try output.wireJSON())))
        }
        return Response.json(
            ExecStream.success(output, language: door.language(request)), status: output.id != nil ? .created : .ok)
    }

    /// `POST /api/v1/exec`: JSON Lines in, one answer line out per line, written as each completes, on one
    /// connection of the pool for the stream (as `regctl exec` holds one).
    func exec(_ request: Request) async throws -> Response {
        let lease = try await door.pool.lease()
        let account: String
        do {
            account = try await door.pool.run(lease) { [door] store in
                guard !Credentials.fromCookie(request) else {
                    throw Problem(
                        RegctlError(
                            "http.unauthenticated", "exec takes a bearer token, not a cookie", status: .authentication))
                }
                return try door.session(request, store).account
            }
        } catch {
            await door.pool.release(lease)
            throw error
        }
        let pool = door.pool, timeout = door.options.bodyTimeoutSeconds
        // A stream's reads go to the read database, when one is set, on one of its connections for the stream.
        let readers = door.readers
        let language = door.language(request)
        let readerLease = await door.leaseReader()
        let body = ResponseBody { writer in
            defer {
                Task {
                    await pool.release(lease)
                    if let readers, let readerLease { await readers.release(readerLease) }
                }
            }
            var splitter = LineSplitter()
            var reader = TimedBody(request.body, timeout: timeout)
            while true {
                let chunk = try await reader.next()
                var pieces: [LineSplitter.Piece] = []
                if let buffer = chunk {
                    splitter.feed(Array(buffer.readableBytesView)) { pieces.append($0) }
                } else {
                    splitter.finish { pieces.append($0) }
                }
                let collected = pieces
                let answers = try await pool.run(lease) { store in
                    let stream = ExecStream(
                        handler: Handler(store: store, reader: readerLease?.store), defaultActor: nil,
                        sessionAccount: account, language: language)
                    defer { stream.seal() }
                    return collected.compactMap { piece -> String? in
                        switch piece {
                        case .oversized(let bytes): return ExecStream.oversized(bytes: bytes)
                        case .line(let bytes):
                            guard let line = String(validating: bytes, as: UTF8.self) else {
                                return ExecStream.failure(
                                    RegctlError(
                                        "input.encoding", "the line is not valid UTF-8; exec reads JSON in UTF-8",
                                        status: .usage))
                            }
                            return stream.run(line: line)
                        }
                    }
                }
                if !answers.isEmpty {
                    try await writer.write(ByteBuffer(string: answers.map { $0 + "\n" }.joined()))
                }
                if chunk == nil { break }
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "application/x-ndjson"], body: body)
    }

    // MARK: - Imports

    /// `POST /api/v1/imports/{kind}?mode=dry-run|all-or-nothing`: a CSV or XLSX body streamed to a private
    /// temporary file (never held whole in memory), imported as the session's account; the summary, and the
    /// errors report at a URL when rows were rejected.
    func upload(_ kind: String, _ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        let mode = query["mode"].map(String.init)
        guard mode == nil || mode == "dry-run" || mode == "all-or-nothing" || mode == "commit" else {
            throw Problem(
                RegctlError(
                    "input.value", "mode is dry-run, all-or-nothing or commit (the default)", status: .usage,
                    field: "mode"))
        }
        let session = try await door.pool.withStore { [door] store in
            guard !Credentials.fromCookie(request) else {
                throw Problem(
                    RegctlError(
                        "http.unauthenticated", "an upload takes a bearer token (pages use /hr)",
                        status: .authentication))
            }
            return try door.session(request, store)
        }
        if kind != "calendar" { _ = try Uploads.kind(kind) }  // refused before the body is read
        let file = try await Uploads(door: door).receive(request)
        defer { unlink(file) }
        let wire = request.headers[.accept]?.contains(APIRoutes.wireType) == true
        if kind == "calendar" {
            // The holiday calendar (admin): the same command as `regctl calendar import`, on the uploaded file.
            var arguments = Arguments(["file": .string(file)])
            for key in ["encoding", "sheet"] {
                if let v = query[Substring(key)] { arguments[key] = .string(String(v)) }
            }
            let chosen = arguments
            let output = try await door.pool.withStore { store in
                try door.execute(store, CalendarImport.name, chosen, as: session)
            }
            return wire
                ? Response(
                    status: .ok, headers: [.contentType: APIRoutes.wireType],
                    body: .init(byteBuffer: ByteBuffer(bytes: try output.wireJSON())))
                : Response.json(
                    ExecStream.success(output, language: door.language(request), extra: ",\"errors_report\":null"))
        }
        var options = try Uploads.options(kind: kind, path: file, query: query)
        options.dryRun = mode == "dry-run"
        options.allOrNothing = mode == "all-or-nothing"
        let name = query["file"].map(String.init) ?? "upload"
        let result = try await Uploads(door: door).run(
            options, account: session.account, fileName: name, language: door.language(request),
            errorsAsWorkbook: query["errors"] == "xlsx")
        let output = result.report.output(file: name, kind: options.kind, dryRun: options.dryRun, rejections: 1000)
        var headers: HTTPFields = [.contentType: wire ? APIRoutes.wireType : "application/json"]
        if let url = result.errorsURL { headers[.init("Link")!] = "<\(url)>; rel=\"errors-report\"" }
        let json =
            wire
            ? String(decoding: try output.wireJSON(), as: UTF8.self)
            : ExecStream.success(
                output, language: door.language(request),
                extra: ",\"errors_report\":\(result.errorsURL.map(JSONText.quote) ?? "null")")
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: json)))
    }

    /// `GET /api/v1/imports/reports/{id}`: an errors report, to the account that imported only.
    func errorsReport(_ id: String, _ request: Request) async throws -> Response {
        guard let uuid = UUID(uuidString: id) else {
            throw Problem(RegctlError("http.not-found", "no errors report \(Quoted.value(id))", status: .usage))
        }
        let file = try await door.pool.withStore { [door] store -> StoredFile? in
            let session = try door.session(request, store)
            return try store.storedFile(uuid, account: session.account, purpose: "errors-report")
        }
        guard let file else {
            throw Problem(
                RegctlError("http.not-found", "no errors report \(Quoted.value(id)) of yours", status: .usage))
        }
        return Response.download(file.content, name: file.name)
    }

    // MARK: - Reports and look-ups

    /// `GET /api/v1/reports/{name}?region=…&format=json|csv|xlsx|html`: a report as the session's account.
    func report(_ name: String, _ request: Request) async throws -> Response {
        let command = "report." + name
        guard let type = CommandRegistry.type(named: command) else {
            throw Problem(RegctlError("http.not-found", "no report is called \(Quoted.value(name))", status: .usage))
        }
        var arguments = Arguments()
        var format = OutputFormat.json
        for (key, value) in request.uri.queryParameters {
            switch key {
            case "format":
                guard let f = OutputFormat(rawValue: String(value)), f != .table else {
                    throw Problem(
                        RegctlError(
                            "input.format", "format is json, csv, xlsx or html", status: .usage, field: "format"))
                }
                format = f
            case "lang": continue
            default: arguments[String(key).replacingOccurrences(of: "-", with: "_")] = .string(String(value))
            }
        }
        let wire = request.headers[.accept]?.contains(APIRoutes.wireType) == true
        let language = door.language(request)
        let chosen = arguments
        let output = try await door.withStores(for: type.name) { [door] store, reader in
            let session = try door.session(request, store)
            return try door.execute(store, reader: reader, type.name, chosen, as: session)
        }
        if wire {
            return Response(
                status: .ok, headers: [.contentType: APIRoutes.wireType],
                body: .init(byteBuffer: ByteBuffer(bytes: try output.wireJSON())))
        }
        guard format == .xlsx else {
            return try Rendered.response(output, format: format, language: language, name: name)
        }
        // A workbook is zipped through a temporary file: on the pool's threads, not the event loop's.
        return try await door.pool.threads.runIfActive {
            try Rendered.response(output, format: .xlsx, language: language, name: name)
        }
    }

    /// A public look-up, anonymous: the query's name, region, certificate (or uscc).
    func lookup(_ command: String, _ request: Request) async throws -> CommandOutput {
        var arguments = Arguments()
        for (key, value) in request.uri.queryParameters
        where ["name", "region", "certificate", "uscc", "section"].contains(key) {
            arguments[String(key)] = .string(String(value))
        }
        let chosen = arguments
        return try await door.withPublicStore { store in
            try Handler(store: store).executePublic(command, chosen)
        }
    }
}

/// Reads a request body chunk by chunk, each within `timeout` seconds (408 after): a client that stops
/// sending mid-body does not hold a connection of the pool, or a thread, for ever.
struct TimedBody: @unchecked Sendable {
    private var iterator: RequestBody.AsyncIterator
    let timeout: Int

    init(_ body: RequestBody, timeout: Int) {
        iterator = body.makeAsyncIterator()
        self.timeout = timeout
    }

    mutating func next() async throws -> ByteBuffer? {
        let box = Box(iterator)
        let chunk = try await withTimeout(timeout) { try await box.next() }
        iterator = box.iterator
        return chunk.buffer
    }

    final class Box: @unchecked Sendable {
        var iterator: RequestBody.AsyncIterator
        init(_ iterator: RequestBody.AsyncIterator) { self.iterator = iterator }
        func next() async throws -> Chunk { Chunk(buffer: try await iterator.next()) }
    }

    struct Chunk: @unchecked Sendable {
        let buffer: ByteBuffer?
    }
}

extension Response {
    static func text(_ s: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "text/plain; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: s)))
    }

    static func json(_ s: String, status: HTTPResponse.Status = .ok, cache: String? = nil) -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let cache { headers[.cacheControl] = cache }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: s)))
    }

    /// A file to save: its name in RFC 6266's UTF-8 form, its type by its extension.
    static func download(_ content: Data, name: String) -> Response {
        let type =
            name.hasSuffix(".xlsx")
            ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv; charset=utf-8"
        let ascii = String(
            name.unicodeScalars.map { $0.isASCII && $0 != "\"" && $0 != "\\" && $0.value >= 0x20 ? Character($0) : "_" }
        )
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ascii
        return Response(
            status: .ok,
            headers: [
                .contentType: type,
                .contentDisposition: "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
            ], body: .init(byteBuffer: ByteBuffer(bytes: content)))
    }
}

/// A command's output in a format and language, as the CLI prints it.
enum Rendered {
    static func response(_ output: CommandOutput, format: OutputFormat, language: Language, name: String) throws
        -> Response
    {
        let shown = format == .json ? output : Vocabulary.catalogue(language).localize(output)
        switch format {
        case .xlsx:
            let path = NSTemporaryDirectory() + "regctl-serve-\(UUID().uuidString).xlsx"
            defer { unlink(path) }
            try shown.writeWorkbook(to: path)
            return Response.download(try Data(contentsOf: URL(fileURLWithPath: path)), name: name + ".xlsx")
        case .csv:
            return Response.download(Data(("\u{FEFF}" + shown.render(.csv)).utf8), name: name + ".csv")
        case .html:
            // A report page carries its own inline style: its policy allows that, and still no script.
            return Response(
                status: .ok,
                headers: [
                    .contentType: "text/html; charset=utf-8",
                    .contentSecurityPolicy:
                        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"
                ], body: .init(byteBuffer: ByteBuffer(string: shown.render(.html))))
        case .json, .table:
            return Response.json(ExecStream.success(output, language: language))
        }
    }
}
