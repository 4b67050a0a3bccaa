import Dates
import Foundation
import Registration

/// `report nurse-pilot`: pilot regions in force, active nurse registrations and the
/// regional ones (R-53), and nurses practising at two or more institutions.
public struct NursePilotReport: ReportCommand {
    public static let name = "report.nurse-pilot"
    let args: ReportArguments

    public init(_ a: Arguments) throws { args = try ReportArguments(a, reads: Self.options) }

    func report(_ c: CommandContext) throws -> CommandOutput {
        let scope = try ReportScope(args.region, c)
        let day = args.to ?? c.today
        let pilots = try c.store.pilotsInForce(on: day).compactMap { p -> [Cell]? in
            // A pilot matters here when it covers the report's region or lies inside it.
            if let mine = scope.region, !mine.covers(p.region), !p.region.covers(mine) { return nil }
            return [.text(p.region.value), .text(p.name), .text(p.from.description), Cell(p.to?.description)]
        }
        let figures = try c.store.nursePilotFigures(region: scope.region, on: day)
        let keys = figures.keys.compactMap(\.code).sorted()
        let names = try c.store.regionNames(keys)
        func cells(_ f: NursePilotFigures) -> [Cell] {
            [
                .int(f.active), .int(f.regional), percentCell(f.regional, f.active), .int(f.nursesAtTwoOrMore),
                .int(f.filings)
            ]
        }
        func figuresOf(_ key: String) -> NursePilotFigures { figures[GroupKey(code: key)] ?? NursePilotFigures() }
        let total = figures[.total] ?? NursePilotFigures()
        let table = ResultTable(
            columns: [
                "region", "name", "active_registrations", "regional", "regional_pct", "nurses_at_2plus_sites",
                "nurse_filings"
            ],
            rows: keys.map { [.text($0), Cell(names[$0])] + cells(figuresOf($0)) } + [
                [.text("total"), .text(scope.regionName)] + cells(total)
            ])
        return CommandOutput(
            report: Report(
                title: Phrase(en: "Nurse regional registration pilot", zh: "护士区域注册试点"),
                summary: scope.summary + [
                    ("as_of", .text(day.description)), ("pilots_in_force", .int(pilots.count)),
                    ("regional_registrations", .int(total.regional)),
                    ("nurses_at_2plus_sites", .int(total.nursesAtTwoOrMore))
                ],
                sections: [
                    ReportSection(
                        "pilots", Phrase(en: "Pilot regions in force on \(day)", zh: "\(day) 实施中的试点地区"),
                        ResultTable(columns: ["region", "name", "from", "to"], rows: pilots)),
                    ReportSection(
                        "by_region",
                        Phrase(
                            en:
                                "Active registrations (primary institution) and filings in force, by \(scope.breakdown)",
                            zh: "有效注册（主要执业机构）和有效备案，按\(scope.breakdownPhrase.zh)"), table)
                ],
                chart: BarChart(
                    title: Phrase(
                        en: "Regionally registered nurses and nurses at two or more institutions",
                        zh: "区域注册护士与多机构执业护士"),
                    labels: keys.map { names[$0] ?? $0 },
                    series: [
                        (Phrase(en: "regional registrations", zh: "区域注册"), keys.map { Double(figuresOf($0).regional) }),
                        (
                            Phrase(en: "at 2+ institutions", zh: "2+ 机构执业"),
                            keys.map { Double(figuresOf($0).nursesAtTwoOrMore) }
                        )
                    ])))
    }
}

/// `report expiring --within N`: what runs out in the next N days (default 60, so that a nurse whose renewal
/// closes 30 days before expiry is seen while it is still open): contracts
/// of filings, nurse registrations (R-51, with the renewal deadline) and leave clocks.
public struct ExpiringReport: ReportCommand {
    public static let name = "report.expiring"
    let args: ReportArguments

    public init(_ a: Arguments) throws { args = try ReportArguments(a, reads: Self.options) }

    func report(_ c: CommandContext) throws -> CommandOutput {
        let scope = try ReportScope(args.region, c)
        let from = args.from ?? c.today
        let until = from.adding(days: args.within ?? 60)
        let limit = args.limit
        let (contractCount, expiringContracts) = try c.store.expiringContracts(
            region: scope.region, from: from, until: until, limit: limit)
        let contracts = expiringContracts.map { f -> [Cell] in
            [
                .text(f.filing.text), .text(f.physicianName), .text(f.institutionName), .text(f.county.value),
                .text(f.contractNo), .text(f.validTo.description), .int(from.days(until: f.validTo))
            ]
        }
        let (nurseCount, expiringNurses) = try c.store.expiringNurseRegistrations(
            region: scope.region, from: from, until: until, limit: limit)
        let nurses = expiringNurses.map { r -> [Cell] in
            let deadline = NurseRules.renewalDeadline(expires: r.expiresOn)
            return [
                .text(r.registration.text), .text(r.nurseName), .text(r.institutionName), .text(r.county.value),
                .text(r.expiresOn.description), .text(deadline.description), .bool(from <= deadline)
            ]
        }
        // the leave lapses two full years after it began; the day comes from the rule's function (SQL
        // narrows to leaves begun within two days of the period, two years back).
        var leaves: [[Cell]] = []
        for l in try c.store.leaves(
            region: scope.region, begunFrom: from.adding(years: -2).adding(days: -2),
            to: until.adding(years: -2).adding(days: 2))
        {
            let ends = RegistrationRules.leaveEnds(since: l.since)
            guard ends >= from, ends <= until else { continue }
            leaves.append([
                .text(l.registration.text), .text(l.physicianName), .text(l.institutionName),
                .text(l.practiceRegion.value), .text(l.since.description), Cell(l.reason), .text(ends.description)
            ])
        }
        let leaveCount = leaves.count
        leaves = Array(leaves.prefix(limit))
        return CommandOutput(
            report: Report(
                title: Phrase(
                    en: "Expiring within \(from.days(until: until)) days", zh: "\(from.days(until: until)) 天内到期提醒"),
                summary: scope.summary + [
                    ("from", .text(from.description)), ("until", .text(until.description)),
                    ("contracts", .int(contractCount)), ("nurse_registrations", .int(nurseCount)),
                    ("leave_clocks", .int(leaveCount))
                ],
                sections: [
                    ReportSection(
                        "contracts", Phrase(en: "Filing contracts ending (R-24)", zh: "即将到期的备案合同（R-24）"),
                        ResultTable(
                            columns: [
                                "filing", "physician", "institution", "region", "contract_no", "valid_to", "days_left"
                            ], rows: contracts),
                        note: .firstOf(contracts.count, contractCount)),
                    ReportSection(
                        "nurse_registrations",
                        Phrase(
                            en: "Nurse registrations expiring (renewal applied ≥ 30 days before, R-51)",
                            zh: "即将到期的护士注册（应在届满 30 日前申请延续，R-51）"),
                        ResultTable(
                            columns: [
                                "registration", "nurse", "institution", "region", "expires_on", "renew_by",
                                "can_still_renew"
                            ], rows: nurses),
                        note: .firstOf(nurses.count, nurseCount)),
                    ReportSection(
                        "leave_clocks", Phrase(en: "Leave lapsing after two years (R-18)", zh: "离岗满二年将注销的注册（R-18）"),
                        ResultTable(
                            columns: [
                                "registration", "physician", "institution", "practice_region", "leave_since", "reason",
                                "cancelled_on"
                            ], rows: leaves),
                        note: .firstOf(leaves.count, leaveCount))
                ]))
    }
}
