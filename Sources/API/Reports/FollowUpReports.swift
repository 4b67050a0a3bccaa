import Dates
import Foundation
import Postgres
import Registration

/// `report nurse-pilot`: pilot regions in force (R-52), active nurse registrations and the
/// regional ones (R-53), and nurses practising at two or more institutions.
public struct NursePilotReport: Command {
    public static let name = "report.nurse-pilot"
    let args: ReportArguments

    public init(_ a: Arguments) throws { args = try ReportArguments(a) }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        let scope = try ReportScope(args.region, c)
        let day = args.to ?? c.today
        let pilots = try c.connection.query(
            """
            SELECT p.region::text, r.name, p.valid_from, p.valid_to FROM pilot p JOIN region r ON r.code = p.region
            WHERE p.valid_from <= \(day) AND (p.valid_to IS NULL OR p.valid_to >= \(day)) ORDER BY p.region, p.valid_from
            """
        ).compactMap { row -> [Cell]? in
            let region = try row.decode(0, as: RegionCode.self)
            // A pilot matters here when it covers the report's region or lies inside it.
            if let mine = scope.region, !mine.covers(region), !region.covers(mine) { return nil }
            return [
                .text(region.value), .text(try row.decode(1, as: String.self)),
                .text(try row.decode(2, as: CalendarDate.self).description),
                Cell(try row.decode(3, as: CalendarDate?.self)?.description)
            ]
        }
        // Counted per institution first, then placed in its county: a join per institution, not per nurse.
        let gr = scope.group(county: "i.region", province: "a.province")
        let institutionColumn: SQL = scope.needsCounty ? "nr.institution" : "NULL::uuid"
        let join: SQL =
            scope.needsCounty
            ? "JOIN institution i ON i.id = a.institution AND \(scope.provinceFilter("i.province"))" : ""
        let registrations = try c.connection.query(
            """
            SELECT \(gr) AS g, GROUPING(\(gr)) AS is_total, sum(a.active)::bigint AS active, sum(a.regional)::bigint AS regional
            FROM (SELECT nr.province, \(institutionColumn) AS institution,
                         count(*) AS active, count(*) FILTER (WHERE nr.regional) AS regional
                  FROM nurse_registration nr WHERE nr.status = 'active' AND \(scope.provinceFilter("nr.province"))
                  GROUP BY 1, 2) a \(join)
            WHERE \(scope.filterNeedsCounty ? regionFilter("i.region", scope.region) : "TRUE")
            GROUP BY GROUPING SETS ((\(gr)), ())
            """)
        let gf = scope.group(county: "h.region", province: "nf.province")
        let hostJoin: SQL = scope.needsCounty ? "JOIN institution h ON h.id = nf.institution" : ""
        let filings = try c.connection.query(
            """
            SELECT \(gf) AS g, GROUPING(\(gf)) AS is_total, count(DISTINCT nf.nurse) AS nurses, count(*) AS filings
            FROM nurse_filing nf \(hostJoin)
            WHERE nf.valid_from <= \(day) AND nf.valid_to >= \(day) AND (nf.ended_on IS NULL OR nf.ended_on >= \(day))
              AND \(scope.filter(county: "h.region", province: "nf.province"))
            GROUP BY GROUPING SETS ((\(gf)), ())
            """)
        typealias Figures = (active: Int, regional: Int, multiSite: Int, filings: Int)
        var figures: [String: Figures] = [:]
        let totalKey = "\u{0}total"
        for row in registrations {
            let key = try row.decode("is_total", as: Int.self) == 1 ? totalKey : try row.decode("g", as: String.self)
            figures[key, default: (0, 0, 0, 0)].active = try row.count("active")
            figures[key, default: (0, 0, 0, 0)].regional = try row.count("regional")
        }
        for row in filings {
            let key = try row.decode("is_total", as: Int.self) == 1 ? totalKey : try row.decode("g", as: String.self)
            figures[key, default: (0, 0, 0, 0)].multiSite = try row.count("nurses")
            figures[key, default: (0, 0, 0, 0)].filings = try row.count("filings")
        }
        let keys = figures.keys.filter { $0 != totalKey }.sorted()
        let names = try RegionNames.of(keys, c.connection)
        func cells(_ f: Figures) -> [Cell] {
            [.int(f.active), .int(f.regional), percentCell(f.regional, f.active), .int(f.multiSite), .int(f.filings)]
        }
        let total = figures[totalKey] ?? (0, 0, 0, 0)
        let table = ResultTable(
            columns: [
                "region", "name", "active_registrations", "regional", "regional_pct", "nurses_at_2plus_sites",
                "nurse_filings"
            ],
            rows: keys.map { [.text($0), Cell(names[$0])] + cells(figures[$0]!) } + [
                [.text("total"), .text(scope.regionName)] + cells(total)
            ])
        return CommandOutput(
            report: Report(
                title: "Nurse regional registration pilot (护士区域注册试点)",
                summary: scope.summary + [
                    ("as_of", .text(day.description)), ("pilots_in_force", .int(pilots.count)),
                    ("regional_registrations", .int(total.regional)), ("nurses_at_2plus_sites", .int(total.multiSite))
                ],
                sections: [
                    ReportSection(
                        "pilots", "Pilot regions in force on \(day)",
                        ResultTable(columns: ["region", "name", "from", "to"], rows: pilots)),
                    ReportSection(
                        "by_region",
                        "Active registrations (primary institution) and filings in force, by \(scope.breakdown)", table)
                ],
                chart: BarChart(
                    title: "区域注册护士与多机构执业护士", labels: keys.map { names[$0] ?? $0 },
                    series: [
                        ("区域注册", keys.map { Double(figures[$0]!.regional) }),
                        ("2+ 机构执业", keys.map { Double(figures[$0]!.multiSite) })
                    ])))
    }
}

/// `report expiring --within N`: what runs out in the next N days (default 30): contracts
/// of filings (R-24), nurse registrations (R-51, with the renewal deadline) and leave clocks (R-18).
public struct ExpiringReport: Command {
    public static let name = "report.expiring"
    let args: ReportArguments

    public init(_ a: Arguments) throws { args = try ReportArguments(a) }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        let scope = try ReportScope(args.region, c)
        let from = args.from ?? c.today
        let until = from.adding(days: args.within ?? 30)
        let limit = args.limit
        let hostFilter = scope.filter(county: "f.host_county", province: "f.province")

        let contractCount = try c.connection.query(
            """
            SELECT count(*) FROM filing f
            WHERE f.status = 'active' AND f.valid_to BETWEEN \(from) AND \(until) AND \(hostFilter)
            """)[0].decode(0, as: Int.self)
        let contracts = try c.connection.query(
            """
            SELECT f.id, p.name AS physician, h.name AS institution, h.region::text, f.contract_no, f.valid_to
            FROM (SELECT f.id, f.physician, f.institution, f.contract_no, f.valid_to FROM filing f
                  WHERE f.status = 'active' AND f.valid_to BETWEEN \(from) AND \(until) AND \(hostFilter)
                  ORDER BY f.valid_to, f.id LIMIT \(limit)) f  -- the first N, then their names: N lookups, whatever the plan
            JOIN institution h ON h.id = f.institution JOIN physician p ON p.id = f.physician
            ORDER BY f.valid_to, f.id
            """
        ).map { row -> [Cell] in
            let to = try row.decode("valid_to", as: CalendarDate.self)
            return [
                .text(try row.decode("id", as: UUID.self).text), .text(try row.decode("physician", as: String.self)),
                .text(try row.decode("institution", as: String.self)), .text(try row.decode("region", as: String.self)),
                .text(try row.decode("contract_no", as: String.self)), .text(to.description), .int(from.days(until: to))
            ]
        }

        let nurseFilter = scope.filter(county: "i.region", province: "nr.province")
        let nurseJoin: SQL = scope.filterNeedsCounty ? "JOIN institution i ON i.id = nr.institution" : ""
        let nurseCount = try c.connection.query(
            """
            SELECT count(*) FROM nurse_registration nr \(nurseJoin)
            WHERE nr.status = 'active' AND nr.expires_on BETWEEN \(from) AND \(until) AND \(nurseFilter)
            """)[0].decode(0, as: Int.self)
        let nurses = try c.connection.query(
            """
            SELECT nr.id, n.name AS nurse, i.name AS institution, i.region::text, nr.expires_on
            FROM (SELECT nr.id, nr.nurse, nr.institution, nr.expires_on FROM nurse_registration nr \(nurseJoin)
                  WHERE nr.status = 'active' AND nr.expires_on BETWEEN \(from) AND \(until) AND \(nurseFilter)
                  ORDER BY nr.expires_on, nr.id LIMIT \(limit)) nr
            JOIN institution i ON i.id = nr.institution JOIN nurse n ON n.id = nr.nurse
            ORDER BY nr.expires_on, nr.id
            """
        ).map { row -> [Cell] in
            let expires = try row.decode("expires_on", as: CalendarDate.self)
            let deadline = NurseRules.renewalDeadline(expires: expires)
            return [
                .text(try row.decode("id", as: UUID.self).text), .text(try row.decode("nurse", as: String.self)),
                .text(try row.decode("institution", as: String.self)), .text(try row.decode("region", as: String.self)),
                .text(expires.description), .text(deadline.description), .bool(from <= deadline)
            ]
        }

        // R-18: the leave lapses two full years after it began; the day comes from the rule's function.
        let regFilter = scope.filter(county: "i.region", province: "r.province")
        let leaveRows = try c.connection.query(
            """
            SELECT r.id, p.name AS physician, i.name AS institution, r.region::text, r.leave_since, r.leave_reason
            FROM registration r JOIN institution i ON i.id = r.institution JOIN physician p ON p.id = r.physician
            WHERE r.status = 'on-leave' AND r.leave_since BETWEEN \(from.adding(years: -2).adding(days: -2)) AND \(until.adding(years: -2).adding(days: 2))
              AND \(regFilter)
            ORDER BY r.leave_since, r.id
            """)
        var leaves: [[Cell]] = []
        for row in leaveRows {
            let since = try row.decode("leave_since", as: CalendarDate.self)
            let ends = RegistrationRules.leaveEnds(since: since)
            guard ends >= from, ends <= until else { continue }
            leaves.append([
                .text(try row.decode("id", as: UUID.self).text), .text(try row.decode("physician", as: String.self)),
                .text(try row.decode("institution", as: String.self)), .text(try row.decode("region", as: String.self)),
                .text(since.description), Cell(try row.decode("leave_reason", as: String?.self)),
                .text(ends.description)
            ])
        }
        let leaveCount = leaves.count
        leaves = Array(leaves.prefix(limit))
        func note(_ shown: Int, _ all: Int) -> String? { shown < all ? "first \(shown) of \(all)" : nil }
        return CommandOutput(
            report: Report(
                title: "Expiring within \(from.days(until: until)) days (到期提醒)",
                summary: scope.summary + [
                    ("from", .text(from.description)), ("until", .text(until.description)),
                    ("contracts", .int(contractCount)), ("nurse_registrations", .int(nurseCount)),
                    ("leave_clocks", .int(leaveCount))
                ],
                sections: [
                    ReportSection(
                        "contracts", "Filing contracts ending (R-24)",
                        ResultTable(
                            columns: [
                                "filing", "physician", "institution", "region", "contract_no", "valid_to", "days_left"
                            ], rows: contracts),
                        note: note(contracts.count, contractCount)),
                    ReportSection(
                        "nurse_registrations", "Nurse registrations expiring (renewal applied ≥ 30 days before, R-51)",
                        ResultTable(
                            columns: [
                                "registration", "nurse", "institution", "region", "expires_on", "renew_by",
                                "can_still_renew"
                            ], rows: nurses),
                        note: note(nurses.count, nurseCount)),
                    ReportSection(
                        "leave_clocks", "Leave lapsing after two years (R-18)",
                        ResultTable(
                            columns: [
                                "registration", "physician", "institution", "practice_region", "leave_since", "reason",
                                "cancelled_on"
                            ], rows: leaves),
                        note: note(leaves.count, leaveCount))
                ]))
    }
}
