import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// README's deployment, run: nginx with the README's own configuration (its paths and ports replaced)
/// in front of `regctl serve --trusted-proxy`, TLS at nginx, the public lookup, a login and an upload
/// streamed through it, with curl as the client.
@Suite struct ServeDeploymentTests {
    /// The ```nginx block of README.md.
    static func readmeNginx() throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        guard let start = readme.range(of: "```nginx\n"),
            let end = readme.range(of: "\n```", range: start.upperBound..<readme.endIndex)
        else { throw ServerError("README.md has no ```nginx block") }
        return String(readme[start.upperBound..<end.lowerBound])
    }

    /// A port nobody listens on now (the kernel's choice, released for nginx to take).
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    @Test func nginxFromTheReadmeInFrontOfTheServer() throws {
        let db = try TestCluster.database()
        let tag = String(UUID().uuidString.lowercased().prefix(6))
        let password = "deploy-secret-123"
        let admin = "dep-\(tag)"
        let env = ["REGCTL_TODAY": "2026-03-02"]
        let added = CLI.run(
            ["staff", "add", "--id", admin, "--name", "管理", "--role", "admin", "--password-stdin"], database: db.url,
            stdin: password + "\n", environment: env)
        try #require(added.status == 0, "\(added)")
        let server = try ServerProcess(database: db.url, arguments: ["--trusted-proxy", "127.0.0.1"])
        let upstream = try #require(server.url.split(separator: ":").last.map(String.init))
        let dir = NSTemporaryDirectory() + "regctl-nginx-\(tag)"
        try FileManager.default.createDirectory(atPath: dir + "/logs", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let processEnv = ProcessInfo.processInfo.environment
        let cert = CLI.spawn(
            [
                "/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", dir + "/key.pem", "-out", dir + "/cert.pem"
            ], environment: processEnv, stdin: "")
        try #require(cert.status == 0, "\(cert)")
        let port = Self.freePort()
        let site = try Self.readmeNginx()
            .replacingOccurrences(of: "server 127.0.0.1:8080;", with: "server 127.0.0.1:\(upstream);")
            .replacingOccurrences(of: "listen 443 ssl;", with: "listen 127.0.0.1:\(port) ssl;")
            .replacingOccurrences(of: "/etc/regctl/tls/fullchain.pem", with: dir + "/cert.pem")
            .replacingOccurrences(of: "/etc/regctl/tls/privkey.pem", with: dir + "/key.pem")
        #expect(
            site.contains("127.0.0.1:\(port)") && site.contains(dir + "/cert.pem"), "the README's block changed shape")
        let conf = """
            pid \(dir)/nginx.pid;
            error_log \(dir)/logs/error.log;
            events { worker_connections 256; }
            http {
                access_log off;
                client_body_temp_path \(dir)/body; proxy_temp_path \(dir)/proxy;
                fastcgi_temp_path \(dir)/fastcgi; uwsgi_temp_path \(dir)/uwsgi; scgi_temp_path \(dir)/scgi;
            \(site)
            }

            """
        try conf.write(toFile: dir + "/nginx.conf", atomically: true, encoding: .utf8)
        let nginx = ["/usr/sbin/nginx", "-p", dir, "-c", dir + "/nginx.conf", "-e", dir + "/logs/error.log"]
        let check = CLI.spawn(nginx + ["-t"], environment: processEnv, stdin: "")
        try #require(check.status == 0, "nginx -t: \(check)")
        let started = CLI.spawn(nginx + ["-g", "daemon on; master_process on;"], environment: processEnv, stdin: "")
        try #require(started.status == 0, "\(started)")
        defer { _ = CLI.spawn(nginx + ["-s", "stop"], environment: processEnv, stdin: "") }
        let base = "https://127.0.0.1:\(port)"
        func curl(_ args: [String], stdin: String = "") -> CLIResult {
            CLI.spawn(
                ["/usr/bin/curl", "-sS", "--cacert", dir + "/cert.pem"] + args, environment: processEnv, stdin: stdin)
        }
        var ready = curl(["-i", base + "/readyz"])
        for _ in 0..<50 where !ready.stdout.contains("ready") {
            usleep(100_000)
            ready = curl(["-i", base + "/readyz"])
        }
        #expect(
            ready.stdout.contains("200") && ready.stdout.lowercased().contains("strict-transport-security"), "\(ready)")
        let lookup = curl(["-i", base + "/lookup?kind=institution&name=x"])
        #expect(lookup.stdout.contains("Content-Security-Policy"), "\(lookup)")
        let login = curl([
            "-X", "POST", "-H", "Content-Type: application/json", "-d",
            #"{"id":"\#(admin)","password":"\#(password)"}"#,
            base + "/api/v1/sessions"
        ])
        let token = try #require(
            ((try? JSONSerialization.jsonObject(with: Data(login.stdout.utf8))) as? [String: Any])?["token"] as? String,
            "\(login)")
        // An upload streamed through the proxy to the importer.
        let csv =
            "统一社会信用代码,机构名称,区划代码,举办主体,营利性,机构类别,核定床位\n"
            + "\(Make.creditCode(region: "330106", serial: 5)),西湖诊所,330106,社会办,否,诊所,0\n"
        try csv.write(toFile: dir + "/i.csv", atomically: true, encoding: .utf8)
        let upload = curl([
            "-X", "POST", "-T", dir + "/i.csv", "-H", "Authorization: Bearer \(token)", "-H", "Content-Type: text/csv",
            base + "/api/v1/imports/institutions?file=i.csv"
        ])
        #expect(upload.stdout.contains(#""added":1"#), "\(upload)")
        #expect(server.log.contains("127.0.0.1 POST /api/v1/imports/{kind} 200"), "\(server.log.suffix(500))")
    }
}
