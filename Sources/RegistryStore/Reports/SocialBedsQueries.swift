import Dates
import Foundation
import Postgres
import Registration

/// `report social-beds`'s figures for one region.
public struct BedsLine: Sendable {
    public let region: String
    public let institutions, socialInstitutions, beds, socialBeds: Int
}

extension Store {
    /// Approved beds of institutions not closed in `region`, by its breakdown.
    public func beds(region: RegionCode?) throws -> [BedsLine] {
        let area = ReportArea(region: region)
        let g = area.group(county: "region", province: "province")
        return try connection.query(
            """
            SELECT \(g) AS g, count(*) AS institutions,
                   count(*) FILTER (WHERE ownership = 'social') AS social_institutions,
                   sum(beds) AS beds, sum(beds) FILTER (WHERE ownership = 'social') AS social_beds
            FROM institution
            WHERE status <> 'closed' AND \(area.filter(county: "region", province: "province"))
            GROUP BY 1 ORDER BY 1
            """
        ).map { row in
            BedsLine(
                region: try row.decode("g", as: String.self), institutions: try row.count("institutions"),
                socialInstitutions: try row.count("social_institutions"), beds: try row.count("beds"),
                socialBeds: try row.count("social_beds"))
        }
    }
}
