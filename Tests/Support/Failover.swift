import Foundation
import Postgres
#if canImport(Glibc)
    import Glibc
#endif

/// The failover drill: `filing.add` lines streamed through `regctl exec` (or through a server), the primary
/// killed mid-stream, the standby promoted, every answered line compared with what the new primary holds,
/// and the lines not answered yes sent again.
public enum FailoverDrill {
    public struct Result: Sendable, CustomStringConvertible {
        public var lines = 0
        /// Lines answered `"ok":true` before the kill: commands the user was told were done.
        public var accepted = 0
        /// Lines answered with an error (the connection gone) or not at all.
        public var unanswered = 0
        /// Accepted lines whose filing the new primary does not hold.
        public var lost = 0
        /// Lines sent again: answered yes (never committed), or contract-exists/overlap (committed, unanswered).
        public var retriedAccepted = 0
        public var retriedExisting = 0
        /// Answers of the retry that were neither.
        public var retriedOther: [String] = []
        /// Filings of the drill's contracts on the new primary, and contracts held more than once.
        public var filings = 0
        public var duplicated = 0
        /// Seconds from the kill until the promoted standby accepted the first retried line.
        public var killToFirstAccepted = 0.0

        public var description: String {
            "lines \(lines): accepted before the kill \(accepted), unanswered \(unanswered), lost \(lost); retried: accepted \(retriedAccepted), already there \(retriedExisting), other \(retriedOther.count); filings \(filings), duplicated \(duplicated); kill to first accepted \(String(format: "%.2f", killToFirstAccepted)) s"
        }
    }

    /// How the lines reach the registry: `regctl exec` on the database, or `regctl exec --server` through a
    /// running `regctl serve` (HTTP), logged in as `bench-reg`.
    public enum Door: Sendable {
        case exec(database: String)
        case server(url: String)
    }

    /// Runs the drill on `pair` (seeded with `ClusterPair.seed(physicians: lines)`): `lines` filing.add lines
    /// through `door`, the primary SIGKILLed once `killAfter` are answered; then `promote` (which makes the
    /// standby the primary, and returns when it is), and the unanswered lines again through `retryDoor`.
    public static func run(
        pair: ClusterPair, lines: Int, killAfter: Int, door: Door, retryDoor: Door? = nil,
        promote: () throws -> Void
    ) throws -> Result {
        var result = Result()
        result.lines = lines
        let work = NSTemporaryDirectory() + "regctl-failover-\(getpid())-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        // Physician n files social clinic 101 + n mod 900 under contract FO-n: every line valid, each its own
        // transaction, each filing named by its contract.
        let input = try ClusterPair.query(
            pair.primary,
            """
            SELECT json_build_object('command', 'filing.add', 'args', json_build_object(
                'physician', md5('8-' || n)::uuid, 'institution', md5('9-' || (101 + n % 900))::uuid,
                'contract_no', 'FO-' || n, 'from', '2026-03-02', 'to', '2027-03-01'))::text
            FROM generate_series(1, \(lines)) n ORDER BY n
            """
        ).map { try $0.decode(0, as: String.self) }
        try (input.joined(separator: "\n") + "\n").write(toFile: work + "/in.jsonl", atomically: true, encoding: .utf8)

        let out = work + "/out.jsonl"
        let process = try Spawned(arguments(door), stdin: work + "/in.jsonl", stdout: out, stderr: work + "/err")
        var killedAt: Date?
        while process.running() {
            if killedAt == nil, answers(out).count >= killAfter {
                ClusterPair.kill9(pair.primary)
                killedAt = Date()
            }
            usleep(2_000)
        }
        if killedAt == nil {
            ClusterPair.kill9(pair.primary)
            killedAt = Date()
        }
        let answered = answers(out)
        var again: [Int] = []
        for i in input.indices {
            if i < answered.count, answered[i].contains("\"ok\":true") {
                result.accepted += 1
            } else {
                again.append(i)
            }
        }
        result.unanswered = again.count
        try promote()

        // What the new primary holds of the accepted lines.
        let held = Set(
            try ClusterPair.query(pair.standby, "SELECT contract_no FROM filing WHERE contract_no LIKE 'FO-%'")
                .map { try $0.decode(0, as: String.self) })
        for (i, line) in answered.enumerated() where i < input.count && line.contains("\"ok\":true") {
            if !held.contains("FO-\(i + 1)") { result.lost += 1 }
        }

        // The rest again, each until the new primary answers it (the first may still be finding it).
        try (again.map { input[$0] }.joined(separator: "\n") + "\n").write(
            toFile: work + "/again.jsonl", atomically: true, encoding: .utf8)
        let retry = try Spawned(
            arguments(retryDoor ?? door), stdin: work + "/again.jsonl", stdout: work + "/again.out",
            stderr: work + "/again.err")
        var firstAccepted: Date?
        while retry.running() {
            if firstAccepted == nil, answers(work + "/again.out").contains(where: { $0.contains("\"ok\":true") }) {
                firstAccepted = Date()
            }
            usleep(2_000)
        }
        for answer in answers(work + "/again.out") {
            if answer.contains("\"ok\":true") {
                result.retriedAccepted += 1
                if firstAccepted == nil { firstAccepted = Date() }
            } else if answer.contains("filing.contract-exists") || answer.contains("filing.overlap") {
                result.retriedExisting += 1
            } else {
                result.retriedOther.append(answer)
            }
        }
        if result.retriedAccepted + result.retriedExisting + result.retriedOther.count < again.count {
            let err = (try? String(contentsOfFile: work + "/again.err", encoding: .utf8)) ?? ""
            result.retriedOther.append("(\(again.count) sent, fewer answered) \(err.prefix(500))")
        }
        if let firstAccepted, let killedAt { result.killToFirstAccepted = firstAccepted.timeIntervalSince(killedAt) }
        let counts = try ClusterPair.query(
            pair.standby,
            """
            SELECT count(*)::int, count(*) FILTER (WHERE n > 1)::int
            FROM (SELECT contract_no, count(*) AS n FROM filing WHERE contract_no LIKE 'FO-%' GROUP BY contract_no) c
            """)[0]
        result.filings = try counts.decode(0, as: Int.self)
        result.duplicated = try counts.decode(1, as: Int.self)
        return result
    }

    static func arguments(_ door: Door) -> [String] {
        switch door {
        case .exec(let database): [CLI.binary, "exec", "--database", database, "--as", "bench-reg"]
        case .server(let url): [CLI.binary, "exec", "--server", url]
        }
    }

    /// The complete answer lines written so far.
    static func answers(_ path: String) -> [String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.removeLast()  // after the last newline: empty, or a line still being written
        return lines
    }
}

/// A child process running while the test watches it (posix_spawn; files for its streams).
public final class Spawned: @unchecked Sendable {
    public let pid: pid_t
    private var status: Int32?

    public init(
        _ argv: [String], stdin: String, stdout: String, stderr: String, environment extra: [String: String] = [:]
    )
        throws
    {
        var env = ProcessInfo.processInfo.environment
        env["REGCTL_LANG"] = "en"
        env["REGCTL_TODAY"] = "2026-03-02"
        for (k, v) in extra { env[k] = v }
        pid = try CLI.start(argv, environment: env, stdin: stdin, stdout: stdout, stderr: stderr)
    }

    /// Whether it still runs (reaped when it has ended).
    public func running() -> Bool {
        guard status == nil else { return false }
        var s: Int32 = 0
        if waitpid(pid, &s, WNOHANG) == pid {
            status = s
            return false
        }
        return true
    }
}
