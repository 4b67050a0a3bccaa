import Dates
import Foundation
import Registration

/// The flags a report may take: `--region`, `--from`, `--to`, `--within`, `--limit`, `--live`, `--section`.
/// Each report says which of them it reads (`ReportOptions`); one given to a report that does not read it is
/// named in a note (on stderr), never silently ignored.
public enum ReportOption: String, CaseIterable, Sendable {
    case region, from, to, within, limit, live, section
}

/// A report and the flags it reads: its help lists those alone.
public protocol ReportOptions {
    static var options: Set<ReportOption> { get }
}

/// A regional report: computes its report from its flags; running it adds the note on flags it ignores.
protocol ReportCommand: Command, ReportOptions {
    var args: ReportArguments { get }
    func report(_ c: CommandContext) throws -> CommandOutput
}

extension ReportCommand {
    public func run(_ c: CommandContext) throws -> CommandOutput {
        args.noting(try report(c), report: String(Self.name.dropFirst("report.".count)))
    }
}

extension MultisiteReport: ReportOptions {
    public static let options: Set<ReportOption> = [.region, .from, .to, .live, .section]
}
extension SocialBedsReport: ReportOptions { public static let options: Set<ReportOption> = [.region, .section] }
extension ProcessingReport: ReportOptions {
    public static let options: Set<ReportOption> = [.region, .from, .to, .limit, .section]
}
extension StudiosReport: ReportOptions { public static let options: Set<ReportOption> = [.region, .to, .section] }
extension NursePilotReport: ReportOptions { public static let options: Set<ReportOption> = [.region, .to, .section] }
extension ExpiringReport: ReportOptions {
    public static let options: Set<ReportOption> = [.region, .from, .within, .limit, .section]
}
extension CreditReport: ReportOptions {
    public static let options: Set<ReportOption> = [.region, .from, .to, .limit, .section]
}

struct ReportArguments: Sendable {
    let region: RegionCode?
    let from: CalendarDate?
    let to: CalendarDate?
    let within: Int?
    let limit: Int
    /// Recount what the daily run precomputed.
    let live: Bool

    /// Flags given that the report does not read.
    let ignored: [ReportOption]

    init(_ a: Arguments, reads options: Set<ReportOption>) throws {
        ignored = ReportOption.allCases.filter { option in
            guard !options.contains(option), let value = a[option.rawValue] else { return false }
            return value != .bool(false)
        }
        // Every flag is held to its form; a report sees only those it declares (`ReportOptions`), so that what
        // it reads and what its help lists cannot drift apart: a flag it reads undeclared is always nil.
        func read<T>(_ option: ReportOption, _ value: T?) -> T? { options.contains(option) ? value : nil }
        region = try a.optionalRegion("region")
        from = read(.from, try a.optionalDate("from"))
        to = read(.to, try a.optionalDate("to"))
        within = read(.within, try a.optionalInt("within"))
        limit = read(.limit, try a.optionalInt("limit")) ?? 200
        live = read(.live, try a.bool("live")) ?? false
        if let from, let to, to < from {
            throw Arguments.usage(
                "input.period", "to", "\(to) is before --from \(from); give the period's first and last day")
        }
        if let within, within < 0 || within > 3660 {
            throw Arguments.usage("input.number", "within", "\(within) is not a number of days from 0 to 3660")
        }
        guard limit > 0 else {
            throw Arguments.usage("input.number", "limit", "\(limit) is not a number of rows; give 1 or more")
        }
    }
}

/// Where a report looks (after access, R-70) and how it breaks its figures down:
/// the country by province, a province by prefecture, a prefecture by county.
struct ReportScope {
    /// nil: the whole country.
    let region: RegionCode?
    let regionName: String

    /// The whole country, with no reader to check (the daily run's snapshot).
    init(nationalFor name: String) {
        region = nil
        regionName = name
    }

    init(_ requested: RegionCode?, _ c: CommandContext) throws {
        region = try Access.reportRegion(c.actor, requested: requested)
        try c.store.prepareForReport()
        if let region {
            _ = try c.store.requireRegion(region, field: "region")
            regionName = try c.store.regionName(region)
        } else {
            regionName = "全国"
        }
    }

    /// What the rows are: provinces, prefectures or counties.
    var breakdown: String {
        guard let region else { return "province" }
        if region.isProvince { return "prefecture" }
        return "county"
    }

    /// The same in words, for headings.
    var breakdownPhrase: Phrase {
        switch breakdown {
        case "province": Phrase(en: "province", zh: "省份")
        case "prefecture": Phrase(en: "prefecture", zh: "地市")
        default: Phrase(en: "county", zh: "县（市、区）")
        }
    }

    var summary: [(String, Cell)] {
        [("region", .text(region?.value ?? "all")), ("region_name", .text(regionName)), ("breakdown", .text(breakdown))]
    }
}

/// Percent with one decimal, as a cell ("" when the base is zero).
func percentCell(_ part: Int, _ whole: Int) -> Cell {
    whole == 0 ? .null : .text(String(format: "%.1f", Double(part) * 100 / Double(whole)))
}

func percent(_ part: Int, _ whole: Int) -> Double {
    whole == 0 ? 0 : Double(part) * 100 / Double(whole)
}

extension ReportArguments {
    /// The report's output, with a note naming each flag given that it does not read.
    func noting(_ output: CommandOutput, report: String) -> CommandOutput {
        guard !ignored.isEmpty else { return output }
        var out = output
        let flags = ignored.map { "--" + $0.rawValue }.joined(separator: ", ")
        out.notes.append(
            Phrase(
                en:
                    "warning: report \(report) does not use \(flags); ignored (regctl report \(report) --help lists its options)",
                zh: "警告：报表 \(report) 不使用 \(flags)，已忽略（regctl report \(report) --help 列出它的选项）"))
        return out
    }
}
