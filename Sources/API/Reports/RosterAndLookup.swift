import Dates
import Foundation
import Registration

/// `report roster [--institution INST] [--on DATE]`: everyone who practises at an institution (primary,
/// filed, studio; physicians and nurses) on a day, today or later, with their standing (R-26), and the
/// contracts that start within 30 days after it, for its HR department. HR's own institution by default.
public struct RosterReport: Command {
    public static let name = "report.roster"
    /// How far ahead the roster shows contracts about to start.
    public static let startingWithin = 30
    let institution: String?
    let on: CalendarDate?

    public init(_ a: Arguments) throws {
        institution = try a.optionalString("institution")
        on = try a.optionalDate("on")
    }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        guard let ref = institution ?? (c.actor.role == .hr ? c.actor.institution?.text : nil) else {
            throw Arguments.usage(
                "input.missing", "institution",
                "name the institution (its id or credit code); HR's own is the default",
                chinese: "请指定机构（编号或统一社会信用代码）；医疗机构人事默认为本机构")
        }
        let inst = try c.store.institution(ref)
        try Access.requireRosterReader(c.actor, institution: inst.facts.id, region: inst.facts.county)
        // R-72: registrars of the institution's region are the people's registrars; HR and analysts read the masked form.
        let fullIDs = Access.seesFullIDNumber(c.actor, subjectRegions: [inst.facts.county])
        let day = on ?? c.today
        guard day >= c.today else {
            throw Arguments.usage(
                "input.date", "on",
                "\(day) is past: the roster shows today or a day ahead (what happened before is in regctl events)",
                chinese: "\(day) 已经过去：名册只能查看今天或以后的某一天（以往的变动见 regctl events）")
        }
        let all = try c.store.roster(of: inst.id, on: day, startingBy: day.adding(days: Self.startingWithin))
        let rows = all.filter { $0.role != "starting" }
        let starting = all.filter { $0.role == "starting" }
        let credit = try c.store.readableBlacklistRecords(of: rows.map(\.person))
        var counts: [String: Int] = [:]
        var table = ResultTable(
            columns: [
                "kind", "role", "name", "id_number", "certificate_or_qualification", "level", "category", "status",
                "since", "until", "standing", "leave_since", "blacklisted"
            ],
            rows: rows.map { line in
                let kind = line.kind, role = line.role, status = line.status, since = line.since
                counts["\(kind)s_\(role)", default: 0] += 1
                let standing: String
                switch (kind, role) {
                case ("physician", "filed"):
                    standing =
                        FilingRules.isStable(
                            active: true, from: since ?? day, ownership: inst.facts.ownership, asOf: day)
                        ? "stable" : "part-time"
                case ("physician", "primary") where status == "on-leave":
                    standing = "on-leave"
                case ("nurse", _) where line.regional:
                    standing = role == "primary" ? "primary-regional" : "filed-regional"
                default:
                    standing = role
                }
                return [
                    .text(kind), .text(role), .text(line.name),
                    .text(fullIDs ? line.idNumber : ResidentID.mask(line.idNumber)),
                    Cell(line.certificateOrQualification), Cell(line.level), Cell(line.category), .text(status),
                    Cell(since?.description), Cell(line.until?.description), .text(standing),
                    Cell(line.leaveSince?.description),
                    .bool(CreditRules.isBlacklisted(credit[line.person] ?? [], on: day))
                ]
            })
        table.subject = "person"
        return CommandOutput(
            report: Report(
                title: Phrase(en: "Roster of \(inst.facts.name)", zh: "\(inst.facts.name) 执业人员名册"),
                summary: [
                    ("institution", .text(inst.id.text)), ("uscc", .text(inst.uscc)), ("name", .text(inst.facts.name)),
                    ("county", .text(inst.facts.county.value)),
                    (
                        "county_name",
                        Cell(try c.store.regionFullNames([inst.facts.county.value])[inst.facts.county.value])
                    ),
                    ("ownership", .text(inst.facts.ownership.rawValue)),
                    ("as_of", .text(day.description))
                ]
                    + counts.keys.sorted().map { ($0, .int(counts[$0]!)) } + [("starting", .int(starting.count))],
                sections: [
                    ReportSection("roster", Phrase(en: "Who practises here", zh: "在本机构执业的人员"), table),
                    ReportSection(
                        "starting",
                        Phrase(
                            en: "Contracts starting within \(Self.startingWithin) days",
                            zh: "\(Self.startingWithin) 天内开始的合同"),
                        ResultTable(
                            columns: ["kind", "name", "id_number", "category", "from", "to"],
                            rows: starting.map {
                                [
                                    .text($0.kind), .text($0.name),
                                    .text(fullIDs ? $0.idNumber : ResidentID.mask($0.idNumber)), Cell($0.category),
                                    Cell($0.since?.description), Cell($0.until?.description)
                                ]
                            }, subject: "person"))
                ]))
    }
}

/// `lookup physician (--name NAME [--region CODE] | --certificate NO)`: the public view of
/// registered physicians: status, category, scopes, where they practise, public credit
/// records (R-61). Never the ID number or the birth date (R-72).
public struct LookupPhysician: Command {
    public static let name = "lookup.physician"
    public static var isPublic: Bool { true }
    /// More namesakes than this are cut off; narrow with --region.
    public static let limit = 50
    /// The note of an answer cut off at `limit` (Chinese in `Vocabulary`, under the column `note`).
    public static let moreNamesakes = "more than \(limit) namesakes; narrow with --region"
    public static let moreFound = "more than \(limit) found; narrow with --region"
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
        // Public data of physicians in every region (R-61), through the database's public functions. Not a
        // report's settings: a look-up's statements are each one index's, and planning them anew on every call
        // (force_custom_plan) cost the public door a third of its throughput.
        let found = try c.store.publicPhysicians(
            name: name, region: region, certificate: certificate, limit: LookupPhysician.limit + 1)
        let shown = found.prefix(LookupPhysician.limit)
        let who = Dictionary(shown.map { ($0.id, (certificate: $0.certificate, name: $0.name)) }) { a, _ in a }
        let physicians = shown.map { p -> [Cell] in
            [.text(p.certificate), .text(p.name), .text(p.sex), .text(p.level), .text(p.category), .text(p.status)]
        }
        let ids = shown.map(\.id)
        let sites = try c.store.publicPractice(of: ids)
        let places = try c.store.regionFullNames(sites.map(\.county) + sites.compactMap(\.practiceRegion))
        let practice = sites.map { p -> [Cell] in
            let w = who[p.physician]
            return [
                Cell(w?.certificate), Cell(w?.name), .text(p.role), .text(p.institution), .text(p.county),
                Cell(places[p.county]), Cell(p.practiceRegion), Cell(p.practiceRegion.flatMap { places[$0] }),
                Cell(p.scopes), .text(p.status), Cell(p.since?.description), Cell(p.until?.description)
            ]
        }
        let credit = try c.store.publicCreditRecords(of: ids).map { r -> [Cell] in
            let w = who[r.subject]
            return [
                Cell(w?.certificate), Cell(w?.name), .text(r.facts.kind.rawValue), .text(r.facts.decidedOn.description),
                .text(r.document), Cell(r.facts.until?.description), Cell(r.facts.liftedOn?.description),
                .bool(CreditRules.isInForce(r.facts, on: c.today))
            ]
        }
        if physicians.isEmpty {
            throw RegctlError(
                "physician.not-found",
                certificate != nil
                    ? "no registered physician has practice certificate number \(certificate ?? ""); check the number"
                    : "no registered physician is called \(name ?? "")\(region.map { " in \($0)" } ?? ""); check the name (exact, in Chinese characters) or widen --region"
            )
        }
        return CommandOutput(
            report: Report(
                title: Phrase(en: "Public lookup", zh: "医师执业信息查询"),
                summary: [
                    ("query", .text(certificate ?? name ?? "")), ("region", Cell(region?.value)),
                    ("found", .int(physicians.count))
                ]
                    + (found.count > LookupPhysician.limit
                        ? [("note", .text(LookupPhysician.moreNamesakes))] : []),
                sections: [
                    ReportSection(
                        "physicians", Phrase(en: "Registered physicians", zh: "注册医师"),
                        ResultTable(
                            columns: ["certificate_no", "name", "sex", "level", "category", "status"], rows: physicians,
                            subject: "person")
                    ),
                    ReportSection(
                        "practice", Phrase(en: "Where they practise", zh: "执业机构"),
                        ResultTable(
                            columns: [
                                "certificate_no", "name", "role", "institution", "county", "county_name",
                                "practice_region", "practice_region_name", "scopes", "status", "since", "until"
                            ], rows: practice, subject: "person")),
                    ReportSection(
                        "credit",
                        Phrase(
                            en: "Public credit records (penalties and blacklist, R-61)", zh: "公开的信用记录（行政处罚和黑名单，R-61）"),
                        ResultTable(
                            columns: [
                                "certificate_no", "name", "kind", "decided_on", "document", "until", "lifted_on",
                                "in_force"
                            ], rows: credit, subject: "person"))
                ]))
    }
}
