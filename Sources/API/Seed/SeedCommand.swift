import Dates
import Foundation
import Logging
import RegistrySeed
import Registration

/// `seed --scale demo|province|national [--seed N] [--as-of DATE]`: synthetic but
/// realistic registry data, written with COPY in one transaction. The same seed and
/// as-of date give the same data, row for row.
public struct Seed: Command {
    public static let name = "seed"
    public static let runsAsLogin = true
    let scale: SeedScale
    let seed: Int
    let asOf: CalendarDate?

    public init(_ a: Arguments) throws {
        scale = try a.choice("scale", SeedScale.self)
        seed = try a.optionalInt("seed") ?? 1
        asOf = try a.optionalDate("as_of")
        guard seed >= 0 else { throw Arguments.usage("input.number", "seed", "\(seed) is negative; give 0 or more") }
    }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        try Access.requireAdmin(c.actor, to: "seed synthetic data")
        guard try c.store.login().superuser else {
            throw RegctlError(
                "permission.denied",
                "seed drops and rebuilds the tables' keys, which only the schema's owner does: run it with the superuser's login (the embedded cluster's own)",
                rule: "R-70")
        }
        guard try c.store.registryIsEmpty() else {
            throw RegctlError(
                "seed.not-empty",
                "the registry already holds institutions or people; seed fills an empty one: run it on a new database, or regctl db reset --yes first (which deletes everything)"
            )
        }
        let started = Date()
        let day = asOf ?? c.today
        let counts = try SeedData.write(c.store, seed: UInt64(seed), scale: scale, asOf: day)
        let seconds = Date().timeIntervalSince(started)
        let rows = counts.map { [Cell.text($0.0), .int($0.1)] }
        return CommandOutput(
            fields: [
                ("scale", .text(scale.rawValue)), ("seed", .int(seed)), ("as_of", .text(day.description)),
                ("seconds", .text(String(format: "%.1f", seconds)))
            ],
            table: ResultTable(columns: ["table", "rows"], rows: rows),
            notes: [
                Phrase(
                    en:
                        "seeded \(scale.rawValue) scale (seed \(seed), as of \(day)) in \(String(format: "%.1f", seconds)) s; "
                        + "autovacuum sets the visibility map index-only scans use (VACUUM ANALYZE to have it now)",
                    zh: "已写入示例数据（\(scale.rawValue)，种子 \(seed)，截至 \(day)），用时 \(String(format: "%.1f", seconds)) 秒")
            ])
    }
}
