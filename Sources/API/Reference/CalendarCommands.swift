import Dates
import Foundation
import Registration

/// `calendar import FILE`: holidays and adjusted working days (R-05), CSV `date,kind` (or 日期,类型), UTF-8 or
/// GBK, with or without a header. All rows or none.
public struct CalendarImport: Command {
    public static let name = "calendar.import"
    let path: String
    let encoding: ImportEncoding
    let sheet: String?
    public init(_ a: Arguments) throws {
        path = try a.string("file")
        encoding = try a.optionalChoice("encoding", ImportEncoding.self) ?? .auto
        sheet = try a.optionalString("sheet")
    }

    /// The words a calendar file may use for each kind of day.
    static let kinds: [String: CalendarDayKind] = [
        "holiday": .holiday, "假日": .holiday, "休": .holiday, "放假": .holiday, "节假日": .holiday,
        "workday": .workday, "班": .workday, "上班": .workday, "调休上班": .workday, "补班": .workday
    ]

    public func run(_ c: CommandContext) throws -> CommandOutput {
        try Access.requireAdmin(c.actor, to: "load the holiday calendar")
        let reader = try TableFile(path: path, encoding: encoding, sheet: sheet)
        var entries: [(day: CalendarDate, kind: CalendarDayKind)] = []
        var dayColumn = 0, kindColumn = 1
        var first = true
        do {
            while let record = try reader.next() {
                let fields = record.fields.map(\.trimmedASCIIWhitespace)
                defer { first = false }
                // The first record is a header when it holds no date.
                if first, !fields.contains(where: { CalendarDate(parsing: $0) != nil }) {
                    // A header: the columns by name, in any order.
                    let names = fields.map { $0.lowercased() }
                    dayColumn = names.firstIndex { ["date", "day", "日期"].contains($0) } ?? 0
                    kindColumn = names.firstIndex { ["kind", "类型", "类别", "安排"].contains($0) } ?? 1
                    continue
                }
                guard fields.count > max(dayColumn, kindColumn), let day = CalendarDate(parsing: fields[dayColumn])
                else {
                    throw RegctlError(
                        "input.date",
                        "line \(record.line): \(Quoted.value(fields.joined(separator: ","))) is not 'YYYY-MM-DD,holiday' or 'YYYY-MM-DD,workday' (日期,放假 or 日期,上班)",
                        rule: "R-05")
                }
                guard let kind = Self.kinds[fields[kindColumn].lowercased()] else {
                    throw RegctlError(
                        "input.calendar-kind",
                        "line \(record.line): kind \(Quoted.value(fields[kindColumn])) is neither holiday (放假) nor workday (上班)",
                        rule: "R-05")
                }
                entries.append((day, kind))
            }
        } catch let e as CSVError {
            throw RegctlError(
                e.code, "\(e.description); nothing was loaded", chinese: e.chinese.map { $0 + "；未载入任何日期" })
        }
        try c.store.setCalendarDays(entries)
        return CommandOutput(fields: [
            ("days", .int(entries.count)),
            ("holidays", .int(entries.filter { $0.kind == .holiday }.count)),
            ("workdays", .int(entries.filter { $0.kind == .workday }.count))
        ])
    }
}

/// `calendar list [--year YEAR]`: the days off and the weekend days worked, as loaded (R-05).
public struct CalendarList: Command {
    public static let name = "calendar.list"
    let year: Int?
    public init(_ a: Arguments) throws {
        year = try a.optionalInt("year")
        if let year, !(1949...2200).contains(year) {
            throw Arguments.usage(
                "input.number", "year", "\(year) is no year of the calendar; give one of 1949 to 2200")
        }
    }

    static let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

    public func run(_ c: CommandContext) throws -> CommandOutput {
        let days = try c.store.calendarDays(year: year)
        return CommandOutput(
            table: ResultTable(
                columns: ["on", "weekday", "kind"],
                rows: days.map {
                    [.text($0.day.description), .text(Self.weekdays[$0.day.isoWeekday - 1]), .text($0.kind.rawValue)]
                }),
            notes: days.isEmpty
                ? [
                    Phrase(
                        en:
                            "no day is loaded\(year.map { " for \($0)" } ?? ""): load the State Council's notice with regctl calendar import",
                        zh: "\(year.map { "\($0) 年" } ?? "")没有载入任何日期：请用 regctl calendar import 载入国务院办公厅的节假日安排")
                ] : [])
    }
}
