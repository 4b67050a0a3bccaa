import Dates
import Foundation
import Postgres
import Registration

/// `report multisite`: physicians practising at more than one institution (多点执业) and
/// their filings by host ownership, the flow public → social the reform is after.
public struct MultisiteReport: Command {
    public static let name = "report.multisite"
    let args: ReportArguments

    public init(_ a: Arguments) throws { args = try ReportArguments(a) }

    /// The figures, one row per region, per category and the total (GROUPING tells which).
    static func figures(_ scope: ReportScope, from: CalendarDate, to: CalendarDate) -> SQL {
        let g = scope.group(county: "f.host_county", province: "f.province")
        // In force at some time in [from, to]: the contract overlaps it and it was not ended before it began.
        // The host's county and ownership, the category and the primary's ownership are carried on the filing (0004).
        let inForce: SQL = """
            SELECT \(g) AS g, f.category, f.physician, f.host_ownership AS host, f.home_ownership AS home
            FROM filing f
            WHERE f.valid_from <= \(to) AND f.valid_to >= \(from) AND (f.ended_on IS NULL OR f.ended_on >= \(from))
              AND \(scope.filter(county: "f.host_county", province: "f.province"))
            """
        return """
            SELECT g, category, GROUPING(g) AS by_category, GROUPING(category) AS by_region,
                   count(DISTINCT physician) AS physicians, count(*) AS filings,
                   count(*) FILTER (WHERE host = 'public') AS at_public, count(*) FILTER (WHERE host = 'social') AS at_social,
                   count(*) FILTER (WHERE home = 'public' AND host = 'social') AS public_to_social,
                   count(*) FILTER (WHERE home = 'public' AND host = 'public') AS public_to_public,
                   count(*) FILTER (WHERE home = 'social' AND host = 'social') AS social_to_social,
                   count(*) FILTER (WHERE home = 'social' AND host = 'public') AS social_to_public
            FROM (\(inForce)) x GROUP BY GROUPING SETS ((g), (category), ())
            """
    }

    static let figureColumns: SQL = """
        g, category, by_category, by_region, physicians, filings, at_public, at_social,
        public_to_social, public_to_public, social_to_social, social_to_public
        """

    /// The daily run's snapshot of the national figures for `day` (kept 30 days); returns its rows.
    static func snapshot(on day: CalendarDate, _ c: CommandContext) throws -> Int {
        try c.connection.execute(
            "DELETE FROM multisite_snapshot WHERE as_of = \(day) OR as_of < \(day.adding(days: -30))")
        try c.connection.execute("SET LOCAL work_mem = '256MB'")
        return try c.connection.execute(
            """
            INSERT INTO multisite_snapshot (as_of, \(figureColumns))
            SELECT \(day), \(figureColumns) FROM (\(figures(ReportScope(nationalFor: "全国"), from: day, to: day))) x
            """)
    }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        let scope = try ReportScope(args.region, c)
        let to = args.to ?? c.today
        let from = args.from ?? to
        // The whole country on one day: the daily run's snapshot when there is one, unless --live.
        var computedAt: String?
        if scope.region == nil, from == to, !args.live {
            computedAt = try c.connection.query(
                """
                SELECT to_char(max(computed_at) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"') FROM multisite_snapshot WHERE as_of = \(to)
                """)[0].decode(0, as: String?.self)
        }
        let source: SQL =
            computedAt == nil
            ? "(\(MultisiteReport.figures(scope, from: from, to: to))) x"
            : "multisite_snapshot x WHERE x.as_of = \(to)"
        let rows = try c.connection.query("SELECT \(MultisiteReport.figureColumns) FROM \(source) ORDER BY 3, 4, 1, 2")
        struct Line {
            let key: String
            let physicians, filings, atPublic, atSocial, pubSoc, pubPub, socSoc, socPub: Int
        }
        var byRegion: [Line] = [], byCategory: [Line] = []
        var total = Line(
            key: "total", physicians: 0, filings: 0, atPublic: 0, atSocial: 0, pubSoc: 0, pubPub: 0, socSoc: 0,
            socPub: 0)
        for row in rows {
            let line = Line(
                key: try row.decode("g", as: String?.self) ?? row.decode("category", as: String?.self) ?? "total",
                physicians: try row.count("physicians"), filings: try row.count("filings"),
                atPublic: try row.count("at_public"), atSocial: try row.count("at_social"),
                pubSoc: try row.count("public_to_social"), pubPub: try row.count("public_to_public"),
                socSoc: try row.count("social_to_social"), socPub: try row.count("social_to_public"))
            let regionRow = try row.decode("by_region", as: Int.self) == 1,
                categoryRow = try row.decode("by_category", as: Int.self) == 1
            if regionRow && categoryRow {
                total = line
            } else if categoryRow {
                byCategory.append(line)
            } else {
                byRegion.append(line)
            }
        }
        let names = try RegionNames.of(byRegion.map(\.key), c.connection)
        func cells(_ l: Line) -> [Cell] {
            [
                .int(l.physicians), .int(l.filings), .int(l.atPublic), .int(l.atSocial),
                percentCell(l.atSocial, l.filings),
                .int(l.pubSoc), .int(l.pubPub), .int(l.socSoc), .int(l.socPub)
            ]
        }
        let figures = [
            "physicians", "filings", "at_public", "at_social", "social_share_pct",
            "public_to_social", "public_to_public", "social_to_social", "social_to_public"
        ]
        let regionTable = ResultTable(
            columns: ["region", "name"] + figures,
            rows: byRegion.map { [.text($0.key), Cell(names[$0.key])] + cells($0) } + [
                [.text("total"), .text(scope.regionName)] + cells(total)
            ])
        let categoryTable = ResultTable(
            columns: ["category"] + figures, rows: byCategory.map { [.text($0.key)] + cells($0) })
        let chart = BarChart(
            title: "多点执业备案：主要执业机构 → 备案机构（\(from) – \(to)）",
            labels: byRegion.map { names[$0.key] ?? $0.key },
            series: [
                ("公立→社会办", byRegion.map { Double($0.pubSoc) }), ("公立→公立", byRegion.map { Double($0.pubPub) }),
                ("社会办→社会办", byRegion.map { Double($0.socSoc) }), ("社会办→公立", byRegion.map { Double($0.socPub) })
            ],
            stacked: true)
        return CommandOutput(
            report: Report(
                title: "Multi-site practice (多点执业)",
                summary: scope.summary + [
                    ("from", .text(from.description)), ("to", .text(to.description)),
                    ("computed", .text(computedAt.map { "\($0) (daily run; --live to recount)" } ?? "live")),
                    ("physicians_filing", .int(total.physicians)), ("filings", .int(total.filings)),
                    ("public_to_social", .int(total.pubSoc))
                ],
                sections: [
                    ReportSection("by_region", "Filings in force by host \(scope.breakdown)", regionTable),
                    ReportSection("by_category", "By the physician's category", categoryTable)
                ],
                chart: chart))
    }
}

/// `report social-beds`: approved beds of social institutions (社会办) against the 25% target.
public struct SocialBedsReport: Command {
    public static let name = "report.social-beds"
    /// Zhejiang's goal for 2020: social institutions hold a quarter of the approved beds.
    public static let targetPercent = 25.0
    let args: ReportArguments

    public init(_ a: Arguments) throws { args = try ReportArguments(a) }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        let scope = try ReportScope(args.region, c)
        let g = scope.group(county: "region", province: "province")
        let rows = try c.connection.query(
            """
            SELECT \(g) AS g, count(*) AS institutions,
                   count(*) FILTER (WHERE ownership = 'social') AS social_institutions,
                   sum(beds) AS beds, sum(beds) FILTER (WHERE ownership = 'social') AS social_beds
            FROM institution
            WHERE status <> 'closed' AND \(scope.filter(county: "region", province: "province"))
            GROUP BY 1 ORDER BY 1
            """)
        var lines: [(key: String?, institutions: Int, social: Int, beds: Int, socialBeds: Int)] = []
        for row in rows {
            lines.append(
                (
                    try row.decode("g", as: String.self),
                    try row.count("institutions"), try row.count("social_institutions"), try row.count("beds"),
                    try row.count("social_beds")
                ))
        }
        // Each institution lies in one region: the total is the sum (a plain GROUP BY can run in parallel).
        lines.append(
            (
                nil, lines.reduce(0) { $0 + $1.institutions }, lines.reduce(0) { $0 + $1.social },
                lines.reduce(0) { $0 + $1.beds }, lines.reduce(0) { $0 + $1.socialBeds }
            ))
        let names = try RegionNames.of(lines.compactMap(\.key), c.connection)
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
            title: "社会办医疗机构床位占比（目标 25%）", labels: regional.map { names[$0.key!] ?? $0.key! },
            series: [("社会办床位占比", regional.map { percent($0.socialBeds, $0.beds) })],
            target: (SocialBedsReport.targetPercent, "目标 25%"), unit: "%")
        return CommandOutput(
            report: Report(
                title: "Social share of approved beds (社会办医床位占比)",
                summary: scope.summary + [
                    ("as_of", .text(c.today.description)), ("beds", .int(total?.beds ?? 0)),
                    ("social_beds", .int(total?.socialBeds ?? 0)),
                    ("social_share_pct", percentCell(total?.socialBeds ?? 0, total?.beds ?? 0)),
                    ("target_pct", .int(Int(SocialBedsReport.targetPercent)))
                ],
                sections: [
                    ReportSection("by_region", "Approved beds of institutions not closed, by \(scope.breakdown)", table)
                ],
                chart: chart))
    }
}

/// `report studios`: open studios (R-40 … R-44) by county, and the share of grassroots institutions hosting one.
public struct StudiosReport: Command {
    public static let name = "report.studios"
    let args: ReportArguments

    public init(_ a: Arguments) throws { args = try ReportArguments(a) }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        let scope = try ReportScope(args.region, c)
        let day = args.to ?? c.today
        let grassroots = InstitutionCategory.allCases.filter(\.isGrassroots).map(\.rawValue)
        let gs = scope.group(county: "h.region", province: "s.province")
        let studios = try c.connection.query(
            """
            SELECT \(gs) AS g, count(*) AS studios,
                   count(DISTINCT s.host) FILTER (WHERE h.category = ANY(\(grassroots))) AS grassroots_hosts,
                   count(*) FILTER (WHERE h.category = 'elderly-care-medical') AS at_elderly_care
            FROM studio s JOIN institution h ON h.id = s.host
            WHERE s.opened_on <= \(day) AND (s.closed_on IS NULL OR s.closed_on > \(day))
              AND \(scope.filter(county: "h.region", province: "s.province"))
            GROUP BY 1
            """)
        let gi = scope.group(county: "region", province: "province")
        let institutions = try c.connection.query(
            """
            SELECT \(gi) AS g, count(*) AS grassroots
            FROM institution WHERE status = 'active' AND category = ANY(\(grassroots))
              AND \(scope.filter(county: "region", province: "province"))
            GROUP BY 1
            """)
        var figures: [String: (studios: Int, hosts: Int, elderly: Int, grassroots: Int)] = [:]
        for row in studios {
            let key = try row.decode("g", as: String.self)
            figures[key] = (
                try row.count("studios"), try row.count("grassroots_hosts"), try row.count("at_elderly_care"), 0
            )
        }
        for row in institutions {
            let key = try row.decode("g", as: String.self)
            figures[key, default: (0, 0, 0, 0)].grassroots = try row.count("grassroots")
        }
        let keys = figures.keys.sorted()
        let names = try RegionNames.of(keys, c.connection)
        func cells(_ f: (studios: Int, hosts: Int, elderly: Int, grassroots: Int)) -> [Cell] {
            [.int(f.studios), .int(f.elderly), .int(f.grassroots), .int(f.hosts), percentCell(f.hosts, f.grassroots)]
        }
        // A studio's host and an institution lie in one region each: totals are sums.
        let total = figures.values.reduce((studios: 0, hosts: 0, elderly: 0, grassroots: 0)) {
            ($0.studios + $1.studios, $0.hosts + $1.hosts, $0.elderly + $1.elderly, $0.grassroots + $1.grassroots)
        }
        let table = ResultTable(
            columns: [
                "region", "name", "open_studios", "at_elderly_care", "grassroots_institutions", "grassroots_hosting",
                "hosting_share_pct"
            ],
            rows: keys.map { [.text($0), Cell(names[$0])] + cells(figures[$0]!) } + [
                [.text("total"), .text(scope.regionName)] + cells(total)
            ])
        let chart = BarChart(
            title: "设有医生工作室的基层医疗机构占比（\(day)）", labels: keys.map { names[$0] ?? $0 },
            series: [("占比", keys.map { percent(figures[$0]!.hosts, figures[$0]!.grassroots) })], unit: "%")
        return CommandOutput(
            report: Report(
                title: "Studios (医生工作室)",
                summary: scope.summary + [
                    ("as_of", .text(day.description)), ("open_studios", .int(total.studios)),
                    ("grassroots_hosting_pct", percentCell(total.hosts, total.grassroots))
                ],
                sections: [ReportSection("by_region", "Open studios by host \(scope.breakdown)", table)],
                chart: chart))
    }
}
