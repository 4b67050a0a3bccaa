import Dates
import Foundation
import Registration

/// `calendar import FILE`: holidays and adjusted working days, CSV `date,kind`. All rows or none.
public struct CalendarImport: Command {
    public static let name = "calendar.import"
    let path: String
    public init(_ a: Arguments) throws { path = try a.string("file") }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        try Access.requireAdmin(c.actor, to: "load the holiday calendar")
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else {
            throw RegctlError(
                "import.file", "cannot read \(path) as UTF-8 text; save it as CSV (UTF-8) with columns date,kind")
        }
        var entries: [(day: CalendarDate, kind: CalendarDayKind)] = []
        for (n, rawLine) in text.replacingOccurrences(of: "\r\n", with: "\n").split(
            separator: "\n", omittingEmptySubsequences: false
        ).enumerated() {
            var line = String(rawLine).trimmingCharacters(in: .whitespaces)
            if n == 0, line.hasPrefix("\u{FEFF}") { line.removeFirst() }
            if line.isEmpty || (n == 0 && line.lowercased().hasPrefix("date")) { continue }
            let fields = line.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count == 2, let day = CalendarDate(parsing: fields[0]) else {
                throw RegctlError(
                    "input.date",
                    "\(path) line \(n + 1): \(Quoted.value(line)) is not 'YYYY-MM-DD,holiday' or 'YYYY-MM-DD,workday'",
                    rule: "R-05")
            }
            let kind: CalendarDayKind? = [
                "holiday": .holiday, "假日": .holiday, "休": .holiday, "workday": .workday, "班": .workday,
                "调休上班": .workday
            ][fields[1].lowercased()]
            guard let kind else {
                throw RegctlError(
                    "input.calendar-kind",
                    "\(path) line \(n + 1): kind \(Quoted.value(fields[1])) is neither holiday nor workday",
                    rule: "R-05")
            }
            entries.append((day, kind))
        }
        try c.store.setCalendarDays(entries)
        return CommandOutput(fields: [
            ("days", .int(entries.count)),
            ("holidays", .int(entries.filter { $0.kind == .holiday }.count)),
            ("workdays", .int(entries.filter { $0.kind == .workday }.count))
        ])
    }
}
