import API
import ArgumentParser
import Foundation
import Server

/// `regctl serve`: the network door (HTTP, Hummingbird), running the same handler and commands as the CLI.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the registry over HTTP: the public lookup, the JSON API, HR's upload pages.",
        discussion: """
            Without --tls-cert it listens on loopback only: put a reverse proxy with TLS in front (README). The \
            database login must be the application login (a member of regctl_app): staff log in with their own \
            accounts. Prints the address it listens on; stops on SIGTERM or SIGINT after the requests in flight.
            """)

    @Option(
        help: ArgumentHelp("Where to listen (default 127.0.0.1:8080; port 0 picks a free one).", valueName: "host:port")
    )
    var listen = "127.0.0.1:8080"
    @Option(
        help: ArgumentHelp(
            "A libpq connection string or URI of the application login (default: $DATABASE_URL, else the embedded cluster).",
            valueName: "url"))
    var database: String?
    @Option(
        name: .customLong("read-database"),
        help: ArgumentHelp(
            "A standby for the commands that only read and the public look-ups (default: $REGCTL_READ_URL); events are still written on the primary.",
            valueName: "url"))
    var readDatabase: String?
    @Option(help: ArgumentHelp("The TLS certificate chain (PEM).", valueName: "file")) var tlsCert: String?
    @Option(help: ArgumentHelp("The TLS private key (PEM).", valueName: "file")) var tlsKey: String?
    @Option(help: "Database connections in the pool (default: twice the cores).") var pool: Int?
    @Option(help: "Seconds a request waits for a connection before 503 (default 5).") var poolWait: Double = 5
    @Option(help: "Seconds of idleness that end a staff session (default 1800).") var sessionIdle = 1800
    @Option(help: "Public look-ups a minute per address (default 120).") var publicRate = 120
    @Option(help: "Public look-ups an address may make at once before the rate applies (default 40).")
    var publicBurst = 40
    @Option(help: "Failed logins an account or an address may have in the window before it waits (default 5).")
    var loginFailures = 5
    @Option(help: "Failed logins one address may have in the window, whatever the accounts (default 50).")
    var loginAddressFailures = 50
    @Option(help: "The window of failed logins, in seconds (default 900).") var loginWindow = 900
    @Option(help: "Login attempts a minute per address (default 20).") var loginRate = 20
    @Option(help: "The largest upload, in MiB (default 512).") var uploadLimit = 512
    @Option(help: "Seconds a client may take between two pieces of a request body (default 60).") var bodyTimeout = 60
    @Option(
        help: ArgumentHelp(
            "The reverse proxy's address: from it, the client's address is X-Forwarded-For's last.",
            valueName: "address"))
    var trustedProxy: String?

    func validate() throws {
        guard split(listen) != nil else { throw ValidationError("--listen is HOST:PORT, such as 127.0.0.1:8080") }
        if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("give --tls-cert and --tls-key together") }
        if let host = split(listen)?.host, tlsCert == nil, !["127.0.0.1", "::1", "localhost"].contains(host) {
            throw ValidationError(
                "without --tls-cert regctl serve listens on loopback only (127.0.0.1 or ::1): put a reverse proxy with TLS in front, or give --tls-cert and --tls-key"
            )
        }
        if let pool, pool < 1 || pool > 500 { throw ValidationError("--pool is 1 to 500") }
    }

    func split(_ s: String) -> (host: String, port: Int)? {
        guard let colon = s.lastIndex(of: ":"), let port = Int(s[s.index(after: colon)...]), (0...65535).contains(port)
        else { return nil }
        var host = String(s[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return host.isEmpty ? nil : (host, port)
    }

    func run() throws {
        try perform {
            let location = DatabaseLocation(url: database)
            // Started, migrated when behind (by an owner), and the login checked: it must act for others.
            let store = try location.open()
            let login = try store.login()
            guard login.actsForOthers else {
                throw RegctlError(
                    "permission.denied",
                    "\(login.name) is a staff login; regctl serve runs as the application login (a member of regctl_app), and staff log in to it with their own accounts",
                    rule: "R-70")
            }
            let (host, port) = split(listen)!
            var options = ServeOptions(location: location)
            options.host = host
            options.port = port
            options.tlsCertificate = tlsCert
            options.tlsKey = tlsKey
            if let pool { options.poolSize = pool }
            options.poolWaitSeconds = poolWait
            options.sessionIdleSeconds = sessionIdle
            options.publicPerMinute = publicRate
            options.publicBurst = publicBurst
            options.loginFailures = loginFailures
            options.loginAddressFailures = loginAddressFailures
            options.loginWindowSeconds = loginWindow
            options.loginPerMinute = loginRate
            options.uploadLimit = uploadLimit << 20
            options.bodyTimeoutSeconds = bodyTimeout
            options.trustedProxy = trustedProxy
            options.readURL = DatabaseLocation.readURL(readDatabase)
            options.onListening = { address in
                FileHandle.standardOutput.write(Data("listening on \(address)\n".utf8))
            }
            let chosen = options
            let done = DispatchSemaphore(value: 0)
            let failure = Failure()
            RegistryServer.runTasksOnEventLoops()
            Task.detached {
                do { try await RegistryServer.run(chosen) } catch { failure.error = error }
                done.signal()
            }
            done.wait()
            if let error = failure.error { throw error }
        }
    }

    final class Failure: @unchecked Sendable {
        var error: Error?
    }
}
