import Foundation
import Dates

/// what was decided or applied for happened on a day that has come. A decision dated after today
/// would count as made in reports of the days before it (the processing report's parts then disagree
/// with its totals); a date ahead is refused, at every door.
public enum DecisionDates {
    public static func check(_ day: CalendarDate, today: CalendarDate, field: String) throws {
        guard day <= today else {
            throw RuleViolation(
                "input.future-date", rule: "R-04", field: field,
                "\(day) is after today (\(today)); a decision is dated the day it was made, today or earlier")
        }
    }
}
