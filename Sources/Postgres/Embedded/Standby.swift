import CLibPQ
import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// Hot standbys of the embedded cluster: PostgreSQL's own streaming replication, set up the way an operator
/// would (a replication role with its own password, `pg_basebackup -R`, a slot), on this machine.
extension LocalCluster {
    /// The role standbys stream the WAL as: LOGIN REPLICATION and nothing else (no superuser, no table of
    /// the registry), admitted by pg_hba.conf's `local replication` line with its SCRAM password only.
    public static let replicationRole = "regctl_replicator"

    /// The password file of the replication role (libpq's `passfile` format), mode 0600, owned by the
    /// server's user: in the primary's home (kept for the next standby) and in each standby's (its
    /// `primary_conninfo` names it).
    public var replicationPassFile: String { home + "/replication.pgpass" }

    /// Whether this home's server is a standby (its data directory has `standby.signal`).
    public var isStandby: Bool { FileManager.default.fileExists(atPath: dataDirectory + "/standby.signal") }

    /// How a standby's commits are acknowledged (`synchronous_commit` on the primary, with the standby
    /// named in `synchronous_standby_names` unless `off`).
    public enum SynchronousCommit: String, Sendable, CaseIterable {
        /// Asynchronous: a commit returns once the primary has it; the standby may lag behind.
        case off
        /// A commit returns once the standby has it on disk: no acknowledged commit is lost with the primary.
        case on
        /// A commit returns once the standby has applied it: a read on the standby sees it at once.
        case remoteApply = "remote_apply"
    }

    /// The name a standby in `home` has on its primary: `regctl_` and the home's last component, letters,
    /// digits and underscores only, with a hash of the whole path (two homes named alike stay apart).
    public static func standbyName(home: String) -> String {
        let path = URL(fileURLWithPath: home).standardizedFileURL.path
        let base = (path as NSString).lastPathComponent.lowercased().map { c -> Character in
            c.isASCII && (c.isLetter || c.isNumber) ? c : "_"
        }
        let hash = SHA256.hex(Array(path.utf8)).prefix(8)
        return "regctl_" + String(base.prefix(30)) + "_" + hash
    }

    /// Makes a hot standby of this (running) cluster in `standbyHome`: the replication role and its password
    /// (made once, kept in this home), a `pg_basebackup -R` copy with its own replication slot (the primary
    /// keeps the WAL it has not received), its own socket, started; waits until it streams. With
    /// `synchronous` other than `off`, the primary then waits for it on every commit.
    public func createStandby(at standbyHome: String, synchronous: SynchronousCommit) throws -> LocalCluster {
        let standby = LocalCluster(home: standbyHome, database: database)
        let target = URL(fileURLWithPath: standbyHome).standardizedFileURL.path
        guard target != URL(fileURLWithPath: home).standardizedFileURL.path else {
            throw ClusterError(
                "the standby's home must not be the primary's own (\(home)); name another directory", usage: true)
        }
        if FileManager.default.fileExists(atPath: standby.dataDirectory),
            !((try? FileManager.default.contentsOfDirectory(atPath: standby.dataDirectory)) ?? []).isEmpty
        {
            throw ClusterError(
                "\(standby.dataDirectory) already holds a cluster; name an empty directory for the standby (or remove that one: REGCTL_HOME=\(standbyHome) regctl db stop, then delete it)",
                usage: true)
        }
        guard !isStandby else {
            throw ClusterError(
                "\(home) is itself a standby; make standbys of the primary (the home regctl db standby status calls primary)",
                usage: true)
        }
        try start()
        let server = try ServerUser.current()
        let binaries = try PostgresBinaries.locate()
        let password = try ensureReplicationRole(server: server)
        try standby.prepareDirectories(for: server)
        try Self.writePassFile(standby.replicationPassFile, password: password, server: server)

        let name = Self.standbyName(home: standbyHome)
        let admin = try Connection(url(database: "postgres"))
        // A slot left by an earlier standby of the same home (deleted without being dropped) is reused.
        let slotExists = try admin.query("SELECT 1 FROM pg_replication_slots WHERE slot_name = \(name)").count > 0
        let conninfo =
            "host='\(socketDirectory)' user=\(Self.replicationRole) passfile='\(standby.replicationPassFile)' dbname=replication"
        do {
            let run = try server.run(
                binaries.pgBasebackup,
                ["-D", standby.dataDirectory, "-R", "-X", "stream", "-c", "fast", "-S", name]
                    + (slotExists ? [] : ["-C"]) + ["-d", conninfo])
            guard run.status == 0 else {
                throw ClusterError(
                    "pg_basebackup could not copy \(dataDirectory): \(run.output.trimmingTrailingNewlines)")
            }
            chmod(standby.dataDirectory, 0o700)
            // The copy's settings are the primary's: its own socket, and its name for the primary.
            try standby.writeSettings(server: server, clusterName: name)
            try standby.start()
            try waitForStreaming(name, admin: admin)
        } catch {
            // Nothing half-made is left: the copy goes (a later try starts afresh), and the slot, which would
            // otherwise keep the primary's WAL for a standby that does not exist.
            try? standby.stop()
            for entry in (try? FileManager.default.contentsOfDirectory(atPath: standby.dataDirectory)) ?? [] {
                try? FileManager.default.removeItem(atPath: standby.dataDirectory + "/" + entry)
            }
            _ = try? admin.query(
                "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = \(name) AND NOT active"
            )
            throw error
        }
        if synchronous != .off {
            try addSynchronousStandby(name, commit: synchronous, admin: admin)
        }
        return standby
    }

    /// The replication role, made (or its password reset) when this home keeps no password for it; the password.
    func ensureReplicationRole(server: ServerUser) throws -> String {
        let admin = try Connection(url(database: "postgres"))
        let role = Self.replicationRole
        let exists = try admin.query("SELECT 1 FROM pg_roles WHERE rolname = \(role)").count > 0
        if exists, let kept = Self.readPassFile(replicationPassFile) { return kept }
        var bytes = [UInt8](repeating: 0, count: 24)
        let fd = open("/dev/urandom", O_RDONLY)
        guard fd >= 0, read(fd, &bytes, bytes.count) == bytes.count else {
            if fd >= 0 { close(fd) }
            throw ClusterError("cannot read /dev/urandom for the replication role's password")
        }
        close(fd)
        let password = bytes.map { String(format: "%02x", $0) }.joined()
        let verifier = try admin.passwordVerifier(password, role: role)
        // Role statements take no parameters: the server quotes the name and the verifier (format's %I, %L).
        let statement = try admin.query(
            """
            SELECT format(CASE WHEN \(exists) THEN 'ALTER ROLE %I WITH LOGIN REPLICATION NOSUPERUSER PASSWORD %L'
                               ELSE 'CREATE ROLE %I WITH LOGIN REPLICATION NOSUPERUSER PASSWORD %L' END,
                          \(role)::text, \(verifier)::text)
            """
        ).first?.decode(0, as: String.self)
        guard let statement else { throw ClusterError("could not compose the replication role's statement") }
        try admin.executeScript(unsafeSQL: statement)
        try Self.writePassFile(replicationPassFile, password: password, server: server)
        return password
    }

    static func writePassFile(_ path: String, password: String, server: ServerUser) throws {
        let line = "*:*:*:\(replicationRole):\(password)\n"
        unlink(path)
        let fd = open(path, O_CREAT | O_WRONLY | O_EXCL, 0o600)
        guard fd >= 0 else { throw ClusterError("cannot write \(path): \(String(cString: strerror(errno)))") }
        let written = line.utf8CString.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count - 1) }
        close(fd)
        guard written == line.utf8.count else { throw ClusterError("cannot write \(path)") }
        try server.own(path)
    }

    static func readPassFile(_ path: String) -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
            let line = text.split(separator: "\n").first, line.hasPrefix("*:*:*:\(replicationRole):")
        else { return nil }
        let password = String(line.dropFirst("*:*:*:\(replicationRole):".count))
        return password.isEmpty ? nil : password
    }

    /// Waits (up to a minute) until the standby `name` streams from this primary.
    func waitForStreaming(_ name: String, admin: Connection) throws {
        for _ in 0..<600 {
            let streaming =
                try admin.query(
                    "SELECT 1 FROM pg_stat_replication WHERE application_name = \(name) AND state = 'streaming'"
                ).count > 0
            if streaming { return }
            usleep(100_000)
        }
        throw ClusterError(
            "the standby \(name) started but does not stream from \(home) after a minute; see both servers' logs")
    }

    /// Adds `name` to `synchronous_standby_names` (`ANY 1 (…)`: a commit waits for one of them) and sets
    /// `synchronous_commit`, on the primary (ALTER SYSTEM; reloaded, no restart).
    func addSynchronousStandby(_ name: String, commit: SynchronousCommit, admin: Connection) throws {
        var names = try Self.synchronousNames(admin: admin)
        if !names.contains(name) { names.append(name) }
        try Self.alterSystem("synchronous_standby_names", Self.synchronousValue(names), admin: admin)
        try Self.alterSystem("synchronous_commit", commit.rawValue, admin: admin)
        try admin.query("SELECT pg_reload_conf()")
    }

    /// What `regctl db standby drop` did.
    public struct DroppedStandby: Sendable {
        /// The standby's name on the primary (its slot's and `application_name`).
        public var name: String
        /// Whether its server was running in the home given, and was stopped.
        public var stopped: Bool
        /// Whether it had a replication slot, now dropped.
        public var slotDropped: Bool
        /// Whether commits waited for it; and the synchronous standbys left (none: commits no longer wait).
        public var wasSynchronous: Bool
        public var synchronousLeft: [String]
    }

    /// Takes the standby `name` (or the one in `standbyHome`) off this primary for good: its server stopped
    /// when `standbyHome` holds it, its name out of `synchronous_standby_names` (emptied when it was the last: a
    /// primary would otherwise wait on every commit for a standby that will never come), and its replication
    /// slot dropped (else the primary keeps WAL for it without end). Its files are left where they are. A
    /// standby that still streams, named without its home, is refused: stop it first.
    public func dropStandby(name given: String?, home standbyHome: String?) throws -> DroppedStandby {
        guard !isStandby else {
            throw ClusterError(
                "\(home) is itself a standby; drop standbys from the primary's home (the one regctl db standby status calls primary)",
                usage: true)
        }
        guard let name = given ?? standbyHome.map({ Self.standbyName(home: $0) }) else {
            throw ClusterError(
                "name the standby: --home DIR (its home) or --name NAME (regctl db standby status)", usage: true)
        }
        try start()
        let admin = try Connection(url(database: "postgres"))
        let slotActive = { () throws -> Bool? in
            try admin.query("SELECT active FROM pg_replication_slots WHERE slot_name = \(name)").first?.decode(
                0, as: Bool.self)
        }
        // Refused before anything is stopped or changed: a standby this primary does not know (another primary's,
        // or one already dropped), and one that still streams, named without its home (it would only come back).
        var names = try Self.synchronousNames(admin: admin)
        var active = try slotActive()
        guard active != nil || names.contains(name) else {
            throw ClusterError(
                "this primary has no standby named \(name) (no slot, not in synchronous_standby_names), so nothing was dropped; regctl db standby status names those that stream (a standby of another primary is stopped with REGCTL_HOME=its home regctl db stop)",
                usage: true)
        }
        var stopped = false
        if let standbyHome {
            let standby = LocalCluster(home: standbyHome, database: database)
            if standby.isStandby {
                stopped = standby.status() == .running
                try standby.stop()
            } else if FileManager.default.fileExists(atPath: standby.dataDirectory + "/PG_VERSION") {
                throw ClusterError(
                    "\(standbyHome) holds no standby (a promoted one is a primary, and is not stopped by this); name a standby's home, or --name NAME for a standby whose home is gone",
                    usage: true)
            }
        }
        for _ in 0..<100 where stopped && active == true {
            usleep(100_000)  // the walsender ends a moment after its standby stops
            active = try slotActive()
        }
        if active == true {
            throw ClusterError(
                "the standby \(name) still streams from this primary; stop it first (REGCTL_HOME=its home regctl db stop), or give its home with --home",
                usage: true)
        }
        let wasSynchronous = names.contains(name)
        if wasSynchronous {
            names.removeAll { $0 == name }
            try Self.alterSystem("synchronous_standby_names", Self.synchronousValue(names), admin: admin)
            try admin.query("SELECT pg_reload_conf()")
        }
        if active != nil {
            try admin.query("SELECT pg_drop_replication_slot(\(name))")
        }
        return DroppedStandby(
            name: name, stopped: stopped, slotDropped: active != nil, wasSynchronous: wasSynchronous,
            synchronousLeft: names)
    }

    /// The standbys commits wait for, by `synchronous_standby_names`.
    static func synchronousNames(admin: Connection) throws -> [String] {
        synchronousNames(
            try admin.query("SELECT current_setting('synchronous_standby_names')").first?.decode(0, as: String.self)
                ?? "")
    }

    /// `ANY 1 ("a", "b")`, or empty when no name is left (commits wait for no standby).
    static func synchronousValue(_ names: [String]) -> String {
        names.isEmpty ? "" : "ANY 1 (" + names.map { "\"\($0)\"" }.joined(separator: ", ") + ")"
    }

    /// `ALTER SYSTEM SET setting = value`: the server quotes both (format's %I, %L); a setting takes no parameter.
    static func alterSystem(_ setting: String, _ value: String, admin: Connection) throws {
        let statement = try admin.query("SELECT format('ALTER SYSTEM SET %I = %L', \(setting)::text, \(value)::text)")
            .first?.decode(0, as: String.self)
        guard let statement else { throw ClusterError("could not compose ALTER SYSTEM for \(setting)") }
        try admin.executeScript(unsafeSQL: statement)
    }

    /// The names in a `synchronous_standby_names` value (`ANY 1 ("a", "b")`, `FIRST 1 (a)`, `a, b`, `*`).
    static func synchronousNames(_ value: String) -> [String] {
        var list = value.trimmingCharacters(in: .whitespaces)
        if let open = list.firstIndex(of: "("), let close = list.lastIndex(of: ")") {
            list = String(list[list.index(after: open)..<close])
        }
        return list.split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }.filter { !$0.isEmpty && $0 != "*" }
    }
}

extension PostgresBinaries {
    var pgBasebackup: String { directory + "/pg_basebackup" }
}
