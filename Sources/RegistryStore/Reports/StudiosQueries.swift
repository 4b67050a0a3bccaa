import Dates
import Foundation
import Postgres
import Registration

/// `report studios`'s figures for one region.
public struct StudioFigures: Sendable {
    public var studios = 0, grassrootsHosts = 0, atElderlyCare = 0, grassrootsInstitutions = 0
    public init() {}
}

extension Store {
    /// Studios open on `day` in `region` by its breakdown, with the active grassroots institutions there.
    public func studioFigures(region: RegionCode?, on day: CalendarDate) throws -> [String: StudioFigures] {
        let area = ReportArea(region: region)
        let grassroots = InstitutionCategory.allCases.filter(\.isGrassroots).map(\.rawValue)
        let gs = area.group(county: "h.region", province: "s.province")
        var figures: [String: StudioFigures] = [:]
        for row in try connection.query(
            """
            SELECT \(gs) AS g, count(*) AS studios,
                   count(DISTINCT s.host) FILTER (WHERE h.category = ANY(\(grassroots))) AS grassroots_hosts,
                   count(*) FILTER (WHERE h.category = 'elderly-care-medical') AS at_elderly_care
            FROM studio s JOIN institution h ON h.id = s.host
            WHERE s.opened_on <= \(day) AND (s.closed_on IS NULL OR s.closed_on > \(day))
              AND \(area.filter(county: "h.region", province: "s.province"))
            GROUP BY 1
            """)
        {
            let key = try row.decode("g", as: String.self)
            figures[key, default: StudioFigures()].studios = try row.count("studios")
            figures[key, default: StudioFigures()].grassrootsHosts = try row.count("grassroots_hosts")
            figures[key, default: StudioFigures()].atElderlyCare = try row.count("at_elderly_care")
        }
        let gi = area.group(county: "region", province: "province")
        for row in try connection.query(
            """
            SELECT \(gi) AS g, count(*) AS grassroots
            FROM institution WHERE status = 'active' AND category = ANY(\(grassroots))
              AND \(area.filter(county: "region", province: "province"))
            GROUP BY 1
            """)
        {
            figures[try row.decode("g", as: String.self), default: StudioFigures()].grassrootsInstitutions =
                try row.count("grassroots")
        }
        return figures
    }
}
