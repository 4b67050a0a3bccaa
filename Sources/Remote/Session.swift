import API
import Registration
import Foundation
import NIOHTTP1
import Rendering

/// The token `regctl login` keeps: in the user's config directory (`$XDG_CONFIG_HOME/regctl/session.json`,
/// else `~/.config/regctl/session.json`), the directory 0700 and the file 0600, one server's session.
public struct SavedSession: Codable, Sendable {
    public let server: String
    public let account: String
    public let token: String

    public static func path(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let base =
            environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.config")
        return base + "/regctl/session.json"
    }

    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment) -> SavedSession? {
        guard let data = FileManager.default.contents(atPath: path(environment: environment)) else { return nil }
        return try? JSONDecoder().decode(SavedSession.self, from: data)
    }

    public func save(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let file = SavedSession.path(environment: environment)
        let directory = (file as NSString).deletingLastPathComponent
        let old = umask(0o077)
        defer { umask(old) }
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let temporary = file + ".\(getpid())"
        guard
            FileManager.default.createFile(
                atPath: temporary, contents: try JSONEncoder().encode(self), attributes: [.posixPermissions: 0o600])
        else {
            throw RegctlError("input.file", "cannot write \(temporary): check the config directory", status: .usage)
        }
        guard rename(temporary, file) == 0 else {
            unlink(temporary)
            throw RegctlError("input.file", "cannot write \(file): check the config directory", status: .usage)
        }
    }

    public static func remove(environment: [String: String] = ProcessInfo.processInfo.environment) {
        unlink(path(environment: environment))
    }
}

/// The CLI's commands sent to a server: the same names and arguments as exec; the answer is the command's
/// whole output, which the CLI prints itself (so that it prints exactly what it prints locally).
public struct RemoteCommands: Sendable {
    public let server: RemoteServer
    public let token: String
    public let account: String

    /// The server from `--server`/`REGCTL_SERVER` and the token `regctl login` kept for it (or `REGCTL_TOKEN`).
    public init(server address: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        server = try RemoteServer(address)
        if let token = environment["REGCTL_TOKEN"], !token.isEmpty {
            self.token = token
            account = environment["REGCTL_AS"] ?? ""
            return
        }
        guard let saved = SavedSession.load(environment: environment),
            (try? RemoteServer(saved.server))?.address == server.address
        else {
            throw RegctlError(
                "http.unauthenticated",
                "you are not logged in to \(server.address): run regctl login --server \(server.address) --id ACCOUNT",
                status: .authentication)
        }
        token = saved.token
        account = saved.account
    }

    var authorization: [(String, String)] { [("Authorization", "Bearer " + token), ("Accept-Language", "en")] }

    /// Runs a command on the server; its output.
    public func run(_ name: String, _ arguments: Arguments) throws -> CommandOutput {
        let answer = try server.send(
            .POST, "/api/v1/commands/" + name,
            headers: authorization + [
                ("Accept", "application/vnd.regctl.output+json"), ("Content-Type", "application/json")
            ],
            body: .bytes(Data(arguments.json.utf8)))
        if let failure = answer.failure(from: server.address) { throw failure }
        return try decode(answer.body)
    }

    func decode(_ body: Data) throws -> CommandOutput {
        do { return try CommandOutput.fromWire(body) } catch {
            throw RegctlError(
                "server.unavailable", "the server's answer could not be read (a different version of regctl?)",
                status: .unavailable)
        }
    }

    /// Streams exec's lines up from `input` and the answers down to `output` as each arrives.
    public func exec(input: Int32, output: @escaping @Sendable (Data) -> Void) throws {
        let answer = try server.send(
            .POST, "/api/v1/exec", headers: authorization + [("Content-Type", "application/x-ndjson")],
            body: .stream(input), onBody: output)
        if let failure = answer.failure(from: server.address) { throw failure }
    }

    /// What an upload gives back: the summary (with the first rejected rows) and the errors report's address.
    public struct Imported: Sendable {
        public let output: CommandOutput
        public let errorsReport: String?
    }

    /// Uploads a file to the importer (`kind` an import kind, or `calendar`), streamed from its descriptor.
    public func upload(
        kind: String, file: Int32, name: String, query: [(String, String)], language: Language
    ) throws -> Imported {
        var parameters = query + [("file", name), ("lang", language.rawValue)]
        parameters = parameters.filter { !$0.1.isEmpty }
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        let q = parameters.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }
            .joined(separator: "&")
        let answer = try server.send(
            .POST, "/api/v1/imports/\(kind)?\(q)",
            headers: authorization + [
                ("Accept", "application/vnd.regctl.output+json"), ("Content-Type", "application/octet-stream")
            ], body: .stream(file))
        if let failure = answer.failure(from: server.address) { throw failure }
        let link = answer.header("Link").flatMap { value -> String? in
            guard let start = value.firstIndex(of: "<"), let end = value.firstIndex(of: ">") else { return nil }
            return String(value[value.index(after: start)..<end])
        }
        return Imported(output: try decode(answer.body), errorsReport: link)
    }

    /// Downloads a file the server keeps for this account (an errors report) to `path`.
    public func download(_ address: String, to path: String) throws {
        let prefix = server.basePath
        let relative = address.hasPrefix(prefix) ? String(address.dropFirst(prefix.count)) : address
        let answer = try server.send(.GET, relative, headers: authorization)
        if let failure = answer.failure(from: server.address) { throw failure }
        guard
            FileManager.default.createFile(atPath: path, contents: answer.body, attributes: [.posixPermissions: 0o600])
        else {
            throw RegctlError(
                "input.file", "cannot write \(Quoted.value(path)): check that its folder exists and may be written",
                status: .usage, field: "errors")
        }
    }

    /// Logs in: the account's password checked by the server; the session saved for the next commands.
    public static func login(server address: String, account: String, password: String) throws -> SavedSession {
        let server = try RemoteServer(address)
        let body = "{\"id\":\(JSONText.quote(account)),\"password\":\(JSONText.quote(password))}"
        let answer = try server.send(
            .POST, "/api/v1/sessions", headers: [("Content-Type", "application/json"), ("Accept-Language", "en")],
            body: .bytes(Data(body.utf8)))
        if let failure = answer.failure(from: server.address) { throw failure }
        guard let object = try? JSONSerialization.jsonObject(with: answer.body) as? [String: Any],
            let token = object["token"] as? String
        else {
            throw RegctlError(
                "server.unavailable", "the server's answer to the login could not be read", status: .unavailable)
        }
        let saved = SavedSession(server: server.address, account: account, token: token)
        try saved.save()
        return saved
    }

    /// Logs out: the session ended on the server, the saved token removed.
    public func logout() throws {
        let answer = try server.send(.DELETE, "/api/v1/sessions", headers: authorization)
        if let failure = answer.failure(from: server.address) { throw failure }
        SavedSession.remove()
    }
}
