import Foundation
import Postgres
import Synchronization
#if canImport(Glibc)
    import Glibc
#endif

/// A primary and a hot standby of it, made the way an operator makes them: `regctl db start` in one home,
/// `regctl db standby create --home` another. Their own clusters (never the shared test cluster's): a test
/// kills, promotes and reconfigures them.
public final class ClusterPair: @unchecked Sendable {
    // @unchecked: immutable after init.
    public let primary: String
    public let standby: String

    /// Fresh homes under `/tmp/regctl-pair-<uid>-<name>` (a pair left by an earlier run is stopped and removed).
    public init(_ name: String, synchronousCommit: String) throws {
        let base = "/tmp/regctl-pair-\(getuid())-\(name)"
        primary = base + "/primary"
        standby = base + "/standby"
        for home in [primary, standby] { ClusterPair.stopHard(home) }
        try? FileManager.default.removeItem(atPath: base)
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        chmod(base, 0o755)
        let started = CLI.run(["db", "start"], database: nil, home: primary)
        guard started.status == 0 else { throw ServerError("the primary did not start: \(started)") }
        let made = CLI.run(
            ["db", "standby", "create", "--home", standby, "--synchronous-commit", synchronousCommit], database: nil,
            home: primary)
        guard made.status == 0 else { throw ServerError("the standby was not made: \(made)") }
    }

    /// libpq URL of a home's socket.
    public static func url(_ home: String, database: String = "regctl") -> String {
        "postgresql://regctl@/\(database)?host=\(home)/run"
    }

    public var primaryURL: String { ClusterPair.url(primary) }
    public var standbyURL: String { ClusterPair.url(standby) }

    /// Both sockets, the standby's first: libpq tries them in order and keeps the one that is `attrs`.
    public func multiHostURL(_ attrs: String = "read-write") -> String {
        "postgresql://regctl@/regctl?host=\(standby)/run,\(primary)/run&target_session_attrs=\(attrs)&connect_timeout=5"
    }

    /// SIGKILL to the postmaster of `home` and every process it started, at once (as a machine dies: no
    /// shutdown, no last word to the standby).
    public static func kill9(_ home: String) {
        guard let text = try? String(contentsOfFile: home + "/data/postmaster.pid", encoding: .utf8),
            let pid = text.split(separator: "\n").first.flatMap({ pid_t($0) })
        else { return }
        kill(pid, SIGSTOP)  // it starts no new child while its children die
        let children =
            (try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8))?
            .split(separator: " ").compactMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? []
        for child in children { kill(child, SIGKILL) }
        kill(pid, SIGKILL)
        // Gone when its pid no longer answers.
        for _ in 0..<200 where Glibc.kill(pid, 0) == 0 { usleep(20_000) }
    }

    /// Stops a home's server whatever its state (immediate: a test's cluster keeps nothing).
    static func stopHard(_ home: String) {
        guard FileManager.default.fileExists(atPath: home + "/data/postmaster.pid") else { return }
        kill9(home)
    }

    /// Stops both servers.
    public func stop() {
        ClusterPair.stopHard(standby)
        ClusterPair.stopHard(primary)
    }

    /// Stops both servers when the test process ends (a pair several tests share).
    public func stopAtExit() {
        ClusterPair.atExit.withLock { $0 += [primary, standby] }
        ClusterPair.registerExit
    }

    static let atExit = Mutex<[String]>([])
    static let registerExit: Void = {
        atexit { ClusterPair.atExit.withLock { homes in homes.forEach(ClusterPair.stopHard) } }
    }()

    /// Runs SQL on a home's `regctl` database as its superuser.
    public static func query(_ home: String, _ sql: SQL) throws -> Rows {
        try Connection(url(home)).query(sql)
    }

    /// Waits until the standby has replayed everything the primary has written (up to a minute).
    public func waitForReplay() throws {
        let target = try ClusterPair.query(primary, "SELECT pg_current_wal_lsn()::text")[0].decode(0, as: String.self)
        for _ in 0..<600 {
            let caught =
                try ClusterPair.query(
                    standby, "SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), \(target)::pg_lsn) >= 0"
                )[0].decode(0, as: Bool.self)
            if caught { return }
            usleep(100_000)
        }
        throw ServerError("the standby did not catch up within a minute")
    }

    /// The bench's registry (`scripts/bench.d/registry-seed.sql`) on the primary with `physicians` physicians:
    /// 100 public hospitals as their homes, 900 social clinics to file at, the registrar `bench-reg`.
    public func seed(physicians: Int) throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/bench.d/registry-seed.sql")
        let sql = try String(contentsOf: file, encoding: .utf8)
            .replacingOccurrences(of: "generate_series(1, 100000)", with: "generate_series(1, \(physicians))")
        try Connection(primaryURL).executeScript(unsafeSQL: sql)
    }
}
