import Foundation
import Postgres
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
        try c.connection.execute(
            "INSERT INTO policy (province) VALUES (\(province.value)) ON CONFLICT (province) DO NOTHING")
        if maxActiveFilings != nil || clearCap {
            try c.connection.execute(
                "UPDATE policy SET max_active_filings = \(maxActiveFilings) WHERE province = \(province.value)")
        }
        if studioMaxAge != nil || clearAge {
            try c.connection.execute(
                "UPDATE policy SET studio_max_age = \(studioMaxAge) WHERE province = \(province.value)")
        }
        let row = try c.connection.query(
            "SELECT max_active_filings, studio_max_age FROM policy WHERE province = \(province.value)")[0]
        return CommandOutput(fields: [
            ("province", .text(province.value)),
            ("max_active_filings", try row.decode(0, as: Int?.self).map(Cell.int) ?? .null),
            ("studio_max_age", try row.decode(1, as: Int?.self).map(Cell.int) ?? .null)
        ])
    }
}

/// `policy list`: every province's settings (defaults where none is set).
public struct PolicyList: Command {
    public static let name = "policy.list"
    public init(_ a: Arguments) throws {}

    public func run(_ c: CommandContext) throws -> CommandOutput {
        let rows = try c.connection.query(
            """
            SELECT r.code::text, r.name, p.max_active_filings, p.studio_max_age FROM region r LEFT JOIN policy p ON p.province = r.code
            WHERE r.level = 'province' ORDER BY r.code
            """
        ).map { row -> [Cell] in
            [
                .text(try row.decode(0, as: String.self)), .text(try row.decode(1, as: String.self)),
                try row.decode(2, as: Int?.self).map(Cell.int) ?? .text("none"),
                try row.decode(3, as: Int?.self).map(Cell.int) ?? .text("none")
            ]
        }
        return CommandOutput(
            table: ResultTable(columns: ["province", "name", "max_active_filings", "studio_max_age"], rows: rows))
    }
}
