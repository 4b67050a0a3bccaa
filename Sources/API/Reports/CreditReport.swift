import Dates
import Foundation
import Postgres
import Registration

/// `report credit`: the blacklist in force (R-60), penalties by institution, and the
/// blacklisted who still hold registrations, filings or studios (existing records are not
/// touched automatically: this list is how staff follow them up).
public struct CreditReport: Command {
    public static let name = "report.credit"
    let args: ReportArguments

    public init(_ a: Arguments) throws { args = try ReportArguments(a) }

    /// Each record with its subject's name, and where the subject practises: an institution's
    /// own county; a physician's or nurse's primary institution (home registration first).
    /// Registrations that hold their region (R-11) and nurse registrations that count (R-50), from the rules' own `isLive`.
    static let liveRegistration = RegistrationStatus.allCases.filter(\.isLive).map(\.rawValue)
    static let liveNurseRegistration = NurseRegistrationStatus.allCases.filter(\.isLive).map(\.rawValue)

    static func subjects(_ filter: SQL) -> SQL {
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

    public func run(_ c: CommandContext) throws -> CommandOutput {
        let scope = try ReportScope(args.region, c)
        let day = args.to ?? c.today
        let from = args.from ?? day.adding(days: -364)
        let inRegion: SQL = scope.region.map { regionFilter("county", $0) } ?? "TRUE"
        // Records carry their province when the subject had one: narrow to it before placing each subject.
        let inProvince: SQL =
            scope.region.map { "(c.province = \($0.province.value)::bpchar OR c.province IS NULL)" } ?? "TRUE"

        // R-60: in force is the rule's own function; SQL only narrows to blacklist records decided by then.
        var blacklisted:
            [(
                id: UUID, subject: UUID, kind: String, name: String, document: String, decided: CalendarDate,
                until: CalendarDate?, county: String?
            )] = []
        for row in try c.connection.query(
            """
            SELECT * FROM (\(CreditReport.subjects("c.kind = 'blacklist' AND c.decided_on <= \(day) AND \(inProvince)"))) s WHERE \(inRegion)
            ORDER BY decided_on, id
            """)
        {
            let facts = CreditFacts(
                kind: .blacklist, decidedOn: try row.decode("decided_on", as: CalendarDate.self),
                until: try row.decode("until", as: CalendarDate?.self),
                liftedOn: try row.decode("lifted_on", as: CalendarDate?.self))
            guard CreditRules.isInForce(facts, on: day) else { continue }
            blacklisted.append(
                (
                    try row.decode("id", as: UUID.self), try row.decode("subject", as: UUID.self),
                    try row.decode("subject_kind", as: String.self),
                    try row.decode("subject_name", as: String?.self) ?? "?",
                    try row.decode("document", as: String.self), facts.decidedOn, facts.until,
                    try row.decode("county", as: String?.self)
                ))
        }
        let blacklistRows: [[Cell]] = blacklisted.prefix(args.limit).map {
            [
                .text($0.kind), .text($0.name), Cell($0.county), .text($0.document), .text($0.decided.description),
                Cell($0.until?.description)
            ]
        }

        // What the blacklisted still hold (R-60 follow-up).
        let subjects = blacklisted.map(\.subject)
        // `= ANY` (not one lookup per subject): GiST cannot serve it, so each count uses a btree index;
        // the exclusion constraints' GiST indexes answer `institution = x` by reading most of themselves.
        var holdings: [UUID: [Int]] = [:]
        // Counted wherever they are (a fact of R-60, not limited to the reader's scope).
        if !subjects.isEmpty {
            for row in try c.connection.query(
                """
                SELECT subject, what, n FROM regctl_holdings(\(subjects)::uuid[], \(CreditReport.liveRegistration)::text[], \(CreditReport.liveNurseRegistration)::text[])
                """)
            {
                holdings[try row.decode(0, as: UUID.self), default: [0, 0, 0, 0, 0]][try row.decode(1, as: Int.self)] +=
                    try row.decode(2, as: Int.self)
            }
        }
        var followUp: [[Cell]] = []
        var seen: Set<UUID> = []
        for b in blacklisted where seen.insert(b.subject).inserted {
            guard let h = holdings[b.subject], h.contains(where: { $0 > 0 }) else { continue }
            followUp.append([.text(b.kind), .text(b.name), Cell(b.county), .text(b.document)] + h.map(Cell.int))
        }
        let followUpCount = followUp.count

        // Penalties decided in the period, by institution: its own and its physicians' and nurses'.
        let penalties = try c.connection.query(
            """
            SELECT s.institution, s.institution_name AS name, s.county::text AS region,
                   count(*) FILTER (WHERE s.subject_kind = 'institution') AS own,
                   count(*) FILTER (WHERE s.subject_kind <> 'institution') AS staff, count(*) AS total
            FROM (\(CreditReport.subjects("c.kind = 'penalty' AND c.decided_on BETWEEN \(from) AND \(day) AND \(inProvince)"))) s
            WHERE s.institution IS NOT NULL AND \(inRegion)
            GROUP BY s.institution, s.institution_name, s.county ORDER BY total DESC, s.institution_name, s.institution LIMIT \(args.limit)
            """
        ).map { row -> [Cell] in
            [
                .text(try row.decode("institution", as: UUID.self).text),
                .text(try row.decode("name", as: String.self)),
                .text(try row.decode("region", as: String.self)), .int(try row.count("own")),
                .int(try row.count("staff")), .int(try row.count("total"))
            ]
        }
        func note(_ shown: Int, _ all: Int) -> String? { shown < all ? "first \(shown) of \(all)" : nil }
        return CommandOutput(
            report: Report(
                title: "Credit and supervision (信用监管)",
                summary: scope.summary + [
                    ("as_of", .text(day.description)), ("penalties_from", .text(from.description)),
                    ("blacklist_in_force", .int(blacklisted.count)), ("needing_follow_up", .int(followUpCount))
                ],
                sections: [
                    ReportSection(
                        "blacklist", "Blacklist records in force on \(day) (R-60)",
                        ResultTable(
                            columns: ["subject_kind", "subject", "county", "document", "decided_on", "until"],
                            rows: blacklistRows),
                        note: note(blacklistRows.count, blacklisted.count)),
                    ReportSection(
                        "follow_up", "Blacklisted, still holding records (R-60: not ended automatically)",
                        ResultTable(
                            columns: [
                                "subject_kind", "subject", "county", "document", "live_registrations", "active_filings",
                                "open_studios",
                                "nurse_registrations", "nurse_filings"
                            ], rows: Array(followUp.prefix(args.limit))),
                        note: note(min(followUp.count, args.limit), followUpCount)),
                    ReportSection(
                        "penalties_by_institution",
                        "Penalties decided \(from) – \(day), by institution (own, and of the people whose primary institution it is)",
                        ResultTable(
                            columns: ["institution", "name", "county", "own", "its_practitioners", "total"],
                            rows: penalties))
                ]))
    }
}
