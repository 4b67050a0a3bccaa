import Dates
import Foundation
import Postgres
import Registration

/// The flags every report takes: `--region`, `--from`, `--to`, `--within`, `--limit`.
struct ReportArguments: Sendable {
    let region: RegionCode?
    let from: CalendarDate?
    let to: CalendarDate?
    let within: Int?
    let limit: Int
    /// Recount what the daily run precomputed.
    let live: Bool

    init(_ a: Arguments) throws {
        region = try a.optionalRegion("region")
        from = try a.optionalDate("from")
        to = try a.optionalDate("to")
        within = try a.optionalInt("within")
        limit = try a.optionalInt("limit") ?? 200
        live = try a.bool("live")
        if let from, let to, to < from {
            throw Arguments.usage(
                "input.period", "to", "\(to) is before --from \(from); give the period's first and last day")
        }
        if let within, within < 0 || within > 3660 {
            throw Arguments.usage("input.number", "within", "\(within) is not a number of days from 0 to 3660")
        }
        guard limit > 0 else {
            throw Arguments.usage("input.number", "limit", "\(limit) is not a number of rows; give 1 or more")
        }
    }
}

/// Where a report looks (after access, R-70) and how it breaks its figures down:
/// the country by province, a province by prefecture, a prefecture by county.
struct ReportScope {
    /// nil: the whole country.
    let region: RegionCode?
    let regionName: String

    /// The whole country, with no reader to check (the daily run's snapshot).
    init(nationalFor name: String) {
        region = nil
        regionName = name
    }

    init(_ requested: RegionCode?, _ c: CommandContext) throws {
        region = try Access.reportRegion(c.actor, requested: requested)
        try ReportScope.planEachQuery(c)
        if let region {
            _ = try c.store.requireRegion(region, field: "region")
            regionName = try c.connection.query("SELECT name FROM region WHERE code = \(region.value)::bpchar")[0]
                .decode(0, as: String.self)
        } else {
            regionName = "全国"
        }
    }

    /// Reports are prepared statements run with very different regions: a plan made for
    /// the whole country is wrong for a county. Plan each execution for its own values.
    /// A report's sorts and hashes (a country's filings) fit in memory rather than spill to disk.
    /// A report writes nothing but its event, which need not wait for the disk (a crash in the
    /// next few milliseconds could lose the record that someone read a report, nothing else).
    static func planEachQuery(_ c: CommandContext) throws {
        try c.connection.execute("SET LOCAL plan_cache_mode = force_custom_plan")
        try c.connection.execute("SET LOCAL work_mem = '256MB'")
        try c.connection.execute("SET LOCAL synchronous_commit = off")
    }

    /// What the rows are: provinces, prefectures or counties.
    var breakdown: String {
        guard let region else { return "province" }
        if region.isProvince { return "prefecture" }
        return "county"
    }

    /// The group a row falls in. `province` is the row's province column, which the
    /// national breakdown uses alone so it needs no join; `county` is a county code column.
    func group(county: SQL, province: SQL) -> SQL {
        guard let region else { return "\(province)::text" }
        if region.isProvince { return "(left(\(county), 4) || '00')" }
        return "\(county)::text"
    }

    /// Whether `group`/`filter` read the county column (a join the national report can skip).
    var needsCounty: Bool { region != nil }

    /// Whether `filter` alone reads the county column (below a province).
    var filterNeedsCounty: Bool { region.map { !$0.isProvince } ?? false }

    /// The province condition alone (every regional table carries its province), for an inner query
    /// that aggregates before joining the county in.
    func provinceFilter(_ province: SQL) -> SQL {
        guard let region else { return "TRUE" }
        return "\(province) = \(region.province.value)::bpchar"
    }

    /// Rows inside the region: the province column for a province (an index on it), a range of county codes below.
    func filter(county: SQL, province: SQL) -> SQL {
        guard let region else { return "TRUE" }
        if region.isProvince { return "\(province) = \(region.value)::bpchar" }
        return regionFilter(county, region)
    }

    var summary: [(String, Cell)] {
        [("region", .text(region?.value ?? "all")), ("region_name", .text(regionName)), ("breakdown", .text(breakdown))]
    }
}

/// Names of region codes, for a report's rows.
enum RegionNames {
    static func of(_ codes: [String], _ connection: Connection) throws -> [String: String] {
        guard !codes.isEmpty else { return [:] }
        var names: [String: String] = [:]
        for row in try connection.query("SELECT code::text, name FROM region WHERE code = ANY(\(codes)::bpchar[])") {
            names[try row.decode(0, as: String.self)] = try row.decode(1, as: String.self)
        }
        return names
    }
}

/// Percent with one decimal, as a cell ("" when the base is zero).
func percentCell(_ part: Int, _ whole: Int) -> Cell {
    whole == 0 ? .null : .text(String(format: "%.1f", Double(part) * 100 / Double(whole)))
}

func percent(_ part: Int, _ whole: Int) -> Double {
    whole == 0 ? 0 : Double(part) * 100 / Double(whole)
}

extension Row {
    /// A count column (bigint), 0 when NULL.
    func count(_ column: String) throws -> Int { try decode(column, as: Int?.self) ?? 0 }
}
