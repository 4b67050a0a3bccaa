import Dates
import Foundation
import Postgres
import Registration

/// `report processing`: physician registration applications made in a period, by status;
/// working days to decide (median, 90th percentile), the share decided within the
/// 20-working-day deadline (R-15), and the applications overdue now.
///
/// Working days come from the one calendar function (R-05): Swift numbers every day of
/// the period with its running count of working days and its deadline, and SQL only
/// subtracts those numbers, so the database never holds a second definition of a working day.
public struct ProcessingReport: Command {
    public static let name = "report.processing"
    let args: ReportArguments

    public init(_ a: Arguments) throws { args = try ReportArguments(a) }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        let scope = try ReportScope(args.region, c)
        let to = args.to ?? c.today
        let from = args.from ?? to.adding(days: -364)
        let calendar = try Store.workingCalendar(c.connection)
        let days = WorkingDayTable(calendar, from: from, through: max(to, c.today))
        let g = scope.group(county: "i.region", province: "r.province")
        let join: SQL = scope.needsCounty ? "JOIN institution i ON i.id = r.institution" : ""
        let rows = try c.connection.query("""
            WITH wd AS (SELECT * FROM unnest(\(days.days)::date[], \(days.ordinals)::int[], \(days.deadlines)::date[]) AS w(day, n, due))
            SELECT \(g) AS g, GROUPING(\(g)) AS is_total, count(*) AS applications,
                   count(*) FILTER (WHERE r.status = 'pending') AS pending,
                   count(*) FILTER (WHERE r.decided_on IS NOT NULL AND r.status <> 'rejected') AS approved,
                   count(*) FILTER (WHERE r.status = 'rejected') AS rejected,
                   count(d.n) AS decided,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY d.n - a.n) AS median_days,
                   percentile_cont(0.9) WITHIN GROUP (ORDER BY d.n - a.n) AS p90_days,
                   count(*) FILTER (WHERE r.decided_on <= a.due) AS within_deadline,
                   count(*) FILTER (WHERE r.status = 'pending' AND a.due < \(c.today)) AS overdue
            FROM registration r \(join)
            JOIN wd a ON a.day = r.applied_on
            LEFT JOIN wd d ON d.day = r.decided_on
            WHERE r.applied_on BETWEEN \(from) AND \(to) AND \(scope.filter(county: "i.region", province: "r.province"))
            GROUP BY GROUPING SETS ((\(g)), ()) ORDER BY 2, 1
            """)
        struct Line { let key: String?; let applications, pending, approved, rejected, decided, within, overdue: Int; let median, p90: Double? }
        let lines = try rows.map { row in
            Line(key: try row.decode("is_total", as: Int.self) == 1 ? nil : try row.decode("g", as: String.self),
                 applications: try row.count("applications"), pending: try row.count("pending"), approved: try row.count("approved"),
                 rejected: try row.count("rejected"), decided: try row.count("decided"), within: try row.count("within_deadline"),
                 overdue: try row.count("overdue"), median: try row.decode("median_days", as: Double?.self),
                 p90: try row.decode("p90_days", as: Double?.self))
        }
        let names = try RegionNames.of(lines.compactMap(\.key), c.connection)
        func workingDaysCell(_ v: Double?) -> Cell { v.map { .text(String(format: "%.1f", $0)) } ?? .null }
        let table = ResultTable(
            columns: ["region", "name", "applications", "pending", "approved", "rejected", "decided", "median_working_days",
                      "p90_working_days", "within_20_days_pct", "overdue"],
            rows: lines.map { l in
                [.text(l.key ?? "total"), Cell(l.key.map { names[$0] ?? "" } ?? scope.regionName), .int(l.applications), .int(l.pending),
                 .int(l.approved), .int(l.rejected), .int(l.decided), workingDaysCell(l.median), workingDaysCell(l.p90), percentCell(l.within, l.decided), .int(l.overdue)]
            })

        // Overdue now: every pending application past its deadline, whenever it was made.
        let lastOverdue = days.lastApplicationOverdue(on: c.today, calendar)
        let overdueFilter: SQL = """
            r.status = 'pending' AND r.applied_on <= \(lastOverdue) AND \(scope.filter(county: "i.region", province: "r.province"))
            """
        let overdueCount = try c.connection.query("SELECT count(*) FROM registration r \(join) WHERE \(overdueFilter)")[0].decode(0, as: Int.self)
        let overdue = try c.connection.query("""
            SELECT r.id, p.name AS physician, i.name AS institution, r.region::text, r.applied_on
            FROM registration r JOIN physician p ON p.id = r.physician JOIN institution i ON i.id = r.institution
            WHERE \(overdueFilter)
            ORDER BY r.applied_on, r.id LIMIT \(args.limit)
            """).map { row -> [Cell] in
            let applied = try row.decode("applied_on", as: CalendarDate.self)
            return [.text(try row.decode("id", as: UUID.self).text), .text(try row.decode("physician", as: String.self)),
                    .text(try row.decode("institution", as: String.self)), .text(try row.decode("region", as: String.self)),
                    .text(applied.description), .text(RegistrationRules.decisionDeadline(appliedOn: applied, calendar: calendar).description),
                    .int(calendar.workingDays(from: applied, to: c.today))]
        }
        let total = lines.first { $0.key == nil }
        let regional = lines.filter { $0.key != nil }
        let chart = BarChart(title: "审批用时（工作日）：中位数与第 90 百分位", labels: regional.map { names[$0.key!] ?? $0.key! },
                             series: [("中位数", regional.map { $0.median ?? 0 }), ("P90", regional.map { $0.p90 ?? 0 })],
                             target: (Double(RegistrationRules.decisionWorkingDays), "时限 20 个工作日"), unit: "")
        return CommandOutput(report: Report(
            title: "Processing of registration applications (注册办理)",
            summary: scope.summary + [("from", .text(from.description)), ("to", .text(to.description)), ("today", .text(c.today.description)),
                                      ("applications", .int(total?.applications ?? 0)), ("overdue_now", .int(overdueCount))],
            sections: [ReportSection("by_region", "Applications made \(from) – \(to), by \(scope.breakdown)", table),
                       ReportSection("overdue", "Pending past the 20-working-day deadline on \(c.today)", ResultTable(
                        columns: ["registration", "physician", "institution", "practice_region", "applied_on", "due_on", "working_days_waiting"],
                        rows: overdue), note: overdue.count < overdueCount ? "first \(overdue.count) of \(overdueCount)" : nil)],
            chart: chart))
    }
}

/// Every day of a period with its running number of working days (R-05) and its R-15
/// deadline, for SQL to join on: working days between two days is the difference.
struct WorkingDayTable {
    var days: [CalendarDate] = []
    var ordinals: [Int] = []
    var deadlines: [CalendarDate] = []

    init(_ calendar: WorkingCalendar, from: CalendarDate, through: CalendarDate) {
        var n = 0
        var d = from
        while d <= through {
            if d > from, calendar.isWorkingDay(d) { n += 1 }
            days.append(d)
            ordinals.append(n)
            deadlines.append(RegistrationRules.decisionDeadline(appliedOn: d, calendar: calendar))
            d = d.adding(days: 1)
        }
    }

    /// The latest application date whose deadline has passed on `today`.
    func lastApplicationOverdue(on today: CalendarDate, _ calendar: WorkingCalendar) -> CalendarDate {
        var d = today.adding(days: -RegistrationRules.decisionWorkingDays)
        while RegistrationRules.decisionDeadline(appliedOn: d, calendar: calendar) >= today { d = d.adding(days: -1) }
        return d
    }
}
