import Dates
import Foundation
import Postgres
import Registration

/// One line of an institution's roster: a physician or nurse practising there, and how.
public struct RosterLine: Sendable {
    /// `physician` or `nurse`.
    public let kind: String
    /// `primary`, `filed` or `studio`.
    public let role: String
    public let person: UUID
    public let name: String
    /// As the masking view shows it to the reader.
    public let idNumber: String
    public let certificateOrQualification: String?
    public let level: String?
    public let category: String?
    public let status: String
    public let since: CalendarDate?
    public let until: CalendarDate?
    public let leaveSince: CalendarDate?
    public let regional: Bool
}

extension Store {
    /// Everyone who practises at an institution on `day` (primary, filed, studio; physicians and nurses), and
    /// the contracts filed there that start after `day` up to `startingBy` (role `starting`).
    public func roster(of institution: UUID, on day: CalendarDate, startingBy: CalendarDate) throws -> [RosterLine] {
        // Planner: `= ANY` keeps the btree on filing(institution), not the exclusion GiST (0004).
        try connection.query(
            """
            SELECT 'physician' AS kind, 'primary' AS role, p.id AS person, p.name, p.id_number, p.certificate_no::text AS certificate,
                   p.level, r.category, r.status, r.effective_on AS since, NULL::date AS until, r.leave_since, false AS regional
            FROM registration r JOIN physician_v p ON p.id = r.physician
            WHERE r.institution = \(institution) AND r.status IN ('active', 'on-leave')
            UNION ALL
            SELECT 'physician', CASE WHEN f.valid_from <= \(day) THEN 'filed' ELSE 'starting' END, p.id, p.name, p.id_number,
                   p.certificate_no::text, p.level, f.category, f.status, f.valid_from, f.valid_to, NULL, false
            FROM filing f JOIN physician_v p ON p.id = f.physician
            WHERE f.institution = ANY(\([institution])) AND f.status = 'active' AND f.valid_from <= \(startingBy)
              AND (f.valid_to IS NULL OR f.valid_to >= \(day))
            UNION ALL
            SELECT 'physician', 'studio', p.id, p.name, p.id_number, p.certificate_no::text, p.level, p.category, s.status,
                   s.opened_on, NULL, NULL, false
            FROM studio s JOIN physician_v p ON p.id = s.physician
            WHERE s.host = \(institution) AND s.status = 'open'
            UNION ALL
            SELECT 'nurse', 'primary', n.id, n.name, n.id_number, n.qualification_no, NULL, NULL, nr.status,
                   nr.decided_on, nr.expires_on, NULL, nr.regional
            FROM nurse_registration nr JOIN nurse_v n ON n.id = nr.nurse
            WHERE nr.institution = \(institution) AND nr.status = 'active'
            UNION ALL
            SELECT 'nurse', CASE WHEN nf.valid_from <= \(day) THEN 'filed' ELSE 'starting' END, n.id, n.name, n.id_number,
                   n.qualification_no, NULL, NULL, nf.status, nf.valid_from, nf.valid_to, NULL, true
            FROM nurse_filing nf JOIN nurse_v n ON n.id = nf.nurse
            WHERE nf.institution = \(institution) AND nf.status = 'active' AND nf.valid_from <= \(startingBy)
              AND (nf.valid_to IS NULL OR nf.valid_to >= \(day))
            ORDER BY 1, 2, 4, 3
            """
        ).map { row in
            RosterLine(
                kind: try row.decode("kind", as: String.self), role: try row.decode("role", as: String.self),
                person: try row.decode("person", as: UUID.self), name: try row.decode("name", as: String.self),
                idNumber: try row.decode("id_number", as: String.self),
                certificateOrQualification: try row.decode("certificate", as: String?.self),
                level: try row.decode("level", as: String?.self),
                category: try row.decode("category", as: String?.self),
                status: try row.decode("status", as: String.self),
                since: try row.decode("since", as: CalendarDate?.self),
                until: try row.decode("until", as: CalendarDate?.self),
                leaveSince: try row.decode("leave_since", as: CalendarDate?.self),
                regional: try row.decode("regional", as: Bool.self))
        }
    }

    /// The blacklist records of these people that the reader may read.
    public func readableBlacklistRecords(of people: [UUID]) throws -> [UUID: [CreditFacts]] {
        var credit: [UUID: [CreditFacts]] = [:]
        for row in try connection.query(
            """
            SELECT subject, decided_on, until, lifted_on FROM credit_record WHERE kind = 'blacklist' AND subject = ANY(\(people)::uuid[])
            """)
        {
            credit[try row.decode(0, as: UUID.self), default: []].append(
                CreditFacts(
                    kind: .blacklist, decidedOn: try row.decode(1, as: CalendarDate.self),
                    until: try row.decode(2, as: CalendarDate?.self),
                    liftedOn: try row.decode(3, as: CalendarDate?.self)))
        }
        return credit
    }
}
