import Dates
import Foundation
import Postgres
import Registration

/// A credit record with its subject's name and where the subject practises: an institution's own county;
/// a physician's or nurse's primary institution (home registration first).
public struct PlacedCreditRecord: Sendable {
    public let id: UUID
    public let subject: UUID
    public let subjectKind: String
    public let subjectName: String?
    public let facts: CreditFacts
    public let document: String
    public let county: RegionCode?
}

/// Penalties decided in a period at one institution: its own, and its practitioners'.
public struct PenaltyLine: Sendable {
    public let institution: UUID
    public let name: String
    public let county: RegionCode
    public let own, practitioners, total: Int
}

extension Store {
    /// Registrations that hold their region (R-11) and nurse registrations that count (R-50), from the
    /// rules' own `isLive`.
    static let liveRegistration = RegistrationStatus.allCases.filter(\.isLive).map(\.rawValue)
    static let liveNurseRegistration = NurseRegistrationStatus.allCases.filter(\.isLive).map(\.rawValue)

    static func placedCreditRecords(_ filter: SQL) -> SQL {
        """
        SELECT c.id, c.subject, c.subject_kind, c.kind, c.decided_on, c.document, c.until, c.lifted_on, c.note,
               coalesce(i.name, pr.name, nr.name) AS subject_name,
               coalesce(i.id, pr.institution, nr.institution) AS institution,
               coalesce(i.name, pr.institution_name, nr.institution_name) AS institution_name,
               coalesce(i.region, pr.region, nr.region) AS county
        FROM credit_record c
        LEFT JOIN LATERAL (SELECT x.id, x.name, x.region FROM institution x WHERE c.subject_kind = 'institution' AND x.id = c.subject) i ON true
        LEFT JOIN LATERAL (
            SELECT (SELECT name FROM physician WHERE id = c.subject) AS name, r.institution, ri.name AS institution_name, ri.region
            FROM registration r JOIN institution ri ON ri.id = r.institution
            WHERE c.subject_kind = 'physician' AND r.physician = c.subject
            ORDER BY r.status = ANY(\(liveRegistration)) DESC, r.is_home DESC, r.applied_on DESC LIMIT 1) pr ON true
        LEFT JOIN LATERAL (
            SELECT (SELECT name FROM nurse WHERE id = c.subject) AS name, x.institution, xi.name AS institution_name, xi.region
            FROM nurse_registration x JOIN institution xi ON xi.id = x.institution
            WHERE c.subject_kind = 'nurse' AND x.nurse = c.subject
            ORDER BY x.status = ANY(\(liveNurseRegistration)) DESC, x.applied_on DESC LIMIT 1) nr ON true
        WHERE \(filter)
        """
    }

    /// Records carry their province when the subject had one: narrow to it before placing each subject.
    private func creditArea(_ region: RegionCode?) -> (inProvince: SQL, inRegion: SQL) {
        (
            region.map { "(c.province = \($0.province.value)::bpchar OR c.province IS NULL)" } ?? "TRUE",
            region.map { regionFilter("county", $0) } ?? "TRUE"
        )
    }

    /// Blacklist records decided by `day` whose subjects practise in `region` (in force or not: that is the
    /// rule's to say), by the day decided.
    public func blacklistRecords(region: RegionCode?, decidedBy day: CalendarDate) throws -> [PlacedCreditRecord] {
        let area = creditArea(region)
        return try connection.query(
            """
            SELECT * FROM (\(Store.placedCreditRecords("c.kind = 'blacklist' AND c.decided_on <= \(day) AND \(area.inProvince)"))) s
            WHERE \(area.inRegion)
            ORDER BY decided_on, id
            """
        ).map { row in
            PlacedCreditRecord(
                id: try row.decode("id", as: UUID.self), subject: try row.decode("subject", as: UUID.self),
                subjectKind: try row.decode("subject_kind", as: String.self),
                subjectName: try row.decode("subject_name", as: String?.self),
                facts: CreditFacts(
                    kind: .blacklist, decidedOn: try row.decode("decided_on", as: CalendarDate.self),
                    until: try row.decode("until", as: CalendarDate?.self),
                    liftedOn: try row.decode("lifted_on", as: CalendarDate?.self)),
                document: try row.decode("document", as: String.self),
                county: try row.decode("county", as: RegionCode?.self))
        }
    }

    /// What the subjects still hold, wherever it is (a fact of R-60, not limited to the reader's scope):
    /// live registrations, active filings, open studios, nurse registrations, nurse filings.
    public func holdings(of subjects: [UUID]) throws -> [UUID: [Int]] {
        guard !subjects.isEmpty else { return [:] }
        // `regctl_holdings` counts with `= ANY` (not one lookup per subject): GiST cannot serve it, so each
        // count uses a btree index; the exclusion constraints' GiST indexes answer `institution = x` by
        // reading most of themselves.
        var holdings: [UUID: [Int]] = [:]
        for row in try connection.query(
            """
            SELECT subject, what, n FROM regctl_holdings(\(subjects)::uuid[], \(Store.liveRegistration)::text[], \(Store.liveNurseRegistration)::text[])
            """)
        {
            holdings[try row.decode(0, as: UUID.self), default: [0, 0, 0, 0, 0]][try row.decode(1, as: Int.self)] +=
                try row.decode(2, as: Int.self)
        }
        return holdings
    }

    /// Penalties decided in [from, to], by institution in `region` (its own, and of the people whose primary
    /// institution it is), most first; at most `limit`.
    public func penaltiesByInstitution(region: RegionCode?, from: CalendarDate, to: CalendarDate, limit: Int) throws
        -> [PenaltyLine]
    {
        let area = creditArea(region)
        return try connection.query(
            """
            SELECT s.institution, s.institution_name AS name, s.county AS region,
                   count(*) FILTER (WHERE s.subject_kind = 'institution') AS own,
                   count(*) FILTER (WHERE s.subject_kind <> 'institution') AS staff, count(*) AS total
            FROM (\(Store.placedCreditRecords("c.kind = 'penalty' AND c.decided_on BETWEEN \(from) AND \(to) AND \(area.inProvince)"))) s
            WHERE s.institution IS NOT NULL AND \(area.inRegion)
            GROUP BY s.institution, s.institution_name, s.county ORDER BY total DESC, s.institution_name, s.institution LIMIT \(limit)
            """
        ).map { row in
            PenaltyLine(
                institution: try row.decode("institution", as: UUID.self),
                name: try row.decode("name", as: String.self),
                county: try row.decode("region", as: RegionCode.self), own: try row.count("own"),
                practitioners: try row.count("staff"), total: try row.count("total"))
        }
    }
}
