import Dates
import Foundation
import Postgres
import Registration

/// One bin of `report processing`'s histogram: applications of a region and status that took `days`
/// working days to decide (nil: undecided, or a day outside the table), on time or not, overdue or not.
public struct ProcessingBin: Sendable {
    public let region: String
    public let status: String
    public let days: Int?
    public let onTime: Bool
    public let overdue: Bool
    public let count: Int
}

/// A pending application past its deadline.
public struct OverdueApplication: Sendable {
    public let registration: UUID
    public let physicianName: String
    public let institutionName: String
    public let practiceRegion: RegionCode
    public let appliedOn: CalendarDate
}

extension Store {
    /// Applications made in [from, to] at institutions in `region`, binned. Working days come from the one
    /// calendar function (R-05): the caller numbers every day from `from` with its running count of working
    /// days (`ordinals`) and its deadline (`deadlines`), and SQL only subtracts those numbers, so the
    /// database never holds a second definition of a working day.
    public func processingHistogram(
        region: RegionCode?, from: CalendarDate, to: CalendarDate, today: CalendarDate, ordinals: [Int],
        deadlines: [CalendarDate]
    ) throws -> [ProcessingBin] {
        let area = ReportArea(region: region)
        let g = area.group(county: "i.region", province: "r.province")
        let join: SQL =
            area.needsCounty
            ? "JOIN institution i ON i.id = r.institution AND \(area.provinceFilter("i.province"))" : ""
        // One row per (region, status, working days to decide, on time, overdue): the database counts,
        // Swift adds up and takes percentiles, so no sort of every application.
        return try connection.query(
            """
            SELECT g, status, dn - an AS days, decided_on <= due AS on_time, status = 'pending' AND due < \(today) AS overdue, count(*) AS n
            FROM (SELECT \(g) AS g, r.status, r.decided_on,
                         (\(ordinals)::int[])[r.applied_on - \(from) + 1] AS an,
                         (\(ordinals)::int[])[r.decided_on - \(from) + 1] AS dn,
                         (\(deadlines)::date[])[r.applied_on - \(from) + 1] AS due
                  FROM registration r \(join)
                  WHERE r.applied_on BETWEEN \(from) AND \(to) AND \(area.filter(county: "i.region", province: "r.province"))) x
            GROUP BY 1, 2, 3, 4, 5
            """
        ).map { row in
            ProcessingBin(
                region: try row.decode("g", as: String.self), status: try row.decode("status", as: String.self),
                days: try row.decode("days", as: Int?.self), onTime: try row.decode("on_time", as: Bool?.self) ?? false,
                overdue: try row.decode("overdue", as: Bool?.self) ?? false, count: try row.decode("n", as: Int.self))
        }
    }

    /// Pending applications at institutions in `region` made on or before `appliedBy`: how many, and the first
    /// `limit` by the day they were made.
    public func pendingApplications(region: RegionCode?, appliedBy: CalendarDate, limit: Int) throws -> (
        count: Int, first: [OverdueApplication]
    ) {
        let area = ReportArea(region: region)
        let join: SQL =
            area.needsCounty
            ? "JOIN institution i ON i.id = r.institution AND \(area.provinceFilter("i.province"))" : ""
        let filter: SQL = """
            r.status = 'pending' AND r.applied_on <= \(appliedBy) AND \(area.filter(county: "i.region", province: "r.province"))
            """
        let count = try connection.query("SELECT count(*) FROM registration r \(join) WHERE \(filter)")[0].decode(
            0, as: Int.self)
        let first = try connection.query(
            """
            SELECT r.id, p.name AS physician, i.name AS institution, r.region, r.applied_on
            FROM registration r JOIN physician p ON p.id = r.physician JOIN institution i ON i.id = r.institution
            WHERE \(filter)
            ORDER BY r.applied_on, r.id LIMIT \(limit)
            """
        ).map { row in
            OverdueApplication(
                registration: try row.decode("id", as: UUID.self),
                physicianName: try row.decode("physician", as: String.self),
                institutionName: try row.decode("institution", as: String.self),
                practiceRegion: try row.decode("region", as: RegionCode.self),
                appliedOn: try row.decode("applied_on", as: CalendarDate.self))
        }
        return (count, first)
    }
}
