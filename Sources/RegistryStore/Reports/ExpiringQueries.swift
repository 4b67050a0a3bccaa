import Dates
import Foundation
import Postgres
import Registration

/// A filing contract ending.
public struct ExpiringContract: Sendable {
    public let filing: UUID
    public let physicianName: String
    public let institutionName: String
    public let county: RegionCode
    public let contractNo: String
    public let validTo: CalendarDate
}

/// A nurse registration expiring.
public struct ExpiringNurseRegistration: Sendable {
    public let registration: UUID
    public let nurseName: String
    public let institutionName: String
    public let county: RegionCode
    public let expiresOn: CalendarDate
}

/// A registration on leave.
public struct LeaveLine: Sendable {
    public let registration: UUID
    public let physicianName: String
    public let institutionName: String
    public let practiceRegion: RegionCode
    public let since: CalendarDate
    public let reason: String?
}

extension Store {
    /// Active filings at hosts in `region` whose contract ends in [from, until]: how many, and the first `limit`.
    public func expiringContracts(region: RegionCode?, from: CalendarDate, until: CalendarDate, limit: Int) throws
        -> (count: Int, first: [ExpiringContract])
    {
        let hostFilter = ReportArea(region: region).filter(county: "f.host_county", province: "f.province")
        let count = try connection.query(
            """
            SELECT count(*) FROM filing f
            WHERE f.status = 'active' AND f.valid_to BETWEEN \(from) AND \(until) AND \(hostFilter)
            """)[0].decode(0, as: Int.self)
        // Planner: the first N, then their names: N lookups, whatever the plan.
        let first = try connection.query(
            """
            SELECT f.id, p.name AS physician, h.name AS institution, h.region, f.contract_no, f.valid_to
            FROM (SELECT f.id, f.physician, f.institution, f.contract_no, f.valid_to FROM filing f
                  WHERE f.status = 'active' AND f.valid_to BETWEEN \(from) AND \(until) AND \(hostFilter)
                  ORDER BY f.valid_to, f.id LIMIT \(limit)) f
            JOIN institution h ON h.id = f.institution JOIN physician p ON p.id = f.physician
            ORDER BY f.valid_to, f.id
            """
        ).map { row in
            ExpiringContract(
                filing: try row.decode("id", as: UUID.self),
                physicianName: try row.decode("physician", as: String.self),
                institutionName: try row.decode("institution", as: String.self),
                county: try row.decode("region", as: RegionCode.self),
                contractNo: try row.decode("contract_no", as: String.self),
                validTo: try row.decode("valid_to", as: CalendarDate.self))
        }
        return (count, first)
    }

    /// Active nurse registrations at institutions in `region` expiring in [from, until]: how many, the first `limit`.
    public func expiringNurseRegistrations(region: RegionCode?, from: CalendarDate, until: CalendarDate, limit: Int)
        throws -> (count: Int, first: [ExpiringNurseRegistration])
    {
        let area = ReportArea(region: region)
        let nurseFilter = area.filter(county: "i.region", province: "nr.province")
        let nurseJoin: SQL = area.filterNeedsCounty ? "JOIN institution i ON i.id = nr.institution" : ""
        let count = try connection.query(
            """
            SELECT count(*) FROM nurse_registration nr \(nurseJoin)
            WHERE nr.status = 'active' AND nr.expires_on BETWEEN \(from) AND \(until) AND \(nurseFilter)
            """)[0].decode(0, as: Int.self)
        let first = try connection.query(
            """
            SELECT nr.id, n.name AS nurse, i.name AS institution, i.region, nr.expires_on
            FROM (SELECT nr.id, nr.nurse, nr.institution, nr.expires_on FROM nurse_registration nr \(nurseJoin)
                  WHERE nr.status = 'active' AND nr.expires_on BETWEEN \(from) AND \(until) AND \(nurseFilter)
                  ORDER BY nr.expires_on, nr.id LIMIT \(limit)) nr
            JOIN institution i ON i.id = nr.institution JOIN nurse n ON n.id = nr.nurse
            ORDER BY nr.expires_on, nr.id
            """
        ).map { row in
            ExpiringNurseRegistration(
                registration: try row.decode("id", as: UUID.self), nurseName: try row.decode("nurse", as: String.self),
                institutionName: try row.decode("institution", as: String.self),
                county: try row.decode("region", as: RegionCode.self),
                expiresOn: try row.decode("expires_on", as: CalendarDate.self))
        }
        return (count, first)
    }

    /// Registrations on leave at institutions in `region` whose leave began in [from, to].
    public func leaves(region: RegionCode?, begunFrom from: CalendarDate, to: CalendarDate) throws -> [LeaveLine] {
        let regFilter = ReportArea(region: region).filter(county: "i.region", province: "r.province")
        return try connection.query(
            """
            SELECT r.id, p.name AS physician, i.name AS institution, r.region, r.leave_since, r.leave_reason
            FROM registration r JOIN institution i ON i.id = r.institution JOIN physician p ON p.id = r.physician
            WHERE r.status = 'on-leave' AND r.leave_since BETWEEN \(from) AND \(to) AND \(regFilter)
            ORDER BY r.leave_since, r.id
            """
        ).map { row in
            LeaveLine(
                registration: try row.decode("id", as: UUID.self),
                physicianName: try row.decode("physician", as: String.self),
                institutionName: try row.decode("institution", as: String.self),
                practiceRegion: try row.decode("region", as: RegionCode.self),
                since: try row.decode("leave_since", as: CalendarDate.self),
                reason: try row.decode("leave_reason", as: String?.self))
        }
    }
}
