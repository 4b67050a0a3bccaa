import Foundation
import Registration

/// `policy set --province CODE [--max-active-filings N | --no-max-active-filings]`: per-province settings that are policy, not law.
public struct PolicySet: Command {
    public static let name = "policy.set"
    let province: RegionCode, maxActiveFilings: Int?, clearCap: Bool, studioMaxAge: Int?, clearAge: Bool

    public init(_ a: Arguments) throws {
        province = try a.region("province")
        maxActiveFilings = try a.optionalInt("max_active_filings")
        clearCap = try a.bool("no_max_active_filings")
        studioMaxAge = try a.optionalInt("studio_max_age")
        clearAge = try a.bool("no_studio_max_age")
        guard province.isProvince else {
            throw Arguments.usage(
                "input.region", "province", "\(province) is not a province code (two digits then 0000, such as 330000)")
        }
        if let cap = maxActiveFilings, !(1...10_000).contains(cap) {
            throw Arguments.usage(
                "input.number", "max_active_filings",
                "\(cap) is not a cap; give 1 to 10000, or --no-max-active-filings for none")
        }
        guard !(maxActiveFilings != nil && clearCap), !(studioMaxAge != nil && clearAge) else {
            throw Arguments.usage("input.value", "max_active_filings", "give a value or remove it, not both")
        }
        guard maxActiveFilings != nil || clearCap || studioMaxAge != nil || clearAge else {
            throw Arguments.usage(
                "input.missing", "max_active_filings",
                "say what to set: --max-active-filings N, --studio-max-age N, or --no-… to remove one")
        }
        if let age = studioMaxAge, !(1...150).contains(age) {
            throw Arguments.usage("input.number", "studio_max_age", "\(age) is not an age; give 1 to 150")
        }
    }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        try Access.requireRegion(c.actor, province, to: "set the policies of \(province)")
        _ = try c.store.requireRegion(province, field: "province")
        var changes: [PolicyChange] = []
        if maxActiveFilings != nil || clearCap { changes.append(.maxActiveFilings(maxActiveFilings)) }
        if studioMaxAge != nil || clearAge { changes.append(.studioMaxAge(studioMaxAge)) }
        let policy = try c.store.setPolicy(province, changes)
        return CommandOutput(fields: [
            ("province", .text(province.value)),
            ("max_active_filings", policy.maxActiveFilings.map(Cell.int) ?? .null),
            ("studio_max_age", policy.studioMaxAge.map(Cell.int) ?? .null)
        ])
    }
}

/// `policy list`: every province's settings (defaults where none is set).
public struct PolicyList: Command {
    public static let name = "policy.list"
    public init(_ a: Arguments) throws {}

    public func run(_ c: CommandContext) throws -> CommandOutput {
        let rows = try c.store.policies().map { p -> [Cell] in
            [
                .text(p.province.value), .text(p.name), p.maxActiveFilings.map(Cell.int) ?? .text("none"),
                p.studioMaxAge.map(Cell.int) ?? .text("none")
            ]
        }
        return CommandOutput(
            table: ResultTable(columns: ["province", "name", "max_active_filings", "studio_max_age"], rows: rows))
    }
}
