import Foundation
import Postgres
import Testing
import TestSupport

/// A database of its own and the `regctl` binary run against it as a user runs it, on a given day and as a
/// given account: the CLI suites' one way in.
class CLISession {
    let db: TestDatabase
    init() throws { db = try TestCluster.database() }

    func run(_ args: [String], as actor: String? = nil, today: String = "2026-03-02", stdin: String = "") -> CLIResult {
        CLI.run(
            args + (actor.map { ["--as", $0] } ?? []), database: db.url, stdin: stdin,
            environment: ["REGCTL_TODAY": today])
    }

    /// Runs and expects success; returns stdout without its newline.
    func ok(
        _ args: [String], as actor: String? = nil, today: String = "2026-03-02", stdin: String = "",
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> String {
        let r = run(args, as: actor, today: today, stdin: stdin)
        #expect(r.status == 0, "\(args.joined(separator: " ")): \(r)", sourceLocation: sourceLocation)
        return r.stdout.trimmingCharacters(in: .newlines)
    }

    /// Runs and expects a refusal with this exit status and code, and no database text or crash on stderr.
    @discardableResult
    func refused(
        _ args: [String], _ status: Int32, _ code: String, as actor: String? = nil, today: String = "2026-03-02",
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> CLIResult {
        let r = run(args, as: actor, today: today)
        #expect(
            r.status == status && r.stderr.hasPrefix("error[\(code)]"), "\(args.joined(separator: " ")): \(r)",
            sourceLocation: sourceLocation)
        #expect(!r.stderr.contains("PostgreSQL") && !r.stderr.contains("Fatal error"), sourceLocation: sourceLocation)
        return r
    }

    func count(_ sql: SQL) throws -> Int { try db.connect().query(sql)[0].decode(0, as: Int.self) }
}
