import Dates
import Foundation
import Postgres
import Registration

/// `report nurse-pilot`'s figures for one region, or the total (`GroupKey.total`).
public struct NursePilotFigures: Sendable {
    public var active = 0, regional = 0, nursesAtTwoOrMore = 0, filings = 0
    public init() {}
}

extension Store {
    /// Pilots in force on `day`, by region.
    public func pilotsInForce(on day: CalendarDate) throws -> [PilotListing] {
        try connection.query(
            """
            SELECT p.id, p.region, r.name, p.valid_from, p.valid_to FROM pilot p JOIN region r ON r.code = p.region
            WHERE p.valid_from <= \(day) AND (p.valid_to IS NULL OR p.valid_to >= \(day)) ORDER BY p.region, p.valid_from
            """
        ).map { row in
            PilotListing(
                id: try row.decode(0, as: UUID.self), region: try row.decode(1, as: RegionCode.self),
                name: try row.decode(2, as: String.self), from: try row.decode(3, as: CalendarDate.self),
                to: try row.decode(4, as: CalendarDate?.self), regionalRegistrations: 0)
        }
    }

    /// Active nurse registrations (and the regional ones) at institutions in `region`, and nurses practising
    /// at two or more institutions on `day` (filings in force), by the region's breakdown and in total.
    public func nursePilotFigures(region: RegionCode?, on day: CalendarDate) throws -> [GroupKey: NursePilotFigures] {
        let area = ReportArea(region: region)
        // Counted per institution first, then placed in its county: a join per institution, not per nurse.
        let gr = area.group(county: "i.region", province: "a.province")
        let institutionColumn: SQL = area.needsCounty ? "nr.institution" : "NULL::uuid"
        let join: SQL =
            area.needsCounty
            ? "JOIN institution i ON i.id = a.institution AND \(area.provinceFilter("i.province"))" : ""
        var figures: [GroupKey: NursePilotFigures] = [:]
        for row in try connection.query(
            """
            SELECT \(gr) AS g, GROUPING(\(gr)) AS is_total, sum(a.active)::bigint AS active, sum(a.regional)::bigint AS regional
            FROM (SELECT nr.province, \(institutionColumn) AS institution,
                         count(*) AS active, count(*) FILTER (WHERE nr.regional) AS regional
                  FROM nurse_registration nr WHERE nr.status = 'active' AND \(area.provinceFilter("nr.province"))
                  GROUP BY 1, 2) a \(join)
            WHERE \(area.filterNeedsCounty ? regionFilter("i.region", region) : "TRUE")
            GROUP BY GROUPING SETS ((\(gr)), ())
            """)
        {
            let key =
                try row.decode("is_total", as: Int.self) == 1
                ? GroupKey.total : GroupKey(code: try row.decode("g", as: String.self))
            figures[key, default: NursePilotFigures()].active = try row.count("active")
            figures[key, default: NursePilotFigures()].regional = try row.count("regional")
        }
        let gf = area.group(county: "h.region", province: "nf.province")
        let hostJoin: SQL = area.needsCounty ? "JOIN institution h ON h.id = nf.institution" : ""
        for row in try connection.query(
            """
            SELECT \(gf) AS g, GROUPING(\(gf)) AS is_total, count(DISTINCT nf.nurse) AS nurses, count(*) AS filings
            FROM nurse_filing nf \(hostJoin)
            WHERE nf.valid_from <= \(day) AND nf.valid_to >= \(day) AND (nf.ended_on IS NULL OR nf.ended_on >= \(day))
              AND \(area.filter(county: "h.region", province: "nf.province"))
            GROUP BY GROUPING SETS ((\(gf)), ())
            """)
        {
            let key =
                try row.decode("is_total", as: Int.self) == 1
                ? GroupKey.total : GroupKey(code: try row.decode("g", as: String.self))
            figures[key, default: NursePilotFigures()].nursesAtTwoOrMore = try row.count("nurses")
            figures[key, default: NursePilotFigures()].filings = try row.count("filings")
        }
        return figures
    }
}
