import Foundation
import Postgres
import Registration
import Testing
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// `regctl serve` on a real server over loopback, with a real HTTP client (URLSession) and the `regctl`
/// binary as the server's own client: every route, the role matrix again through HTTP, sessions, CSRF,
/// limits, and the public answers never showing an ID number or a birth date.
@Suite(.serialized) struct ServeTests {
    /// A registry to serve: a registrar for 浙江 and one for 江苏, a hospital and a clinic in 杭州 with an HR
    /// account each, a clinic in 南京, a physician registered at the hospital and filed at the clinic.
    final class World: CLISession, @unchecked Sendable {
        let tag = String(UUID().uuidString.lowercased().prefix(6))
        let password = "serve-secret-123"
        var admin: String { "adm-\(tag)" }
        var zj: String { "zj-\(tag)" }
        var js: String { "js-\(tag)" }
        var hrHospital: String { "hrh-\(tag)" }
        var hrClinic: String { "hrc-\(tag)" }
        let hospitalCode = Make.creditCode(region: "330106", serial: 1)
        let clinicCode = Make.creditCode(region: "330106", serial: 2)
        let nanjingCode = Make.creditCode(region: "320102", serial: 3)
        let idNumber = Make.residentID(born: "19780415", sequence: 41)
        var certificate = ""
        var physician = ""

        override init() throws {
            try super.init()
            for (id, role, scope) in [
                (admin, "admin", [String]()), (zj, "registrar", ["--region", "330000"]),
                (js, "registrar", ["--region", "320000"])
            ] {
                _ = ok(
                    ["staff", "add", "--id", id, "--name", "员工", "--role", role, "--password-stdin"] + scope,
                    stdin: password + "\n")
            }
            let hospital = ok(
                [
                    "institution", "add", "--name", "浙江省人民医院", "--uscc", hospitalCode, "--region", "330106",
                    "--ownership", "public", "--category", "general-hospital", "--beds", "2000"
                ], as: zj)
            _ = ok(
                [
                    "institution", "add", "--name", "杭州和睦门诊部", "--uscc", clinicCode, "--region", "330106",
                    "--ownership", "social", "--for-profit", "--category", "outpatient-department", "--beds", "10"
                ], as: zj)
            _ = ok(
                [
                    "institution", "add", "--name", "南京鼓楼诊所", "--uscc", nanjingCode, "--region", "320102",
                    "--ownership", "social", "--category", "clinic", "--beds", "0"
                ], as: js)
            for (id, code) in [(hrHospital, hospitalCode), (hrClinic, clinicCode)] {
                _ = ok(
                    [
                        "staff", "add", "--id", id, "--name", "人事科", "--role", "hr", "--institution", code,
                        "--password-stdin"
                    ],
                    stdin: password + "\n")
            }
            physician = ok(
                [
                    "physician", "add", "--name", "张伟", "--id-number", idNumber, "--qualification-no", "Q-\(tag)",
                    "--level", "physician", "--category", "clinical"
                ], as: zj)
            let reg = ok(
                ["registration", "apply", "--physician", idNumber, "--institution", hospital, "--scope", "内科"], as: zj)
            let approved = ok(["registration", "approve", reg, "--format", "json"], as: zj)
            certificate =
                ((try? JSONSerialization.jsonObject(with: Data(approved.utf8))) as? [String: Any])?["certificate_no"]
                as? String ?? ""
        }

        func serve(_ arguments: [String] = []) throws -> ServerProcess {
            try ServerProcess(database: db.url, arguments: arguments)
        }
    }

    @Test func healthReadinessMetricsAndTheDocument() async throws {
        let w = try World()
        let server = try w.serve()
        let http = HTTP(server.url)
        let health = try await http.get("/healthz")
        #expect(health.status == 200 && health.text == "ok\n")
        #expect(health.header("Content-Security-Policy")?.contains("default-src 'none'") == true)
        #expect(health.header("Strict-Transport-Security") == nil, "no HSTS without TLS")
        #expect(try await http.get("/readyz").status == 200)
        let document = try await http.get("/openapi.json")
        let json = try #require(document.json)
        #expect(json["openapi"] as? String == "3.1.0")
        let paths = try #require(json["paths"] as? [String: Any])
        for path in [
            "/api/v1/sessions", "/api/v1/commands/{name}", "/api/v1/exec", "/api/v1/imports/{kind}",
            "/api/v1/reports/{name}", "/api/v1/public/physicians", "/api/v1/public/nurses",
            "/api/v1/public/institutions"
        ] {
            #expect(paths[path] != nil, "\(path) documented")
        }
        _ = try await http.get(
            "/api/v1/public/institutions?name=浙江".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!)
        let metrics = try await http.get("/metrics")
        #expect(metrics.text.contains("hb_requests") && metrics.text.contains("/api/v1/public/institutions"))
        #expect(metrics.text.contains("http_server_request_duration") && metrics.text.contains("regctl_pool_wait"))
        #expect(metrics.text.contains("regctl_public_lookups"))
        // Root leads to the lookup; an unknown route is a problem, not a crash.
        let root = try await http.get("/")
        #expect(root.status == 303 && root.header("Location") == "/lookup")
        let missing = try await http.get("/api/v1/nothing")
        #expect(missing.status == 404 && missing.header("Content-Type") == "application/problem+json", "\(missing)")
        #expect(server.stop() == 0, "SIGTERM ends it cleanly")
    }

    @Test func sessionsCommandsAndProblems() async throws {
        let w = try World()
        let server = try w.serve()
        let http = HTTP(server.url)
        let wrong = try await http.post(
            "/api/v1/sessions", json: #"{"id":"\#(w.admin)","password":"not-the-password"}"#)
        #expect(wrong.status == 401 && wrong.json?["code"] as? String == "auth.failed", "\(wrong)")
        #expect(wrong.header("Content-Type") == "application/problem+json")
        #expect(!server.log.contains("not-the-password"), "no password in the log")
        let malformed = try await http.post("/api/v1/sessions", json: "[1,2]")
        #expect(malformed.status == 400, "\(malformed)")
        let token = try await http.login(w.admin, w.password)
        let bearer = ["Authorization": "Bearer \(token)"]
        let created = try await http.post(
            "/api/v1/commands/institution.add",
            json:
                #"{"name":"西湖社区卫生服务中心","uscc":"\#(Make.creditCode(region: "330106", serial: 9))","region":"330106","ownership":"public","category":"community-health-center","beds":30}"#,
            headers: bearer)
        #expect(created.status == 201 && (created.json?["result"] as? [String: Any])?["id"] != nil, "\(created)")
        let listed = try await http.post(
            "/api/v1/commands/institution.list", json: #"{"region":"330100"}"#, headers: bearer)
        #expect(listed.status == 200 && listed.text.contains("西湖社区卫生服务中心"))
        // Problems: the CLI's code, field and exit status, in the asked language.
        let bad = try await http.post(
            "/api/v1/commands/institution.list", json: #"{"region":"33"}"#,
            headers: bearer.merging(["Accept-Language": "en"]) { a, _ in a })
        #expect(
            bad.status == 400 && bad.json?["code"] as? String == "input.region"
                && bad.json?["field"] as? String == "region", "\(bad)")
        #expect(bad.json?["exit"] as? Int == 64)
        let chinese = try await http.post(
            "/api/v1/commands/institution.list", json: #"{"region":"33"}"#,
            headers: bearer.merging(["Accept-Language": "*"]) { a, _ in a })
        #expect(
            (chinese.json?["detail"] as? String)?.unicodeScalars.contains { $0.value > 0x4E00 } == true, "\(chinese)")
        let duplicate = try await http.post(
            "/api/v1/commands/institution.list", json: #"{"region":"330100","region":"320000"}"#, headers: bearer)
        #expect(duplicate.status == 400 && duplicate.json?["code"] as? String == "exec.malformed")
        let unknown = try await http.post("/api/v1/commands/no.such", json: "{}", headers: bearer)
        #expect(unknown.status == 404)
        let notFound = try await http.post(
            "/api/v1/commands/institution.show", json: #"{"institution":"91330106MA2800001X"}"#, headers: bearer)
        #expect([404, 400].contains(notFound.status), "\(notFound)")
        let fileRead = try await http.post(
            "/api/v1/commands/import.contracts", json: #"{"file":"/etc/passwd"}"#, headers: bearer)
        #expect(
            fileRead.status == 400 && fileRead.json?["code"] as? String == "http.upload",
            "the server reads no file of its own")
        let calendarFile = try await http.post(
            "/api/v1/commands/calendar.import", json: #"{"file":"/etc/passwd"}"#, headers: bearer)
        #expect(calendarFile.status == 400)
        let seed = try await http.post("/api/v1/commands/seed", json: #"{"scale":"demo"}"#, headers: bearer)
        #expect(seed.status == 403)
        let anonymous = try await http.post("/api/v1/commands/staff.list", json: "{}")
        #expect(anonymous.status == 401 && anonymous.header("WWW-Authenticate") != nil)
        let forged = try await http.post(
            "/api/v1/commands/staff.list", json: "{}",
            headers: ["Authorization": "Bearer " + String(repeating: "A", count: 43)])
        #expect(forged.status == 401)
        // Logout ends the token.
        #expect(try await http.request("DELETE", "/api/v1/sessions", headers: bearer).status == 204)
        #expect(try await http.post("/api/v1/commands/staff.list", json: "{}", headers: bearer).status == 401)
        // Every command ran as the account, each an event (R-71), as through the CLI.
        #expect(try w.count("SELECT count(*) FROM event WHERE actor = \(w.admin) AND command = 'institution.add'") == 1)
        // Sealed into the chain a moment after they committed (the server seals for all its commands at once).
        try await Task.sleep(for: .milliseconds(600))
        #expect(try w.count("SELECT count(*) FROM event WHERE hash IS NULL") == 0)
        #expect(!server.log.contains(token))
    }

    @Test func theRoleMatrixThroughHTTP() async throws {
        let w = try World()
        let server = try w.serve()
        let http = HTTP(server.url)
        let hr = ["Authorization": "Bearer \(try await http.login(w.hrClinic, w.password))"]
        let hrHospital = ["Authorization": "Bearer \(try await http.login(w.hrHospital, w.password))"]
        let js = ["Authorization": "Bearer \(try await http.login(w.js, w.password))"]
        let admin = ["Authorization": "Bearer \(try await http.login(w.admin, w.password))"]
        // HR of the clinic files a contract of the physician who comes to it; the hospital's HR does not see it.
        let filed = try await http.post(
            "/api/v1/commands/filing.add",
            json:
                #"{"physician":"\#(w.idNumber)","institution":"\#(w.clinicCode)","contract_no":"HM-\#(w.tag)","from":"2026-03-02","to":"2027-03-01"}"#,
            headers: hr)
        #expect(filed.status == 201, "\(filed)")
        let own = try await http.post(
            "/api/v1/commands/filing.list", json: #"{"institution":"\#(w.clinicCode)"}"#, headers: hr)
        #expect(own.status == 200 && own.text.contains("HM-\(w.tag)"), "\(own)")
        let other = try await http.post(
            "/api/v1/commands/filing.list", json: #"{"institution":"\#(w.clinicCode)"}"#, headers: hrHospital)
        #expect(!other.text.contains("HM-\(w.tag)"), "\(other)")
        // HR of one institution cannot file at another.
        let elsewhere = try await http.post(
            "/api/v1/commands/filing.add",
            json:
                #"{"physician":"\#(w.idNumber)","institution":"\#(w.nanjingCode)","contract_no":"X-\#(w.tag)","from":"2026-03-02","to":"2027-03-01"}"#,
            headers: hr)
        #expect(elsewhere.status == 403 && elsewhere.json?["code"] as? String == "permission.denied", "\(elsewhere)")
        // A registrar outside the region is refused.
        let outside = try await http.post(
            "/api/v1/commands/institution.add",
            json:
                #"{"name":"杭州某诊所","uscc":"\#(Make.creditCode(region: "330106", serial: 7))","region":"330106","ownership":"social","category":"clinic","beds":0}"#,
            headers: js)
        #expect(outside.status == 403, "\(outside)")
        // HR reads no ID number in full; the registrar of the region does.
        let shown = try await http.post(
            "/api/v1/commands/physician.show", json: #"{"physician":"\#(w.physician)"}"#, headers: hr)
        #expect(!shown.text.contains(w.idNumber) && shown.text.contains("330106********"), "\(shown)")
        // A disabled account's token stops working at once; so does one whose password was changed.
        #expect(
            try await http.post("/api/v1/commands/staff.disable", json: #"{"id":"\#(w.hrClinic)"}"#, headers: admin)
                .status == 200)
        let after = try await http.post(
            "/api/v1/commands/filing.list", json: #"{"institution":"\#(w.clinicCode)"}"#, headers: hr)
        #expect(after.status == 401, "\(after)")
        #expect(
            try await http.post(
                "/api/v1/commands/staff.password", json: #"{"id":"\#(w.hrHospital)","password":"another-secret-456"}"#,
                headers: admin
            ).status == 201)
        #expect(try await http.post("/api/v1/commands/staff.list", json: "{}", headers: hrHospital).status == 401)
        // A session acts for its own account only, also in exec.
        let lines =
            #"{"command":"staff.list","as":"\#(w.admin)"}"# + "\n"
            + #"{"command":"region.list","args":{"parent":"330100"}}"# + "\n"
        let streamed = try await http.request("POST", "/api/v1/exec", body: Data(lines.utf8), headers: js)
        let answers = streamed.text.split(separator: "\n")
        #expect(
            answers.count == 2 && answers[0].contains("permission.denied") && answers[1].contains(#""ok":true"#),
            "\(streamed)")
    }

    @Test func pagesCSRFAndCookies() async throws {
        let w = try World()
        let server = try w.serve()
        let http = HTTP(server.url)
        let form = try await http.get("/login", headers: ["Accept-Language": "*"])
        #expect(form.status == 200 && form.text.contains("工作人员登录") && form.text.contains("name=\"csrf\""))
        #expect(form.header("Content-Security-Policy")?.contains("script-src") == false, "no script allowed at all")
        let csrf = try #require(form.cookie("regctl_login_csrf"))
        let fields = "id=\(w.hrClinic)&password=\(w.password)"
        // Without the form's token: refused.
        let forged = try await http.request(
            "POST", "/login", body: Data((fields + "&csrf=wrong").utf8),
            headers: ["Content-Type": "application/x-www-form-urlencoded", "Cookie": "regctl_login_csrf=\(csrf)"])
        #expect(forged.status == 403, "\(forged)")
        let login = try await http.request(
            "POST", "/login", body: Data((fields + "&csrf=\(csrf)").utf8),
            headers: ["Content-Type": "application/x-www-form-urlencoded", "Cookie": "regctl_login_csrf=\(csrf)"])
        #expect(login.status == 303, "\(login)")
        let setCookie = login.header("Set-Cookie") ?? ""
        #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"), "\(setCookie)")
        let session = try #require(login.cookie("regctl_session"))
        let home = try await http.get("/hr", headers: ["Cookie": "regctl_session=\(session)"])
        #expect(
            home.status == 200 && home.text.contains(w.hrClinic)
                && home.text.contains("enctype=\"multipart/form-data\""))
        // A change through the API with the cookie alone (what another site could make a browser send) is refused.
        let noToken = try await http.post(
            "/api/v1/commands/filing.list", json: #"{"institution":"\#(w.clinicCode)"}"#,
            headers: ["Cookie": "regctl_session=\(session)"])
        #expect(noToken.status == 403 && noToken.json?["code"] as? String == "http.csrf", "\(noToken)")
        // English on asking; Chinese otherwise.
        let english = try await http.get("/lookup?lang=en")
        #expect(english.text.contains("lookup") && english.header("Content-Language") == "en")
        let accept = try await http.get("/lookup", headers: ["Accept-Language": "en-US,en;q=0.9"])
        #expect(accept.header("Content-Language") == "en")
        #expect(try await http.get("/lookup", headers: ["Accept-Language": "*"]).header("Content-Language") == "zh-CN")
        #expect(
            try await http.get("/lookup", headers: ["Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"]).header(
                "Content-Language") == "zh-CN")
        // The roster page, as HR.
        let roster = try await http.get("/hr/roster", headers: ["Cookie": "regctl_session=\(session)"])
        #expect(roster.status == 200, "\(roster)")
        // Logging out through the API with the cookie alone is refused as well; with the page's token it ends.
        let cookie = ["Cookie": "regctl_session=\(session)"]
        let forcedOut = try await http.request("DELETE", "/api/v1/sessions", headers: cookie)
        #expect(forcedOut.status == 403 && forcedOut.json?["code"] as? String == "http.csrf", "\(forcedOut)")
        #expect(try await http.get("/hr/roster", headers: cookie).status == 200)
        let token = try #require(Self.hidden("csrf", in: home.text))
        let out = try await http.request(
            "DELETE", "/api/v1/sessions", headers: cookie.merging(["X-CSRF-Token": token]) { a, _ in a })
        #expect(out.status == 204, "\(out)")
        #expect(try await http.get("/hr/roster", headers: cookie).status == 303)
        // Without a session the HR pages lead to the login.
        #expect(try await http.get("/hr").status == 303)
    }

    @Test func publicAnswersNeverShowAnIDNumberOrABirthDate() async throws {
        let w = try World()
        let server = try w.serve()
        let http = HTTP(server.url)
        let name = "张伟".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        var answers: [HTTP.Answer] = []
        for path in [
            "/api/v1/public/physicians?name=\(name)", "/api/v1/public/physicians?name=\(name)&region=330000",
            "/api/v1/public/physicians?certificate=\(w.certificate)", "/lookup?kind=physician&name=\(name)",
            "/lookup?kind=physician&certificate=\(w.certificate)&lang=en", "/verify/\(w.certificate)",
            "/api/v1/public/institutions?name=\("浙江".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)",
            "/api/v1/public/institutions?uscc=\(w.hospitalCode)"
        ] {
            let answer = try await http.get(path)
            #expect(answer.status == 200, "\(path): \(answer)")
            answers.append(answer)
        }
        #expect(answers[0].text.contains("浙江省人民医院") && answers[2].text.contains(w.certificate))
        #expect(answers[5].text.contains("张伟"))
        for answer in answers {
            let text = answer.text
            for form in [
                "19780415", "1978-04-15", "1978/4/15", "1978年4月15日", w.idNumber,
                String(w.idNumber.prefix(6)) + "********"
            ] {
                #expect(!text.contains(form), "\(form) in \(text.prefix(300))")
            }
        }
        let missing = try await http.get("/api/v1/public/physicians?certificate=110330000999999")
        #expect(missing.status == 404)
        let bad = try await http.get("/api/v1/public/physicians?certificate=abc")
        #expect(bad.status == 400)
        let neither = try await http.get("/api/v1/public/nurses")
        #expect(neither.status == 400)
        // Anonymous reads: no event, and nothing personal in the access log.
        #expect(try w.count("SELECT count(*) FROM event WHERE command LIKE 'lookup.%'") == 0)
        #expect(!server.log.contains("张伟") && !server.log.contains(w.certificate) && !server.log.contains(w.idNumber))
        #expect(server.log.contains("/api/v1/public/physicians 200"))
    }

    @Test func rateAndBodyLimits() async throws {
        let w = try World()
        let server = try w.serve([
            "--public-rate", "6", "--public-burst", "2", "--login-failures", "2", "--login-rate", "100",
            "--upload-limit", "1"
        ])
        let http = HTTP(server.url)
        var statuses: [Int] = []
        for _ in 0..<4 {
            statuses.append(try await http.get("/api/v1/public/institutions?uscc=\(w.hospitalCode)").status)
        }
        #expect(statuses.prefix(2).allSatisfy { $0 == 200 } && statuses.last == 429, "\(statuses)")
        let limited = try await http.get("/api/v1/public/institutions?uscc=\(w.hospitalCode)")
        #expect(limited.status == 429 && Int(limited.header("Retry-After") ?? "") != nil)
        // Failed logins per account: after two, even the right password waits.
        for _ in 0..<2 {
            _ = try await http.post("/api/v1/sessions", json: #"{"id":"\#(w.zj)","password":"wrong-password-1"}"#)
        }
        let throttled = try await http.post("/api/v1/sessions", json: #"{"id":"\#(w.zj)","password":"\#(w.password)"}"#)
        #expect(throttled.status == 429 && throttled.header("Retry-After") != nil, "\(throttled)")
        // Bodies over a route's limit: 413, nothing run.
        let token = try await http.login(w.admin, w.password)
        let huge = "{\"name\":\"" + String(repeating: "x", count: 2 << 20) + "\"}"
        let big = try await http.post(
            "/api/v1/commands/institution.list", json: huge, headers: ["Authorization": "Bearer \(token)"])
        #expect(big.status == 413, "\(big.status)")
        let upload = try await http.request(
            "POST", "/api/v1/imports/contracts", body: Data(repeating: 0x41, count: 2 << 20),
            headers: ["Authorization": "Bearer \(token)", "Content-Type": "text/csv"])
        #expect(upload.status == 413, "\(upload.status)")
    }

    @Test func anImportOverHTTPGivesTheSameRowsAndCodesAsTheCLI() async throws {
        let w = try World()
        let server = try w.serve()
        let http = HTTP(server.url)
        let token = try await http.login(w.hrClinic, w.password)
        let csv = """
            action,id_number,institution,contract_no,from,to
            A,\(w.idNumber),\(w.clinicCode),C-\(w.tag)-1,2026-03-02,2027-03-01
            A,110101199001011234,\(w.clinicCode),C-\(w.tag)-2,2026-03-02,2027-03-01
            A,\(w.idNumber),\(w.clinicCode),C-\(w.tag)-3,2026-13-40,2027-03-01

            """
        let path = NSTemporaryDirectory() + "serve-contracts-\(w.tag).csv"
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        defer { unlink(path) }
        let local = w.run(["import", "contracts", path, "--dry-run", "--format", "json"], as: w.hrClinic)
        let viaHTTP = try await http.request(
            "POST", "/api/v1/imports/contracts?mode=dry-run&file=contracts.csv", body: Data(csv.utf8),
            headers: ["Authorization": "Bearer \(token)", "Content-Type": "text/csv", "Accept-Language": "en"])
        #expect(viaHTTP.status == 200, "\(viaHTTP)")
        let localSummary = try #require(
            try JSONSerialization.jsonObject(with: Data(local.stdout.utf8)) as? [String: Any])
        let remote = try #require(viaHTTP.json?["result"] as? [String: Any])
        for key in ["read", "added", "rejected", "unchanged"] {
            #expect("\(localSummary[key] ?? "")" == "\(remote[key] ?? "")", "\(key): \(local) vs \(viaHTTP)")
        }
        let localCodes = local.stderr.split(separator: "\n").compactMap { line in
            line.range(of: "error[").map { String(line[$0.upperBound...].prefix { $0 != "]" }) }
        }
        let rejections = (remote["rows"] as? [[String: Any]]) ?? []
        #expect(rejections.compactMap { $0["code"] as? String } == localCodes, "\(rejections) vs \(localCodes)")
        let report = try #require(viaHTTP.json?["errors_report"] as? String)
        let errors = try await http.get(report, headers: ["Authorization": "Bearer \(token)"])
        #expect(errors.status == 200 && errors.text.contains("110101199001011234"), "\(errors)")
        // Another account cannot fetch it.
        let other = try await http.login(w.hrHospital, w.password)
        #expect(try await http.get(report, headers: ["Authorization": "Bearer \(other)"]).status == 404)
        // Committed: the valid row is filed, as by regctl import.
        let committed = try await http.request(
            "POST", "/api/v1/imports/contracts?file=contracts.csv", body: Data(csv.utf8),
            headers: ["Authorization": "Bearer \(token)", "Content-Type": "text/csv"])
        #expect((committed.json?["result"] as? [String: Any])?["added"] as? Int == 1, "\(committed)")
        #expect(try w.count("SELECT count(*) FROM filing WHERE contract_no = \("C-\(w.tag)-1")") == 1)
    }

    @Test func twoServersShareSessionsAndTheCLIPrintsTheSameThroughEither() async throws {
        let w = try World()
        let one = try w.serve(), two = try w.serve()
        let token = try await HTTP(one.url).login(w.zj, w.password)
        let onTwo = try await HTTP(two.url).post(
            "/api/v1/commands/institution.list", json: #"{"region":"330000"}"#,
            headers: ["Authorization": "Bearer \(token)"])
        #expect(onTwo.status == 200 && onTwo.text.contains("杭州和睦门诊部"), "a session made on one serves on the other")

        // The binary as the client: login keeps the token 0600; commands print exactly as locally.
        let config = NSTemporaryDirectory() + "regctl-config-\(w.tag)"
        defer { try? FileManager.default.removeItem(atPath: config) }
        let env = ["XDG_CONFIG_HOME": config, "REGCTL_TODAY": "2026-03-02"]
        let login = CLI.run(
            ["login", "--server", two.url, "--id", w.zj, "--password-stdin"], database: nil, stdin: w.password + "\n",
            environment: env)
        #expect(login.status == 0, "\(login)")
        var st = stat()
        #expect(stat(config + "/regctl/session.json", &st) == 0 && st.st_mode & 0o777 == 0o600)
        let remoteEnv = env.merging(["REGCTL_SERVER": two.url]) { a, _ in a }
        for args in [
            ["institution", "list", "--region", "330000"],
            ["institution", "list", "--region", "330000", "--format", "json"],
            ["institution", "list", "--region", "330000", "--format", "csv", "--lang", "zh"],
            ["institution", "show", w.hospitalCode], ["institution", "list", "--region", "33"],
            ["physician", "show", w.idNumber, "--lang", "zh"], ["report", "multisite", "--region", "330000"],
            ["lookup", "physician", "--certificate", w.certificate]
        ] {
            let local = w.run(args, as: w.zj)
            let remote = CLI.run(args, database: nil, environment: remoteEnv)
            #expect(
                local.status == remote.status && local.stdout == remote.stdout && local.stderr == remote.stderr,
                "\(args): local \(local) remote \(remote)")
        }
        // exec streams through the server.
        let exec = CLI.run(
            ["exec"], database: nil, stdin: #"{"command":"region.list","args":{"parent":"330100"}}"# + "\n",
            environment: remoteEnv)
        #expect(exec.status == 0 && exec.stdout.hasPrefix(#"{"ok":true"#), "\(exec)")
        // --as names another account: refused rather than silently acting as the session's.
        let other = CLI.run(["staff", "list", "--as", w.admin], database: nil, environment: remoteEnv)
        #expect(other.status == 1 && other.stderr.contains("permission.denied"), "\(other)")
        #expect(CLI.run(["logout"], database: nil, environment: remoteEnv).status == 0)
        let after = CLI.run(["institution", "list", "--region", "330000"], database: nil, environment: remoteEnv)
        #expect(after.status == 77, "\(after)")
    }

    /// The HR flow of the pages, as a browser sends it: log in, upload a contracts file (multipart), read the
    /// dry run row by row, confirm, download the errors report.
    @Test func theHRUploadFlowThroughThePages() async throws {
        let w = try World()
        let server = try w.serve()
        let http = HTTP(server.url)
        let zh = ["Accept-Language": "zh-CN"]
        let form = try await http.get("/login", headers: zh)
        let csrf = try #require(form.cookie("regctl_login_csrf"))
        let login = try await http.request(
            "POST", "/login", body: Data("id=\(w.hrClinic)&password=\(w.password)&csrf=\(csrf)".utf8),
            headers: ["Content-Type": "application/x-www-form-urlencoded", "Cookie": "regctl_login_csrf=\(csrf)"])
        let cookie = "regctl_session=" + (try #require(login.cookie("regctl_session")))
        let home = try await http.get("/hr", headers: zh.merging(["Cookie": cookie]) { a, _ in a })
        let token = try #require(Self.hidden("csrf", in: home.text))
        let csv = """
            合同编号,身份证号,机构统一社会信用代码,开始日期,结束日期
            P-\(w.tag)-1,\(w.idNumber),\(w.clinicCode),2026-03-02,2027-03-01
            P-\(w.tag)-2,110101199001011234,\(w.clinicCode),2026-03-02,2027-03-01

            """
        func multipart(_ fields: [(String, String)], file: String) -> (Data, String) {
            let boundary = "----regctl\(w.tag)"
            var body = ""
            for (k, v) in fields {
                body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n"
            }
            body +=
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"合同.csv\"\r\nContent-Type: text/csv\r\n\r\n\(file)\r\n--\(boundary)--\r\n"
            return (Data(body.utf8), "multipart/form-data; boundary=\(boundary)")
        }
        // A forged upload (no token) is refused before anything is read into the registry.
        let (forgedBody, forgedType) = multipart([("kind", "contracts")], file: csv)
        let forged = try await http.request(
            "POST", "/hr/upload", body: forgedBody, headers: ["Content-Type": forgedType, "Cookie": cookie])
        #expect(forged.status == 403, "\(forged)")
        let (body, type) = multipart([("csrf", token), ("kind", "contracts")], file: csv)
        let dry = try await http.request(
            "POST", "/hr/upload", body: body,
            headers: zh.merging(["Content-Type": type, "Cookie": cookie]) { a, _ in a })
        #expect(dry.status == 200 && dry.text.contains("试运行") && dry.text.contains("被拒绝的行"), "\(dry)")
        #expect(dry.text.contains("110101199001011234"), "the rejected row, as sent, for its own HR")
        #expect(
            try w.count("SELECT count(*) FROM filing WHERE contract_no LIKE \("P-\(w.tag)-%")") == 0,
            "a dry run commits nothing")
        let upload = try #require(Self.hidden("upload", in: dry.text))
        let errorsLink = try #require(
            dry.text.range(of: "/hr/errors/").map { String(dry.text[$0.lowerBound...].prefix(47)) })
        let errors = try await http.get(errorsLink, headers: ["Cookie": cookie])
        #expect(
            errors.status == 200 && errors.header("Content-Disposition")?.contains("attachment") == true, "\(errors)")
        let confirmed = try await http.request(
            "POST", "/hr/confirm", body: Data("csrf=\(token)&upload=\(upload)".utf8),
            headers: zh.merging(["Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie]) { a, _ in a })
        #expect(confirmed.status == 200 && confirmed.text.contains("导入结果"), "\(confirmed)")
        #expect(try w.count("SELECT count(*) FROM filing WHERE contract_no = \("P-\(w.tag)-1")") == 1)
        // The upload is gone once confirmed: a second confirmation finds nothing.
        let again = try await http.request(
            "POST", "/hr/confirm", body: Data("csrf=\(token)&upload=\(upload)".utf8),
            headers: ["Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie])
        #expect(again.status == 404)
        // Another HR account's session cannot confirm or download this account's files.
        let roster = try await http.get("/hr/roster", headers: zh.merging(["Cookie": cookie]) { a, _ in a })
        #expect(roster.text.contains("张伟") && !roster.text.contains(w.idNumber), "\(roster.text.prefix(500))")
    }

    static func hidden(_ name: String, in html: String) -> String? {
        guard let r = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
        return String(html[r.upperBound...].prefix { $0 != "\"" })
    }

    /// TLS with NIOSSL: HSTS on every answer, and the CLI verifying the server against the commission's CA.
    @Test func tlsWithACertificate() async throws {
        let w = try World()
        let dir = NSTemporaryDirectory() + "regctl-tls-\(w.tag)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let made = CLI.spawn(
            [
                "/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", dir + "/key.pem", "-out", dir + "/cert.pem"
            ], environment: ProcessInfo.processInfo.environment, stdin: "")
        try #require(made.status == 0, "\(made)")
        let server = try w.serve(["--tls-cert", dir + "/cert.pem", "--tls-key", dir + "/key.pem"])
        #expect(server.url.hasPrefix("https://127.0.0.1:"))
        let curl = CLI.spawn(
            ["/usr/bin/curl", "-sS", "-i", "--cacert", dir + "/cert.pem", server.url + "/healthz"],
            environment: ProcessInfo.processInfo.environment, stdin: "")
        #expect(curl.status == 0 && curl.stdout.lowercased().contains("strict-transport-security: max-age="), "\(curl)")
        let plain = CLI.spawn(
            [
                "/usr/bin/curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}",
                server.url.replacingOccurrences(of: "https", with: "http") + "/healthz"
            ],
            environment: ProcessInfo.processInfo.environment, stdin: "")
        #expect(plain.stdout != "200", "no plain HTTP on the TLS port")
        let config = dir + "/config"
        let env = ["XDG_CONFIG_HOME": config, "REGCTL_SERVER_CA": dir + "/cert.pem"]
        let login = CLI.run(
            ["login", "--server", server.url, "--id", w.zj, "--password-stdin"], database: nil,
            stdin: w.password + "\n",
            environment: env)
        #expect(login.status == 0, "\(login)")
        let listed = CLI.run(
            ["institution", "list", "--region", "330000", "--server", server.url], database: nil, environment: env)
        #expect(listed.status == 0 && listed.stdout.contains("杭州和睦门诊部"), "\(listed)")
        // Without the CA the server's certificate is not trusted: refused, not ignored.
        let untrusted = CLI.run(
            ["login", "--server", server.url, "--id", w.zj, "--password-stdin"], database: nil,
            stdin: w.password + "\n",
            environment: ["XDG_CONFIG_HOME": config])
        #expect(untrusted.status == 69, "\(untrusted)")
        // Without TLS, only loopback.
        let exposed = CLI.run(["serve", "--listen", "0.0.0.0:0"], database: w.db.url)
        #expect(exposed.status == 64 && exposed.stderr.contains("loopback"), "\(exposed)")
    }

    /// A contracts file of `rows` rows, each refused for its ID number: a dry run of it holds a connection of
    /// the pool for a while.
    static func refusedContracts(_ w: World, rows: Int, prefix: String) -> Data {
        var csv = "contract_no,id_number,institution,from,to\n"
        for i in 0..<rows {
            csv += "\(prefix)-\(w.tag)-\(i),110101199001011234,\(w.clinicCode),2026-03-02,2027-03-01\n"
        }
        return Data(csv.utf8)
    }

    static func dryRun(_ http: HTTP, token: String, _ body: Data) async throws -> HTTP.Answer {
        try await http.request(
            "POST", "/api/v1/imports/contracts?mode=dry-run", body: body,
            headers: ["Authorization": "Bearer \(token)", "Content-Type": "text/csv"])
    }

    /// SIGTERM while an import runs: the import finishes and is answered, then the server exits 0.
    @Test func gracefulShutdownFinishesTheRequestsInFlight() async throws {
        let w = try World()
        let server = try w.serve()
        let http = HTTP(server.url)
        let token = try await http.login(w.hrClinic, w.password)
        let body = Self.refusedContracts(w, rows: 30_000, prefix: "G")  // made before the clock starts
        async let answer = Self.dryRun(http, token: token, body)
        try await Task.sleep(for: .milliseconds(400))
        kill(server.pid, SIGTERM)
        let done = try await answer
        #expect(
            done.status == 200 && (done.json?["result"] as? [String: Any])?["read"] as? Int == 30_000, "\(done.status)")
        #expect(server.stop() == 0)
    }

    /// The public role, attacked in plain SQL as the application login: it runs the public functions and
    /// reads regions, nothing else.
    @Test func thePublicRoleReadsThroughThePublicFunctionsOnly() throws {
        let w = try World()
        let c = try w.db.connect()
        try c.execute("BEGIN")
        try c.execute("SET LOCAL ROLE regctl_public")
        func refusal(_ sql: String) -> String? {
            _ = try? c.execute("SAVEPOINT probe")
            defer { _ = try? c.execute("ROLLBACK TO SAVEPOINT probe") }
            do {
                try c.execute(SQL(unsafeSQL: sql))
                return nil
            } catch let e as PostgresError { return e.sqlState } catch { return "\(error)" }
        }
        for sql in [
            "SELECT * FROM physician", "SELECT * FROM physician_v", "SELECT * FROM nurse",
            "SELECT * FROM credit_record",
            "SELECT * FROM staff", "SELECT * FROM app_session", "SELECT * FROM app_file", "SELECT * FROM event",
            "SELECT * FROM regctl_physicians(NULL, ARRAY['\(w.idNumber)'])", "INSERT INTO region VALUES ('999999')",
            "SELECT regctl_seal_events(10)"
        ] {
            #expect(refusal(sql) == "42501", "\(sql)")
        }
        #expect(refusal("SELECT * FROM regctl_public_physicians('张伟', NULL, NULL, NULL, 10)") == nil)
        #expect(refusal("SELECT count(*) FROM region") == nil)
        try c.execute("ROLLBACK")
    }

    /// R-61's public kinds are kept twice, in Swift (`CreditKind.isPublic`) and in `regctl_public_credit`'s SQL:
    /// one table of cases, every kind, both copies asked.
    @Test func publicCreditKinds() throws {
        let w = try World()
        let c = try w.db.connect()
        let subject = UUID()
        for kind in CreditKind.allCases {
            try c.execute(
                """
                INSERT INTO credit_record (id, subject, subject_kind, province, kind, decided_on, document)
                VALUES (\(UUID()), \(subject), 'physician', '330000', \(kind.rawValue), '2026-01-05', \("文书-" + kind.rawValue))
                """)
        }
        // Every kind asked: the function answers only what it calls public, whatever Swift passes.
        let every = CreditKind.allCases.map(\.rawValue)
        let answered = Set(
            try c.query("SELECT kind FROM regctl_public_credit(\([subject])::uuid[], \(every)::text[])").map {
                try $0.decode(0, as: String.self)
            })
        #expect(answered == Set(CreditKind.allCases.filter(\.isPublic).map(\.rawValue)), "\(answered)")
    }

    /// A staff member's own login, in plain SQL, reads none of the door's tables (sessions, throttles, kept
    /// files) and cannot take the public role.
    @Test func staffLoginsReadNoneOfTheDoorsTables() throws {
        let w = try World()
        for account in [w.admin, w.zj, w.hrClinic] {
            let c = try Connection(w.db.url, overrides: [("user", account), ("password", w.password)])
            for sql in [
                "SELECT * FROM app_session", "SELECT * FROM login_failure", "SELECT * FROM app_file",
                "DELETE FROM app_session", "SET ROLE regctl_public"
            ] {
                var state: String?
                do { try c.execute(SQL(unsafeSQL: sql)) } catch let e as PostgresError { state = e.sqlState }
                #expect(state == "42501", "\(account): \(sql)")
            }
        }
    }

    /// The pool's bound: with one connection held by an import, a command waits `--pool-wait`, then gets
    /// 503 with Retry-After; a session idle past `--session-idle` ends.
    @Test func anExhaustedPoolAnswers503AndAnIdleSessionEnds() async throws {
        let w = try World()
        let server = try w.serve(["--pool", "1", "--pool-wait", "0.2", "--session-idle", "2"])
        let http = HTTP(server.url)
        let token = try await http.login(w.hrClinic, w.password)
        let body = Self.refusedContracts(w, rows: 60_000, prefix: "B")
        async let long = Self.dryRun(http, token: token, body)
        try await Task.sleep(for: .milliseconds(600))
        let waited = try await http.get("/api/v1/public/institutions?uscc=\(w.clinicCode)")
        #expect(waited.status == 503 && waited.header("Retry-After") != nil, "\(waited)")
        #expect(waited.json?["code"] as? String == "db.busy")
        #expect(try await long.status == 200)
        let metrics = try await http.get("/metrics")
        #expect(metrics.text.contains("regctl_pool_exhausted"))
        // Idle for longer than the session's idle time: the token no longer works.
        try await Task.sleep(for: .seconds(3))
        let idle = try await http.post(
            "/api/v1/commands/staff.list", json: "{}", headers: ["Authorization": "Bearer \(token)"])
        #expect(idle.status == 401, "\(idle)")
    }

    /// exec over HTTP streams both ways: through `regctl exec --server`, a line's answer comes back while the
    /// next line is not yet written (a program that sends one line and waits gets its answer).
    @Test func execStreamsBothWaysThroughTheCLI() async throws {
        let w = try World()
        let server = try w.serve()
        let config = NSTemporaryDirectory() + "regctl-config-\(w.tag)"
        defer { try? FileManager.default.removeItem(atPath: config) }
        let login = CLI.run(
            ["login", "--server", server.url, "--id", w.zj, "--password-stdin"], database: nil,
            stdin: w.password + "\n",
            environment: ["XDG_CONFIG_HOME": config])
        try #require(login.status == 0, "\(login)")
        var toChild: [Int32] = [0, 0], fromChild: [Int32] = [0, 0]
        pipe(&toChild)
        pipe(&fromChild)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
        posix_spawn_file_actions_addclose(&actions, toChild[1])
        posix_spawn_file_actions_addclose(&actions, fromChild[0])
        var env = ProcessInfo.processInfo.environment
        env["XDG_CONFIG_HOME"] = config
        env["REGCTL_SERVER"] = server.url
        let argv = [CLI.binary, "exec"]
        let cArgs = argv.map { strdup($0) } + [nil]
        let cEnv = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (cArgs + cEnv).forEach { free($0) } }
        var pid: pid_t = 0
        try #require(posix_spawn(&pid, argv[0], &actions, nil, cArgs, cEnv) == 0)
        close(toChild[0])
        close(fromChild[1])
        func send(_ line: String) { _ = line.withCString { write(toChild[1], $0, strlen($0)) } }
        func readLine(timeout: Int32) -> String? {
            var line = [UInt8]()
            var byte: UInt8 = 0
            while true {
                var poller = pollfd(fd: fromChild[0], events: Int16(POLLIN), revents: 0)
                guard poll(&poller, 1, timeout * 1000) == 1, read(fromChild[0], &byte, 1) == 1 else { return nil }
                if byte == 0x0A { return String(decoding: line, as: UTF8.self) }
                line.append(byte)
            }
        }
        send(#"{"command":"region.list","args":{"parent":"330100"}}"# + "\n")
        let first = readLine(timeout: 20)
        #expect(
            first?.hasPrefix(#"{"ok":true"#) == true,
            "the first answer while the input is still open: \(first ?? "none")")
        send(#"{"command":"institution.list","args":{"region":"330000"}}"# + "\n")
        let second = readLine(timeout: 20)
        #expect(second?.contains("杭州和睦门诊部") == true, "\(second ?? "none")")
        close(toChild[1])
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        close(fromChild[0])
        #expect((status >> 8) & 0xff == 0)
    }

    /// A client that sends its headers and then stops sending its body is answered 408 after the body timeout,
    /// and holds no connection of the pool meanwhile.
    @Test func aStalledBodyTimesOut() async throws {
        let w = try World()
        let server = try w.serve(["--body-timeout", "1"])
        let port = try #require(server.url.split(separator: ":").last.flatMap { UInt16($0) })
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = port.bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        try #require(connected == 0)
        let head =
            "POST /api/v1/sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"id\""
        _ = head.withCString { write(fd, $0, strlen($0)) }
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        #expect(poll(&poller, 1, 10_000) == 1, "an answer within 10 s")
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = read(fd, &buffer, buffer.count)
        let answer = String(decoding: buffer.prefix(max(0, n)), as: UTF8.self)
        #expect(answer.hasPrefix("HTTP/1.1 408"), "\(answer)")
    }
}
