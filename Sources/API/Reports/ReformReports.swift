import Dates
import Foundation
import Registration

/// `report multisite`: physicians practising at more than one institution (多点执业) and
/// their filings by host ownership, the flow public → social the reform is after.
public struct MultisiteReport: ReportCommand {
    public static let name = "report.multisite"
    let args: ReportArguments

    public init(_ a: Arguments) throws { args = try ReportArguments(a, reads: Self.options) }

    func report(_ c: CommandContext) throws -> CommandOutput {
        let scope = try ReportScope(args.region, c)
        let to = args.to ?? c.today
        let from = args.from ?? to
        // The whole country on one day: the daily run's snapshot when there is one, unless --live.
        let (lines, computedAt) = try c.store.multisite(region: scope.region, from: from, to: to, snapshot: !args.live)
        var byRegion: [(key: String, line: MultisiteLine)] = [], byCategory: [(key: String, line: MultisiteLine)] = []
        var total = MultisiteLine.zero
        for line in lines {
            switch line.group {
            case .total: total = line
            case .category(let key): byCategory.append((key, line))
            case .region(let key): byRegion.append((key, line))
            }
        }
        let names = try c.store.regionNames(byRegion.map(\.key))
        func cells(_ l: MultisiteLine) -> [Cell] {
            [
                .int(l.physicians), .int(l.filings), .int(l.atPublic), .int(l.atSocial),
                percentCell(l.atSocial, l.filings),
                .int(l.publicToSocial), .int(l.publicToPublic), .int(l.socialToSocial), .int(l.socialToPublic)
            ]
        }
        let figures = [
            "physicians", "filings", "at_public", "at_social", "social_share_pct",
            "public_to_social", "public_to_public", "social_to_social", "social_to_public"
        ]
        let regionTable = ResultTable(
            columns: ["region", "name"] + figures,
            rows: byRegion.map { [.text($0.key), Cell(names[$0.key])] + cells($0.line) } + [
                [.text("total"), .text(scope.regionName)] + cells(total)
            ])
        let categoryTable = ResultTable(
            columns: ["category"] + figures, rows: byCategory.map { [.text($0.key)] + cells($0.line) })
        let chart = BarChart(
            title: Phrase(
                en: "Multi-site filings: primary institution → host (\(from) – \(to))",
                zh: "多点执业备案：主要执业机构 → 备案机构（\(from) – \(to)）"),
            labels: byRegion.map { names[$0.key] ?? $0.key },
            series: [
                (Phrase(en: "public → social", zh: "公立→社会办"), byRegion.map { Double($0.line.publicToSocial) }),
                (Phrase(en: "public → public", zh: "公立→公立"), byRegion.map { Double($0.line.publicToPublic) }),
                (Phrase(en: "social → social", zh: "社会办→社会办"), byRegion.map { Double($0.line.socialToSocial) }),
                (Phrase(en: "social → public", zh: "社会办→公立"), byRegion.map { Double($0.line.socialToPublic) })
            ],
            stacked: true)
        return CommandOutput(
            report: Report(
                title: Phrase(en: "Multi-site practice", zh: "多点执业"),
                summary: scope.summary + [
                    ("from", .text(from.description)), ("to", .text(to.description)),
                    ("computed", .text(computedAt.map { "\($0)" } ?? "live")),
                    ("computed_by", .text(computedAt == nil ? "live" : "daily-run")),
                    ("physicians_filing", .int(total.physicians)), ("filings", .int(total.filings)),
                    ("public_to_social", .int(total.publicToSocial))
                ],
                sections: [
                    ReportSection(
                        "by_region",
                        Phrase(
                            en: "Filings in force by host \(scope.breakdown)",
                            zh: "有效备案，按备案机构所在\(scope.breakdownPhrase.zh)"), regionTable),
                    ReportSection(
                        "by_category", Phrase(en: "By the physician's category", zh: "按医师执业类别"), categoryTable)
                ],
                chart: chart))
    }
}

/// `report social-beds`: approved beds of social institutions (社会办) against the 25% target.
public struct SocialBedsReport: ReportCommand {
    public static let name = "report.social-beds"
    /// Zhejiang's goal for 2020: social institutions hold a quarter of the approved beds.
    public static let targetPercent = 25.0
    let args: ReportArguments

    public init(_ a: Arguments) throws { args = try ReportArguments(a, reads: Self.options) }

    func report(_ c: CommandContext) throws -> CommandOutput {
        let scope = try ReportScope(args.region, c)
        var lines: [(key: String?, institutions: Int, social: Int, beds: Int, socialBeds: Int)] = try c.store.beds(
            region: scope.region
        ).map { ($0.region, $0.institutions, $0.socialInstitutions, $0.beds, $0.socialBeds) }
        // Each institution lies in one region: the total is the sum (a plain GROUP BY can run in parallel).
        lines.append(
            (
                nil, lines.reduce(0) { $0 + $1.institutions }, lines.reduce(0) { $0 + $1.social },
                lines.reduce(0) { $0 + $1.beds }, lines.reduce(0) { $0 + $1.socialBeds }
            ))
        let names = try c.store.regionNames(lines.compactMap(\.key))
        let table = ResultTable(
            columns: [
                "region", "name", "institutions", "social_institutions", "beds", "social_beds", "social_share_pct",
                "meets_25pct"
            ],
            rows: lines.map { l in
                [
                    .text(l.key ?? "total"), Cell(l.key.map { names[$0] ?? "" } ?? scope.regionName),
                    .int(l.institutions), .int(l.social),
                    .int(l.beds), .int(l.socialBeds), percentCell(l.socialBeds, l.beds),
                    .bool(percent(l.socialBeds, l.beds) >= SocialBedsReport.targetPercent)
                ]
            })
        let regional = lines.filter { $0.key != nil }
        let total = lines.first { $0.key == nil }
        let chart = BarChart(
            title: Phrase(en: "Social share of approved beds (target 25%)", zh: "社会办医疗机构床位占比（目标 25%）"),
            labels: regional.map { names[$0.key!] ?? $0.key! },
            series: [
                (Phrase(en: "social share", zh: "社会办床位占比"), regional.map { percent($0.socialBeds, $0.beds) })
            ],
            target: (SocialBedsReport.targetPercent, Phrase(en: "target 25%", zh: "目标 25%")), unit: "%")
        return CommandOutput(
            report: Report(
                title: Phrase(en: "Social share of approved beds", zh: "社会办医床位占比"),
                summary: scope.summary + [
                    ("as_of", .text(c.today.description)), ("beds", .int(total?.beds ?? 0)),
                    ("social_beds", .int(total?.socialBeds ?? 0)),
                    ("social_share_pct", percentCell(total?.socialBeds ?? 0, total?.beds ?? 0)),
                    ("target_pct", .int(Int(SocialBedsReport.targetPercent)))
                ],
                sections: [
                    ReportSection(
                        "by_region",
                        Phrase(
                            en: "Approved beds of institutions not closed, by \(scope.breakdown)",
                            zh: "未注销医疗机构的核定床位，按\(scope.breakdownPhrase.zh)"), table)
                ],
                chart: chart))
    }
}

/// `report studios`: open studios (R-40 … R-44) by county, and the share of grassroots institutions hosting one.
public struct StudiosReport: ReportCommand {
    public static let name = "report.studios"
    let args: ReportArguments

    public init(_ a: Arguments) throws { args = try ReportArguments(a, reads: Self.options) }

    func report(_ c: CommandContext) throws -> CommandOutput {
        let scope = try ReportScope(args.region, c)
        let day = args.to ?? c.today
        let figures = try c.store.studioFigures(region: scope.region, on: day)
        let keys = figures.keys.sorted()
        let names = try c.store.regionNames(keys)
        func cells(_ f: StudioFigures) -> [Cell] {
            [
                .int(f.studios), .int(f.atElderlyCare), .int(f.grassrootsInstitutions), .int(f.grassrootsHosts),
                percentCell(f.grassrootsHosts, f.grassrootsInstitutions)
            ]
        }
        // A studio's host and an institution lie in one region each: totals are sums.
        var total = StudioFigures()
        for f in figures.values {
            total.studios += f.studios
            total.grassrootsHosts += f.grassrootsHosts
            total.atElderlyCare += f.atElderlyCare
            total.grassrootsInstitutions += f.grassrootsInstitutions
        }
        let table = ResultTable(
            columns: [
                "region", "name", "open_studios", "at_elderly_care", "grassroots_institutions", "grassroots_hosting",
                "hosting_share_pct"
            ],
            rows: keys.map { [.text($0), Cell(names[$0])] + cells(figures[$0] ?? StudioFigures()) } + [
                [.text("total"), .text(scope.regionName)] + cells(total)
            ])
        let chart = BarChart(
            title: Phrase(
                en: "Grassroots institutions hosting a studio (\(day))", zh: "设有医生工作室的基层医疗机构占比（\(day)）"),
            labels: keys.map { names[$0] ?? $0 },
            series: [
                (
                    Phrase(en: "share", zh: "占比"),
                    keys.map { percent(figures[$0]?.grassrootsHosts ?? 0, figures[$0]?.grassrootsInstitutions ?? 0) }
                )
            ], unit: "%")
        return CommandOutput(
            report: Report(
                title: Phrase(en: "Studios", zh: "医生工作室"),
                summary: scope.summary + [
                    ("as_of", .text(day.description)), ("open_studios", .int(total.studios)),
                    ("grassroots_hosting_pct", percentCell(total.grassrootsHosts, total.grassrootsInstitutions))
                ],
                sections: [
                    ReportSection(
                        "by_region",
                        Phrase(
                            en: "Open studios by host \(scope.breakdown)",
                            zh: "开办中的工作室，按依托机构所在\(scope.breakdownPhrase.zh)"), table)
                ],
                chart: chart))
    }
}
