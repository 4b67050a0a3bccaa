import Dates

/// The working-day calendar: Monday–Friday, minus public holidays, plus
/// the adjusted working weekends (调休) that staff load.
public struct WorkingCalendar: Sendable {
    public var holidays: Set<CalendarDate>
    public var workdays: Set<CalendarDate>

    public init(holidays: Set<CalendarDate> = [], workdays: Set<CalendarDate> = []) {
        self.holidays = holidays
        self.workdays = workdays
    }

    public func isWorkingDay(_ d: CalendarDate) -> Bool {
        if workdays.contains(d) { return true }
        if holidays.contains(d) { return false }
        return d.isoWeekday <= 5
    }

    /// Working days after `start` up to and including `end` (0 when `end` ≤ `start`).
    public func workingDays(from start: CalendarDate, to end: CalendarDate) -> Int {
        guard end > start else { return 0 }
        var n = 0
        var d = start.adding(days: 1)
        while d <= end {
            if isWorkingDay(d) { n += 1 }
            d = d.adding(days: 1)
        }
        return n
    }

    /// The day that is `count` working days after `start` (R-15: the decision deadline).
    public func adding(workingDays count: Int, to start: CalendarDate) -> CalendarDate {
        var d = start
        var left = count
        while left > 0 {
            d = d.adding(days: 1)
            if isWorkingDay(d) { left -= 1 }
        }
        return d
    }
}
