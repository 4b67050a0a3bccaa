import CLibPQ
import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// Why the embedded cluster cannot be used, and what fixes it.
public struct ClusterError: Error, CustomStringConvertible, Sendable {
    public let message: String
    /// The request itself was wrong (a standby's home that holds a cluster), not the server: a usage error.
    public let isUsage: Bool
    public var description: String { message }
    public init(_ message: String, usage: Bool = false) {
        self.message = message
        self.isUsage = usage
    }
}

/// regctl's private PostgreSQL cluster: a data directory under `REGCTL_HOME`,
/// a server listening only on a Unix socket in that directory, started on demand.
///
/// PostgreSQL refuses to run as root, so when regctl runs as root the server
/// runs as the unprivileged `postgres` system user, which owns the data and
/// socket directories; root reaches the socket regardless of its mode.
public struct LocalCluster: Sendable {
    /// `REGCTL_HOME`: the directory holding `data/`, `run/` (the socket) and `log/`.
    public let home: String
    /// The cluster's superuser and the application database.
    public let superuser = "regctl"
    public let database: String

    public init(home: String, database: String = "regctl") {
        self.home = home
        self.database = database
    }

    /// `$REGCTL_HOME`; else `/var/lib/regctl` for root (root's home is 0700, which
    /// the server's user cannot enter); else `~/.local/share/regctl`.
    public static func defaultHome(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let home = environment["REGCTL_HOME"], !home.isEmpty { return home }
        if geteuid() == 0 { return "/var/lib/regctl" }
        let userHome = environment["HOME"] ?? NSHomeDirectory()
        return userHome + "/.local/share/regctl"
    }

    public var dataDirectory: String { home + "/data" }
    public var socketDirectory: String { home + "/run" }
    public var logFile: String { home + "/log/server.log" }

    /// A libpq URI for `database` on the socket.
    public func url(database name: String? = nil) -> String {
        "postgresql://\(superuser)@/\(name ?? database)?host=\(socketDirectory)"
    }

    public enum Status: String, Sendable {
        case notCreated = "not created"
        case stopped
        case running
    }

    public func status() -> Status {
        guard FileManager.default.fileExists(atPath: dataDirectory + "/PG_VERSION") else { return .notCreated }
        return isAccepting() ? .running : .stopped
    }

    func isAccepting() -> Bool {
        PQping(url(database: "postgres")) == PQPING_OK
    }

    // MARK: starting and stopping

    /// Creates the cluster if needed, starts it if stopped, and makes sure the
    /// application database exists. Safe to call from several processes at once.
    public func start() throws {
        if status() == .running {
            try ensureAuthentication(running: true)
            try ensureDatabase(database)
            return
        }
        try withLock {
            let server = try ServerUser.current()
            let binaries = try PostgresBinaries.locate()
            try prepareDirectories(for: server)
            if !FileManager.default.fileExists(atPath: dataDirectory + "/PG_VERSION") {
                try initialize(binaries: binaries, server: server)
            }
            try ensureAuthentication(running: false)
            if !isAccepting() {
                let run = try server.run(
                    binaries.pgCtl, ["-D", dataDirectory, "-l", logFile, "-w", "-t", "120", "-s", "start"])
                guard run.status == 0 || isAccepting() else {
                    throw ClusterError(
                        """
                        the embedded PostgreSQL server in \(dataDirectory) did not start: \(run.output.trimmingTrailingNewlines)
                        Its log is \(logFile). To start afresh: regctl db reset --yes (deletes the data).
                        """)
                }
            }
        }
        try ensureDatabase(database)
    }

    /// Stops the server (fast shutdown: open transactions roll back).
    public func stop() throws {
        guard status() == .running else { return }
        let server = try ServerUser.current()
        let binaries = try PostgresBinaries.locate()
        let run = try server.run(binaries.pgCtl, ["-D", dataDirectory, "-m", "fast", "-w", "-t", "120", "-s", "stop"])
        guard run.status == 0 else {
            throw ClusterError("could not stop the server in \(dataDirectory): \(run.output.trimmingTrailingNewlines)")
        }
    }

    /// Who may connect, and how: the cluster's superuser only by `peer` authentication, from the OS
    /// accounts that own the home and from root (`pg_ident.conf`'s map `regctl`), never on trust: the
    /// server's own OS user (which a program run by the server would be) is not among them; every other
    /// role, such as a staff account's login, with its password (scram-sha-256), as on a shared server.
    static let hba = """
        # Written by regctl for its embedded cluster (only its Unix socket listens).
        local all regctl peer map=regctl
        local all all scram-sha-256
        # Standbys (regctl db standby create) stream the WAL as this role, with its password.
        local replication regctl_replicator scram-sha-256

        """

    /// The OS accounts that may log in as the superuser: root and the owner of the home.
    func ident() -> String {
        var users = ["root"]
        var st = stat()
        if stat(home, &st) == 0, let pw = getpwuid(st.st_uid) {
            let owner = String(cString: pw.pointee.pw_name)
            if !users.contains(owner) { users.append(owner) }
        }
        return "# Written by regctl: the OS accounts that log in as the embedded cluster's superuser.\n"
            + users.map { "regctl \($0) \(superuser)\n" }.joined()
    }

    /// Writes pg_hba.conf and pg_ident.conf when they are not the above (clusters made by earlier
    /// versions trusted the socket) and reloads a running server.
    func ensureAuthentication(running: Bool) throws {
        let hbaPath = dataDirectory + "/pg_hba.conf", identPath = dataDirectory + "/pg_ident.conf"
        let ident = ident()
        func current() -> Bool {
            (try? String(contentsOfFile: hbaPath, encoding: .utf8)) == Self.hba
                && (try? String(contentsOfFile: identPath, encoding: .utf8)) == ident
        }
        guard !current() else { return }
        func write() throws {
            guard !current() else { return }
            let server = try ServerUser.current()
            try ident.write(toFile: identPath, atomically: false, encoding: .utf8)
            try server.own(identPath)
            try Self.hba.write(toFile: hbaPath, atomically: false, encoding: .utf8)
            if running {
                _ = try Connection(url(database: "postgres")).query("SELECT pg_reload_conf()")
            }
        }
        // Starting holds the lock already; a running server's file is rewritten under it.
        if running { try withLock(write) } else { try write() }
    }

    /// Creates `name` on the cluster unless it exists.
    public func ensureDatabase(_ name: String) throws {
        let admin = try Connection(url(database: "postgres"))
        let exists = try admin.query("SELECT 1 FROM pg_database WHERE datname = \(name)").count > 0
        if !exists {
            do {
                try admin.execute("CREATE DATABASE \(identifier: name)")
            } catch let e as PostgresError where e.sqlState == "42P04" || e.sqlState == "23505" {
                // Created by a concurrent process meanwhile: 42P04 when it had committed, 23505 (on
                // pg_database's name index) when both were creating it at the same moment.
                guard try admin.query("SELECT 1 FROM pg_database WHERE datname = \(name)").count > 0 else { throw e }
            }
        }
    }

    private func initialize(binaries: PostgresBinaries, server: ServerUser) throws {
        let run = try server.run(
            binaries.initdb,
            [
                "-D", dataDirectory, "-U", superuser, "--auth-local=peer", "--auth-host=reject", "-E", "UTF8",
                "--locale=C.UTF-8", "--no-instructions"
            ])
        guard run.status == 0 else {
            throw ClusterError("initdb failed for \(dataDirectory): \(run.output.trimmingTrailingNewlines)")
        }
        try writeSettings(server: server)
        let main = try FileHandle(forWritingTo: URL(fileURLWithPath: dataDirectory + "/postgresql.conf"))
        try main.seekToEnd()
        try main.write(contentsOf: Data("\ninclude_if_exists = 'regctl.conf'\n".utf8))
        try main.close()
    }

    /// `regctl.conf`, which postgresql.conf includes: the socket in this home, and the settings regctl runs
    /// best with. A standby's copy is rewritten for its own home, with its name (`cluster_name`, the name
    /// its primary knows it by: `synchronous_standby_names`, `pg_stat_replication`).
    func writeSettings(server: ServerUser, clusterName: String? = nil) throws {
        // Only the Unix socket, mode 0700; who may log in is pg_hba.conf's (ensureAuthentication).
        let settings = """
            # Written by regctl for its embedded cluster.
            listen_addresses = ''
            unix_socket_directories = '\(socketDirectory)'
            unix_socket_permissions = 0700
            max_connections = 200
            shared_buffers = 512MB
            work_mem = 32MB
            maintenance_work_mem = 512MB
            max_wal_size = 4GB
            # Reports are short analytic queries over data the OS keeps cached: compiling
            # them (JIT) costs more than it saves, and random reads cost little more than sequential.
            jit = off
            random_page_cost = 1.1
            timezone = 'Asia/Shanghai'
            log_min_messages = warning

            """
            // A standby: its name, and its queries' rows kept by the primary's vacuum until they end (a report
            // on the standby is not cancelled by the primary cleaning up what it reads).
            + (clusterName.map { "cluster_name = '\($0)'\nhot_standby_feedback = on\n" } ?? "")
        let confPath = dataDirectory + "/regctl.conf"
        try settings.write(toFile: confPath, atomically: false, encoding: .utf8)
        try server.own(confPath)
    }

    func prepareDirectories(for server: ServerUser) throws {
        let fm = FileManager.default
        try fm.createDirectory(atPath: home, withIntermediateDirectories: true)
        for dir in [dataDirectory, socketDirectory, home + "/log"] where !fm.fileExists(atPath: dir) {
            try fm.createDirectory(atPath: dir, withIntermediateDirectories: false)
            try server.own(dir)
        }
        chmod(dataDirectory, 0o700)
        chmod(socketDirectory, 0o700)
        if server.isOtherUser {
            try server.checkReachable(home)
        }
    }

    /// Holds an exclusive lock on `home/lock` while `body` runs: two regctl
    /// processes never initialise or start the cluster at the same time.
    func withLock<T>(_ body: () throws -> T) throws -> T {
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let fd = open(home + "/lock", O_CREAT | O_RDWR, 0o644)
        guard fd >= 0 else {
            throw ClusterError(
                "cannot open \(home)/lock: \(String(cString: strerror(errno))). Set REGCTL_HOME to a directory you can write."
            )
        }
        defer { close(fd) }
        guard flock(fd, LOCK_EX) == 0 else { throw ClusterError("cannot lock \(home)/lock") }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }
}

/// Where `initdb`, `pg_ctl` and `postgres` are.
struct PostgresBinaries {
    let directory: String
    var initdb: String { directory + "/initdb" }
    var pgCtl: String { directory + "/pg_ctl" }

    static let installHint =
        "Install them with: apt-get install -y postgresql  (or point regctl at an existing server with DATABASE_URL or --database)"

    static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PostgresBinaries {
        var candidates: [String] = []
        if let dir = environment["REGCTL_PG_BINDIR"] {
            // Named explicitly: that directory or nothing.
            candidates.append(dir)
        } else {
            candidates += defaultCandidates(environment)
        }
        for dir in candidates {
            let fm = FileManager.default
            if ["initdb", "pg_ctl", "postgres"].allSatisfy({ fm.isExecutableFile(atPath: dir + "/" + $0) }) {
                return PostgresBinaries(directory: dir)
            }
        }
        throw ClusterError(
            "the PostgreSQL server programs (initdb, pg_ctl, postgres) are not installed. \(installHint)")
    }

    private static func defaultCandidates(_ environment: [String: String]) -> [String] {
        var candidates: [String] = []
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? [])
            .compactMap(Int.init).sorted(by: >)
        candidates += versions.map { "/usr/lib/postgresql/\($0)/bin" }
        candidates += (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        candidates += ["/usr/pgsql/bin", "/usr/local/pgsql/bin", "/opt/homebrew/bin", "/usr/local/bin"]
        return candidates
    }
}

/// The account the server runs as: ourselves, or `postgres` when we are root.
struct ServerUser {
    let name: String
    let uid: uid_t
    let gid: gid_t
    let isOtherUser: Bool

    static func current() throws -> ServerUser {
        if geteuid() != 0 {
            return ServerUser(name: "", uid: geteuid(), gid: getegid(), isOtherUser: false)
        }
        guard let pw = getpwnam("postgres") else {
            throw ClusterError(
                """
                regctl runs as root, and PostgreSQL refuses to: the server must run as the unprivileged 'postgres' user, which does not exist. \
                \(PostgresBinaries.installHint) (the package creates the user), or create it: useradd --system --home-dir /var/lib/postgresql postgres
                """)
        }
        return ServerUser(name: "postgres", uid: pw.pointee.pw_uid, gid: pw.pointee.pw_gid, isOtherUser: true)
    }

    func own(_ path: String) throws {
        guard isOtherUser else { return }
        guard chown(path, uid, gid) == 0 else {
            throw ClusterError("cannot give \(path) to the \(name) user: \(String(cString: strerror(errno)))")
        }
    }

    /// Every directory above `path` must let the server's user pass through.
    func checkReachable(_ path: String) throws {
        var dir = URL(fileURLWithPath: path).standardizedFileURL.path
        while dir != "/" && !dir.isEmpty {
            var st = stat()
            if stat(dir, &st) == 0 {
                let mode = st.st_mode
                let passable =
                    (st.st_uid == uid && mode & 0o100 != 0) || (st.st_gid == gid && mode & 0o010 != 0)
                    || mode & 0o001 != 0
                if !passable {
                    throw ClusterError(
                        """
                        the embedded server runs as '\(name)' (PostgreSQL refuses root), and '\(name)' cannot enter \(dir) (mode \(String(mode & 0o777, radix: 8))). \
                        Set REGCTL_HOME to a directory it can reach, such as /var/lib/regctl (the default for root).
                        """)
                }
            }
            dir = (dir as NSString).deletingLastPathComponent
        }
    }

    /// Runs a program as this user and waits for it; its output (stdout and
    /// stderr) goes to a file, not a pipe. Spawned with `posix_spawn` and reaped
    /// with `waitpid`, not Foundation's `Process`: `pg_ctl start` leaves a server
    /// running that inherits whatever Process uses to watch its child, and
    /// Process then never sees the child end.
    func run(_ program: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        var argv: [String]
        if isOtherUser {
            if let runuser = ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"].first(where: {
                FileManager.default.isExecutableFile(atPath: $0)
            }) {
                argv = [runuser, "-u", name, "--", program] + arguments
            } else {
                argv =
                    ["/usr/bin/setpriv", "--reuid=\(uid)", "--regid=\(gid)", "--init-groups", "--", program] + arguments
            }
        } else {
            argv = [program] + arguments
        }
        let outPath = NSTemporaryDirectory() + "regctl-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).out"
        defer { unlink(outPath) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        let cArgs = argv.map { strdup($0) } + [nil]
        defer { cArgs.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, cArgs, environ)
        guard spawned == 0 else {
            throw ClusterError("cannot run \(argv[0]): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else {
                throw ClusterError("lost track of \(argv[0]): \(String(cString: strerror(errno)))")
            }
        }
        let output = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        // WIFEXITED / WEXITSTATUS, which Swift does not import as macros.
        let exited = status & 0x7f == 0
        return (exited ? (status >> 8) & 0xff : 128 + (status & 0x7f), output)
    }
}
