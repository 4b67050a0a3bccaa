import Dates
import Foundation
import Registration

/// `report processing`: physician registration applications made in a period, by status;
/// working days to decide (median, 90th percentile), the share decided within the
/// 20-working-day deadline, and the applications overdue now.
///
/// Working days come from the one calendar function: Swift numbers every day of
/// the period with its running count of working days and its deadline, and SQL only
/// subtracts those numbers, so the database never holds a second definition of a working day.
public struct ProcessingReport: ReportCommand {
    public static let name = "report.processing"
    let args: ReportArguments

    public init(_ a: Arguments) throws { args = try ReportArguments(a, reads: Self.options) }

    func report(_ c: CommandContext) throws -> CommandOutput {
        let scope = try ReportScope(args.region, c)
        let to = args.to ?? c.today
        let from = args.from ?? to.adding(days: -364)
        let calendar = try c.store.workingCalendar()
        let days = WorkingDayTable(calendar, from: from, through: max(to, c.today))
        var tallies: [String: ProcessingTally] = [:]
        var whole = ProcessingTally()
        for bin in try c.store.processingHistogram(
            region: scope.region, from: from, to: to, today: c.today, ordinals: days.ordinals, deadlines: days.deadlines
        ) {
            tallies[bin.region, default: ProcessingTally()].add(
                status: bin.status, days: bin.days, onTime: bin.onTime, overdue: bin.overdue, count: bin.count)
            whole.add(status: bin.status, days: bin.days, onTime: bin.onTime, overdue: bin.overdue, count: bin.count)
        }
        struct Line {
            let key: String?
            let applications, pending, approved, rejected, decided, within, overdue: Int
            let median, p90: Double?
        }
        func line(_ key: String?, _ t: ProcessingTally) -> Line {
            Line(
                key: key, applications: t.applications, pending: t.pending, approved: t.approved, rejected: t.rejected,
                decided: t.decided,
                within: t.onTime, overdue: t.overdue, median: t.percentile(0.5), p90: t.percentile(0.9))
        }
        let lines = tallies.keys.sorted().map { line($0, tallies[$0]!) } + [line(nil, whole)]
        let names = try c.store.regionNames(lines.compactMap(\.key))
        func workingDaysCell(_ v: Double?) -> Cell { v.map { .text(String(format: "%.1f", $0)) } ?? .null }
        let table = ResultTable(
            columns: [
                "region", "name", "applications", "pending", "approved", "rejected", "decided", "median_working_days",
                "p90_working_days", "within_20_days_pct", "overdue"
            ],
            rows: lines.map { l in
                [
                    .text(l.key ?? "total"), Cell(l.key.map { names[$0] ?? "" } ?? scope.regionName),
                    .int(l.applications), .int(l.pending),
                    .int(l.approved), .int(l.rejected), .int(l.decided), workingDaysCell(l.median),
                    workingDaysCell(l.p90), percentCell(l.within, l.decided), .int(l.overdue)
                ]
            })

        // Overdue now: every pending application past its deadline, whenever it was made.
        let lastOverdue = days.lastApplicationOverdue(on: c.today, calendar)
        let (overdueCount, pending) = try c.store.pendingApplications(
            region: scope.region, appliedBy: lastOverdue, limit: args.limit)
        let overdue = pending.map { a -> [Cell] in
            [
                .text(a.registration.text), .text(a.physicianName), .text(a.institutionName),
                .text(a.practiceRegion.value), .text(a.appliedOn.description),
                .text(RegistrationRules.decisionDeadline(appliedOn: a.appliedOn, calendar: calendar).description),
                .int(calendar.workingDays(from: a.appliedOn, to: c.today))
            ]
        }
        let total = lines.first { $0.key == nil }
        let regional = lines.filter { $0.key != nil }
        let chart = BarChart(
            title: Phrase(
                en: "Working days to decide: median and 90th percentile", zh: "审批用时（工作日）：中位数与第 90 百分位"),
            labels: regional.map { names[$0.key!] ?? $0.key! },
            series: [
                (Phrase(en: "median", zh: "中位数"), regional.map { $0.median ?? 0 }),
                (Phrase(en: "90th percentile", zh: "第 90 百分位"), regional.map { $0.p90 ?? 0 })
            ],
            target: (
                Double(RegistrationRules.decisionWorkingDays), Phrase(en: "limit: 20 working days", zh: "时限 20 个工作日")
            ), unit: "")
        return CommandOutput(
            report: Report(
                title: Phrase(en: "Processing of registration applications", zh: "注册申请办理情况"),
                summary: scope.summary + [
                    ("from", .text(from.description)), ("to", .text(to.description)),
                    ("today", .text(c.today.description)),
                    ("applications", .int(total?.applications ?? 0)), ("overdue_now", .int(overdueCount))
                ],
                sections: [
                    ReportSection(
                        "by_region",
                        Phrase(
                            en: "Applications made \(from) – \(to), by \(scope.breakdown)",
                            zh: "\(from) 至 \(to) 提出的申请，按\(scope.breakdownPhrase.zh)"), table),
                    ReportSection(
                        "overdue",
                        Phrase(
                            en: "Pending past the 20-working-day deadline on \(c.today)",
                            zh: "截至 \(c.today) 超过 20 个工作日仍未办结的申请"),
                        ResultTable(
                            columns: [
                                "registration", "physician", "institution", "practice_region", "applied_on", "due_on",
                                "working_days_waiting"
                            ],
                            rows: overdue),
                        note: overdue.count < overdueCount ? "first \(overdue.count) of \(overdueCount)" : nil)
                ],
                chart: chart))
    }
}

/// Counts of one region's applications, and the working days each decided one took. The parts add
/// up by construction: applications = pending + approved + rejected, decided = approved + rejected,
/// whatever the dates say (a decision whose day falls outside the working-day table still counts as
/// decided; only its duration is unknown).
struct ProcessingTally {
    var applications = 0, pending = 0, approved = 0, rejected = 0, decided = 0, onTime = 0, overdue = 0
    /// Working days to decide → how many applications took that long.
    var days: [Int: Int] = [:]
    /// Decided applications whose duration is known (the percentiles' population).
    var timed = 0

    mutating func add(status: String, days d: Int?, onTime: Bool, overdue: Bool, count n: Int) {
        applications += n
        switch status {
        case "pending": pending += n
        case "rejected":
            rejected += n
            decided += n
        default:
            approved += n
            decided += n  // active, on leave or cancelled since: it was approved
        }
        if status != "pending", let d {
            timed += n
            days[d, default: 0] += n
        }
        if onTime && status != "pending" { self.onTime += n }
        if overdue { self.overdue += n }
    }

    /// PostgreSQL's `percentile_cont`: the value at position p·(n−1) of the sorted values, interpolated.
    func percentile(_ p: Double) -> Double? {
        guard timed > 0 else { return nil }
        let position = p * Double(timed - 1)
        let lower = Int(position.rounded(.down)), upper = Int(position.rounded(.up))
        var seen = 0
        var low: Int?, high: Int?
        for (value, n) in days.sorted(by: { $0.key < $1.key }) {
            if low == nil, lower < seen + n { low = value }
            if upper < seen + n {
                high = value
                break
            }
            seen += n
        }
        guard let low, let high else { return nil }
        return Double(low) + (position - Double(lower)) * Double(high - low)
    }
}

/// Every day of a period, by its offset from the first, with its running number of working
/// days and its R-15 deadline: SQL indexes into the arrays, and the working days
/// between two days are the difference of their numbers.
struct WorkingDayTable {
    var ordinals: [Int] = []
    var deadlines: [CalendarDate] = []

    init(_ calendar: WorkingCalendar, from: CalendarDate, through: CalendarDate) {
        var n = 0
        var d = from
        while d <= through {
            if d > from, calendar.isWorkingDay(d) { n += 1 }
            ordinals.append(n)
            deadlines.append(RegistrationRules.decisionDeadline(appliedOn: d, calendar: calendar))
            d = d.adding(days: 1)
        }
    }

    /// The latest application date a pending application is overdue from on `today` (R-15's own test).
    func lastApplicationOverdue(on today: CalendarDate, _ calendar: WorkingCalendar) -> CalendarDate {
        var d = today.adding(days: -RegistrationRules.decisionWorkingDays)
        while !RegistrationRules.isOverdue(status: .pending, appliedOn: d, today: today, calendar: calendar) {
            d = d.adding(days: -1)
        }
        return d
    }
}
