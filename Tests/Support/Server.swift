import Foundation
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
#if canImport(Glibc)
    import Glibc
#endif

/// `regctl serve` run as an operator runs it: the binary, on a free loopback port, against a test database;
/// stopped with SIGTERM.
public final class ServerProcess: @unchecked Sendable {
    public let pid: pid_t
    public let url: String
    public let logPath: String
    let outPath: String

    /// Starts the server and waits until it prints the address it listens on.
    public init(database: String, arguments: [String] = [], environment extra: [String: String] = [:]) throws {
        let base = NSTemporaryDirectory() + "regctl-serve-\(getpid())-\(UUID().uuidString)"
        outPath = base + ".out"
        logPath = base + ".log"
        var env = ProcessInfo.processInfo.environment
        env["REGCTL_HOME"] = TestCluster.home
        env["REGCTL_LANG"] = "en"
        env["DATABASE_URL"] = database
        env["REGCTL_TODAY"] = "2026-03-02"
        for (k, v) in extra { env[k] = v }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv = [CLI.binary, "serve", "--listen", "127.0.0.1:0"] + arguments
        let cArgs = argv.map { strdup($0) } + [nil]
        let cEnv = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (cArgs + cEnv).forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, argv[0], &actions, nil, cArgs, cEnv)
        guard rc == 0 else { throw ServerError("spawn failed: \(String(cString: strerror(rc)))") }
        self.pid = pid
        let deadline = Date().addingTimeInterval(60)
        var found: String?
        while Date() < deadline {
            if let out = try? String(contentsOfFile: outPath, encoding: .utf8),
                let line = out.split(separator: "\n").first(where: { $0.hasPrefix("listening on ") })
            {
                found = String(line.dropFirst("listening on ".count))
                break
            }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                throw ServerError(
                    "regctl serve exited: \((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "")")
            }
            usleep(50_000)
        }
        guard let found else {
            kill(pid, SIGKILL)
            throw ServerError("regctl serve did not start within 60 s")
        }
        url = found
    }

    /// What the server wrote on stderr (its access log among it).
    public var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// SIGTERM, then waits for the exit; its status.
    @discardableResult
    public func stop(timeout: Double = 30) -> Int32? {
        kill(pid, SIGTERM)
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                return status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
            }
            usleep(20_000)
        }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        return nil
    }

    deinit {
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == 0 { _ = stop() }
        unlink(outPath)
        unlink(logPath)
    }
}

public struct ServerError: Error, CustomStringConvertible {
    public let description: String
    public init(_ d: String) { description = d }
}

/// A real HTTP client (Foundation's URLSession, libcurl underneath): redirects are not followed and no
/// cookie is kept unless the test sends it, so that each test sees exactly what the server answered.
public struct HTTP: Sendable {
    public struct Answer: Sendable, CustomStringConvertible {
        public let status: Int
        public let headers: [String: String]
        public let body: Data
        public var text: String { String(decoding: body, as: UTF8.self) }
        public var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] }
        public func header(_ name: String) -> String? {
            headers.first { $0.key.lowercased() == name.lowercased() }?.value
        }
        public var description: String { "HTTP \(status) \(headers)\n\(text.prefix(2000))" }

        /// The value a Set-Cookie header gave `name` (URLSession joins several with commas).
        public func cookie(_ name: String) -> String? {
            guard let all = header("Set-Cookie") else { return nil }
            for part in all.components(separatedBy: ",") {
                let trimmed = part.trimmingCharacters(in: .whitespaces)
                if trimmed.hasPrefix(name + "=") {
                    return String(trimmed.dropFirst(name.count + 1).prefix { $0 != ";" })
                }
            }
            return nil
        }
    }

    final class NoRedirects: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
        func urlSession(
            _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
            newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void
        ) {
            completionHandler(nil)
        }
    }

    static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpShouldSetCookies = false
        configuration.httpCookieAcceptPolicy = .never
        configuration.timeoutIntervalForRequest = 120
        return URLSession(configuration: configuration, delegate: NoRedirects(), delegateQueue: nil)
    }()

    public let base: String
    public init(_ base: String) { self.base = base }

    public func request(
        _ method: String, _ path: String, body: Data? = nil, headers: [String: String] = [:]
    ) async throws -> Answer {
        var request = URLRequest(url: URL(string: base + path)!)
        request.httpMethod = method
        request.httpBody = body
        for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
        let (data, response) = try await HTTP.session.data(for: request)
        let http = response as! HTTPURLResponse
        var fields: [String: String] = [:]
        for (k, v) in http.allHeaderFields { fields["\(k)"] = "\(v)" }
        return Answer(status: http.statusCode, headers: fields, body: data)
    }

    public func get(_ path: String, headers: [String: String] = [:]) async throws -> Answer {
        try await request("GET", path, headers: headers)
    }

    public func post(_ path: String, json: String, headers: [String: String] = [:]) async throws -> Answer {
        try await request(
            "POST", path, body: Data(json.utf8),
            headers: headers.merging(["Content-Type": "application/json"]) { a, _ in a })
    }

    /// Logs in; the bearer token.
    public func login(_ account: String, _ password: String) async throws -> String {
        let answer = try await post("/api/v1/sessions", json: "{\"id\":\"\(account)\",\"password\":\"\(password)\"}")
        guard answer.status == 201, let token = answer.json?["token"] as? String else {
            throw ServerError("login of \(account) failed: \(answer)")
        }
        return token
    }
}
