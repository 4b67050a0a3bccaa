import Dates
import Foundation
import Postgres
import Registration

/// Where a report looks and how it breaks its figures down, as SQL: the country by province, a province
/// by prefecture, a prefecture by county. The region is the one access allowed (`Access.reportRegion`).
struct ReportArea {
    /// nil: the whole country.
    let region: RegionCode?

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
}

/// A region's figures in a report, or the total of the report's region (`key` nil).
public struct GroupKey: Hashable, Sendable {
    public let code: String?
    public init(code: String?) { self.code = code }
    public static let total = GroupKey(code: nil)
}

extension Store {
    /// Reports are prepared statements run with very different regions: a plan made for
    /// the whole country is wrong for a county. Plan each execution for its own values.
    /// A report's sorts and hashes (a country's filings) fit in memory rather than spill to disk.
    /// A report writes nothing but its event, which need not wait for the disk (a crash in the
    /// next few milliseconds could lose the record that someone read a report, nothing else).
    public func prepareForReport() throws {
        // One round trip for the three (a public look-up pays it on every request).
        try connection.query(
            """
            SELECT set_config('plan_cache_mode', 'force_custom_plan', true), set_config('work_mem', '256MB', true),
                   set_config('synchronous_commit', 'off', true)
            """)
    }

    /// A region's name.
    public func regionName(_ code: RegionCode) throws -> String {
        try connection.query("SELECT name FROM region WHERE code = \(code.value)::bpchar")[0].decode(0, as: String.self)
    }

    /// Region codes as people name the places: a county with its city (南京市玄武区, and 北京市东城区 where the
    /// level between is a placeholder such as 市辖区), a prefecture or province by its own name.
    public func regionFullNames(_ codes: [String]) throws -> [String: String] {
        guard !codes.isEmpty else { return [:] }
        var names: [String: String] = [:]
        for row in try connection.query(
            """
            SELECT r.code, r.name, r.level, p.name AS parent, g.name AS grandparent
            FROM region r LEFT JOIN region p ON p.code = r.parent LEFT JOIN region g ON g.code = p.parent
            WHERE r.code = ANY(\(Array(Set(codes)))::bpchar[])
            """)
        {
            let name = try row.decode("name", as: String.self)
            var full = name
            if try row.decode("level", as: String.self) == "county",
                let parent = try row.decode("parent", as: String?.self)
            {
                let placeholder = ["市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"].contains(parent)
                full = (placeholder ? try row.decode("grandparent", as: String?.self) ?? "" : parent) + name
            }
            names[try row.decode("code", as: String.self)] = full
        }
        return names
    }

    /// Names of region codes, for a report's rows.
    public func regionNames(_ codes: [String]) throws -> [String: String] {
        guard !codes.isEmpty else { return [:] }
        var names: [String: String] = [:]
        for row in try connection.query("SELECT code, name FROM region WHERE code = ANY(\(codes)::bpchar[])") {
            names[try row.decode(0, as: String.self)] = try row.decode(1, as: String.self)
        }
        return names
    }
}

extension Row {
    /// A count column (bigint), 0 when NULL.
    func count(_ column: String) throws -> Int { try decode(column, as: Int?.self) ?? 0 }
}
