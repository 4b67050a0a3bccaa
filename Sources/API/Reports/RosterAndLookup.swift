import Dates
import Foundation
import Postgres
import Registration

/// `report roster --institution INST`: everyone who practises at an institution (primary,
/// filed, studio; physicians and nurses) with their standing (R-26), for its HR department.
public struct RosterReport: Command {
    public static let name = "report.roster"
    let institution: String

    public init(_ a: Arguments) throws { institution = try a.string("institution") }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        let inst = try c.store.institution(institution)
        try Access.requireRosterReader(c.actor, institution: inst.facts.id, region: inst.facts.county)
        // R-72: registrars of the institution's region are the people's registrars; HR and analysts read the masked form.
        let fullIDs = Access.seesFullIDNumber(c.actor, subjectRegions: [inst.facts.county])
        let day = c.today
        let rows = try c.connection.query(
            """
            SELECT 'physician' AS kind, 'primary' AS role, p.id AS person, p.name, p.id_number, p.certificate_no::text AS certificate,
                   p.level, r.category, r.status, r.effective_on AS since, NULL::date AS until, r.leave_since, false AS regional
            FROM registration r JOIN physician_v p ON p.id = r.physician
            WHERE r.institution = \(inst.id) AND r.status IN ('active', 'on-leave')
            UNION ALL
            SELECT 'physician', 'filed', p.id, p.name, p.id_number, p.certificate_no::text, p.level, f.category, f.status,
                   f.valid_from, f.valid_to, NULL, false
            FROM filing f JOIN physician_v p ON p.id = f.physician
            WHERE f.institution = ANY(\([inst.id])) AND f.status = 'active' AND f.valid_from <= \(day)
            UNION ALL
            SELECT 'physician', 'studio', p.id, p.name, p.id_number, p.certificate_no::text, p.level, p.category, s.status,
                   s.opened_on, NULL, NULL, false
            FROM studio s JOIN physician_v p ON p.id = s.physician
            WHERE s.host = \(inst.id) AND s.status = 'open'
            UNION ALL
            SELECT 'nurse', 'primary', n.id, n.name, n.id_number, n.qualification_no, NULL, NULL, nr.status,
                   nr.decided_on, nr.expires_on, NULL, nr.regional
            FROM nurse_registration nr JOIN nurse_v n ON n.id = nr.nurse
            WHERE nr.institution = \(inst.id) AND nr.status = 'active'
            UNION ALL
            SELECT 'nurse', 'filed', n.id, n.name, n.id_number, n.qualification_no, NULL, NULL, nf.status,
                   nf.valid_from, nf.valid_to, NULL, true
            FROM nurse_filing nf JOIN nurse_v n ON n.id = nf.nurse
            WHERE nf.institution = \(inst.id) AND nf.status = 'active' AND nf.valid_from <= \(day)
            ORDER BY 1, 2, 4, 3
            """)
        let people = try rows.map { try $0.decode("person", as: UUID.self) }
        var credit: [UUID: [CreditFacts]] = [:]
        for row in try c.connection.query(
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
        var counts: [String: Int] = [:]
        let table = ResultTable(
            columns: [
                "kind", "role", "name", "id_number", "certificate_or_qualification", "level", "category", "status",
                "since", "until", "standing", "blacklisted"
            ],
            rows: try rows.map { row in
                let kind = try row.decode("kind", as: String.self), role = try row.decode("role", as: String.self)
                counts["\(kind)s_\(role)", default: 0] += 1
                let status = try row.decode("status", as: String.self)
                let since = try row.decode("since", as: CalendarDate?.self)
                let idNumber = try row.decode("id_number", as: String.self)
                let standing: String
                switch (kind, role) {
                case ("physician", "filed"):
                    standing =
                        FilingRules.isStable(
                            active: true, from: since ?? day, ownership: inst.facts.ownership, asOf: day)
                        ? "stable (稳定执业, R-26)" : "part-time"
                case ("physician", "primary") where status == "on-leave":
                    standing = "on leave since \(try row.decode("leave_since", as: CalendarDate.self))"
                case ("nurse", _) where try row.decode("regional", as: Bool.self):
                    standing = role == "primary" ? "primary (regional)" : "filed (regional)"
                default:
                    standing = role
                }
                let person = try row.decode("person", as: UUID.self)
                return [
                    .text(kind), .text(role), .text(try row.decode("name", as: String.self)),
                    .text(fullIDs ? idNumber : ResidentID.mask(idNumber)),
                    Cell(try row.decode("certificate", as: String?.self)),
                    Cell(try row.decode("level", as: String?.self)), Cell(try row.decode("category", as: String?.self)),
                    .text(status),
                    Cell(since?.description), Cell(try row.decode("until", as: CalendarDate?.self)?.description),
                    .text(standing),
                    .bool(CreditRules.isBlacklisted(credit[person] ?? [], on: day))
                ]
            })
        return CommandOutput(
            report: Report(
                title: "Roster of \(inst.facts.name)",
                summary: [
                    ("institution", .text(inst.id.text)), ("uscc", .text(inst.uscc)), ("name", .text(inst.facts.name)),
                    ("county", .text(inst.facts.county.value)), ("ownership", .text(inst.facts.ownership.rawValue)),
                    ("as_of", .text(day.description))
                ]
                    + counts.keys.sorted().map { ($0, .int(counts[$0]!)) },
                sections: [ReportSection("roster", "Who practises here", table)]))
    }
}

/// `lookup physician (--name NAME [--region CODE] | --certificate NO)`: the public view of
/// registered physicians: status, category, scopes, where they practise, public credit
/// records (R-61). Never the ID number or the birth date (R-72).
public struct LookupPhysician: Command {
    public static let name = "lookup.physician"
    /// More namesakes than this are cut off; narrow with --region.
    public static let limit = 50
    let name: String?, region: RegionCode?, certificate: String?

    public init(_ a: Arguments) throws {
        name = try a.optionalString("name").flatMap { $0.isEmpty ? nil : $0 }
        region = try a.optionalRegion("region")
        certificate = try a.optionalString("certificate").flatMap { $0.isEmpty ? nil : $0 }
        guard (name == nil) != (certificate == nil) else {
            throw Arguments.usage(
                "input.missing", "name", "give --name (with --region to narrow) or --certificate, one of them")
        }
        if let certificate,
            certificate.count != 15 || !certificate.allSatisfy(\.isASCII) || !certificate.allSatisfy(\.isNumber)
        {
            throw Arguments.usage(
                "input.certificate", "certificate",
                "\(Quoted.value(certificate)) is not a practice certificate number (15 digits, R-14)")
        }
    }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        if let region { _ = try c.store.requireRegion(region, field: "region") }
        try ReportScope.planEachQuery(c)
        // Public data of physicians in every region (R-61), through the database's public functions.
        let range = region.map(RegionRange.init)
        let found = try c.connection.query(
            """
            SELECT * FROM regctl_public_physicians(\(name)::text, \(range?.low)::bpchar, \(range?.high)::bpchar, \(certificate)::text, \(LookupPhysician.limit + 1)::integer)
            """)
        var ids: [UUID] = []
        var certificates: [UUID: (String, String)] = [:]
        let physicians = try found.prefix(LookupPhysician.limit).map { row -> [Cell] in
            let cert = try row.decode("certificate", as: String.self), name = try row.decode("name", as: String.self)
            let id = try row.decode("id", as: UUID.self)
            ids.append(id)
            certificates[id] = (cert, name)
            return [
                .text(cert), .text(name), .text(try row.decode("sex", as: String.self)),
                .text(try row.decode("level", as: String.self)),
                .text(try row.decode("category", as: String.self)), .text(try row.decode("status", as: String.self))
            ]
        }
        let practice = try c.connection.query(
            """
            SELECT * FROM regctl_public_practice(\(ids)::uuid[])
            """
        ).map { row -> [Cell] in
            let who = certificates[try row.decode("physician", as: UUID.self)]!
            return [
                .text(who.0), .text(who.1), .text(try row.decode("role", as: String.self)),
                .text(try row.decode("institution", as: String.self)),
                .text(try row.decode("region", as: String.self)),
                Cell(try row.decode("practice_region", as: String?.self)),
                Cell(try row.decode("scopes", as: String?.self)), .text(try row.decode("status", as: String.self)),
                Cell(try row.decode("since", as: CalendarDate?.self)?.description),
                Cell(try row.decode("until", as: CalendarDate?.self)?.description)
            ]
        }
        let publicKinds = CreditKind.allCases.filter(\.isPublic).map(\.rawValue)
        let credit = try c.connection.query(
            """
            SELECT subject, kind, decided_on, document, until, lifted_on FROM credit_record
            WHERE subject = ANY(\(ids)::uuid[]) AND kind = ANY(\(publicKinds)) ORDER BY subject, decided_on
            """
        ).map { row -> [Cell] in
            let who = certificates[try row.decode("subject", as: UUID.self)]!
            let facts = CreditFacts(
                kind: try row.decode("kind", as: CreditKind.self),
                decidedOn: try row.decode("decided_on", as: CalendarDate.self),
                until: try row.decode("until", as: CalendarDate?.self),
                liftedOn: try row.decode("lifted_on", as: CalendarDate?.self))
            return [
                .text(who.0), .text(who.1), .text(facts.kind.rawValue), .text(facts.decidedOn.description),
                .text(try row.decode("document", as: String.self)),
                Cell(facts.until?.description), Cell(facts.liftedOn?.description),
                .bool(CreditRules.isInForce(facts, on: c.today))
            ]
        }
        if physicians.isEmpty {
            throw RegctlError(
                "physician.not-found",
                certificate != nil
                    ? "no registered physician has practice certificate number \(certificate!); check the number"
                    : "no registered physician is called \(name!)\(region.map { " in \($0)" } ?? ""); check the name (exact, in Chinese characters) or widen --region"
            )
        }
        return CommandOutput(
            report: Report(
                title: "Public lookup (医师执业信息查询)",
                summary: [
                    ("query", .text(certificate ?? name!)), ("region", Cell(region?.value)),
                    ("found", .int(physicians.count))
                ]
                    + (found.count > LookupPhysician.limit
                        ? [("note", .text("more than \(LookupPhysician.limit) namesakes; narrow with --region"))] : []),
                sections: [
                    ReportSection(
                        "physicians", "Registered physicians",
                        ResultTable(
                            columns: ["certificate_no", "name", "sex", "level", "category", "status"], rows: physicians)
                    ),
                    ReportSection(
                        "practice", "Where they practise",
                        ResultTable(
                            columns: [
                                "certificate_no", "name", "role", "institution", "county", "practice_region", "scopes",
                                "status", "since", "until"
                            ], rows: practice)),
                    ReportSection(
                        "credit", "Public credit records (penalties and blacklist, R-61)",
                        ResultTable(
                            columns: [
                                "certificate_no", "name", "kind", "decided_on", "document", "until", "lifted_on",
                                "in_force"
                            ], rows: credit))
                ]))
    }
}
