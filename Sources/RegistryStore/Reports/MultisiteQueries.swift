import Dates
import Foundation
import Postgres
import Registration

/// `report multisite`'s figures for one group: a region, a category, or the total.
public struct MultisiteLine: Sendable {
    public enum Group: Sendable, Equatable {
        case region(String)
        case category(String)
        case total
    }
    public let group: Group
    public let physicians, filings, atPublic, atSocial, publicToSocial, publicToPublic, socialToSocial,
        socialToPublic: Int

    public static let zero = MultisiteLine(
        group: .total, physicians: 0, filings: 0, atPublic: 0, atSocial: 0, publicToSocial: 0, publicToPublic: 0,
        socialToSocial: 0, socialToPublic: 0)
}

extension Store {
    /// The figures, one row per region, per category and the total (GROUPING tells which).
    static func multisiteFigures(_ area: ReportArea, from: CalendarDate, to: CalendarDate) -> SQL {
        let g = area.group(county: "f.host_county", province: "f.province")
        // In force at some time in [from, to]: the contract overlaps it and it was not ended before it began.
        // The host's county and ownership, the category and the primary's ownership are carried on the filing (0004).
        let inForce: SQL = """
            SELECT \(g) AS g, f.category, f.physician, f.host_ownership AS host, f.home_ownership AS home
            FROM filing f
            WHERE f.valid_from <= \(to) AND f.valid_to >= \(from) AND (f.ended_on IS NULL OR f.ended_on >= \(from))
              AND \(area.filter(county: "f.host_county", province: "f.province"))
            """
        return """
            SELECT g, category, GROUPING(g) AS by_category, GROUPING(category) AS by_region,
                   count(DISTINCT physician) AS physicians, count(*) AS filings,
                   count(*) FILTER (WHERE host = 'public') AS at_public, count(*) FILTER (WHERE host = 'social') AS at_social,
                   count(*) FILTER (WHERE home = 'public' AND host = 'social') AS public_to_social,
                   count(*) FILTER (WHERE home = 'public' AND host = 'public') AS public_to_public,
                   count(*) FILTER (WHERE home = 'social' AND host = 'social') AS social_to_social,
                   count(*) FILTER (WHERE home = 'social' AND host = 'public') AS social_to_public
            FROM (\(inForce)) x GROUP BY GROUPING SETS ((g), (category), ())
            """
    }

    static let multisiteColumns: SQL = """
        g, category, by_category, by_region, physicians, filings, at_public, at_social,
        public_to_social, public_to_public, social_to_social, social_to_public
        """

    /// The daily run's snapshot of the national figures for `day` (kept 30 days); returns its rows.
    public func snapshotMultisite(on day: CalendarDate) throws -> Int {
        try connection.execute(
            "DELETE FROM multisite_snapshot WHERE as_of = \(day) OR as_of < \(day.adding(days: -30))")
        try connection.execute("SET LOCAL work_mem = '256MB'")
        return try connection.execute(
            """
            INSERT INTO multisite_snapshot (as_of, \(Store.multisiteColumns))
            SELECT \(day), \(Store.multisiteColumns) FROM (\(Store.multisiteFigures(ReportArea(region: nil), from: day, to: day))) x
            """)
    }

    /// Multi-site practice in `region` (nil: the country) over [from, to]: from the daily run's snapshot
    /// when `snapshot` allows and there is one for the day (the whole country on one day), with the time
    /// it was computed; else counted now.
    public func multisite(region: RegionCode?, from: CalendarDate, to: CalendarDate, snapshot: Bool) throws -> (
        lines: [MultisiteLine], computedAt: String?
    ) {
        var computedAt: String?
        if region == nil, from == to, snapshot {
            computedAt = try connection.query(
                """
                SELECT to_char(max(computed_at) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"') FROM multisite_snapshot WHERE as_of = \(to)
                """)[0].decode(0, as: String?.self)
        }
        let source: SQL =
            computedAt == nil
            ? "(\(Store.multisiteFigures(ReportArea(region: region), from: from, to: to))) x"
            : "multisite_snapshot x WHERE x.as_of = \(to)"
        let lines = try connection.query("SELECT \(Store.multisiteColumns) FROM \(source) ORDER BY 3, 4, 1, 2").map {
            row in
            let regionRow = try row.decode("by_region", as: Int.self) == 1
            let categoryRow = try row.decode("by_category", as: Int.self) == 1
            let group: MultisiteLine.Group =
                regionRow && categoryRow
                ? .total
                : categoryRow
                    ? .category(try row.decode("category", as: String?.self) ?? "")
                    : .region(try row.decode("g", as: String?.self) ?? "")
            return MultisiteLine(
                group: group, physicians: try row.count("physicians"), filings: try row.count("filings"),
                atPublic: try row.count("at_public"), atSocial: try row.count("at_social"),
                publicToSocial: try row.count("public_to_social"), publicToPublic: try row.count("public_to_public"),
                socialToSocial: try row.count("social_to_social"), socialToPublic: try row.count("social_to_public"))
        }
        return (lines, computedAt)
    }
}
