import Foundation

/// A calendar day with no time and no zone: what a decision, a contract or a birth date is.
///
/// Stored as days since 2000-01-01, PostgreSQL's own epoch for `date`, so the
/// database layer converts without arithmetic on civil fields.
public struct CalendarDate: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    /// Days since 2000-01-01 (negative before it).
    public let daysSince2000: Int32

    public init(daysSince2000: Int32) {
        self.daysSince2000 = daysSince2000
    }

    /// A date from its civil fields; nil when they do not name a real day (31 Feb).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
            day >= 1, day <= CalendarDate.daysIn(month: month, year: year)
        else { return nil }
        self.daysSince2000 = Int32(
            CalendarDate.daysFromCivil(year: year, month: month, day: day) - CalendarDate.epochOffset)
    }

    /// Parses `YYYY-MM-DD`, and also `YYYY/M/D` and `YYYY-M-D` (what spreadsheets write).
    public init?(parsing text: String) {
        // Bytes, not Characters: dates are parsed a million times in an import.
        var fields = [0, 0, 0], digits = [0, 0, 0], field = 0
        var separator: UInt8 = 0
        for b in text.trimmedASCIIWhitespace.utf8 {
            switch b {
            case 0x30...0x39:
                // No field of a date has more than 4 digits: stop before a long run of digits overflows.
                guard digits[field] < 4 else { return nil }
                fields[field] = fields[field] * 10 + Int(b - 0x30)
                digits[field] += 1
            case 0x2D, 0x2F:
                guard field < 2, separator == 0 || separator == b else { return nil }
                separator = b
                field += 1
            default:
                return nil
            }
        }
        guard field == 2, digits[0] == 4, (1...2).contains(digits[1]), (1...2).contains(digits[2]) else { return nil }
        self.init(year: fields[0], month: fields[1], day: fields[2])
    }

    public var year: Int { civil.year }
    public var month: Int { civil.month }
    public var day: Int { civil.day }

    /// ISO weekday: 1 = Monday … 7 = Sunday.
    public var isoWeekday: Int {
        // 2000-01-01 was a Saturday (6).
        let w = (Int(daysSince2000) + 5) % 7
        return (w < 0 ? w + 7 : w) + 1
    }

    public func adding(days: Int) -> CalendarDate {
        CalendarDate(daysSince2000: daysSince2000 + Int32(days))
    }

    /// The same day `years` later; 29 Feb becomes 28 Feb in a common year.
    public func adding(years: Int) -> CalendarDate {
        let c = civil
        let y = c.year + years
        return CalendarDate(year: y, month: c.month, day: min(c.day, CalendarDate.daysIn(month: c.month, year: y)))!
    }

    /// Whole days from `self` to `other` (positive when `other` is later).
    public func days(until other: CalendarDate) -> Int {
        Int(other.daysSince2000) - Int(daysSince2000)
    }

    public var description: String {
        let c = civil
        func pad(_ n: Int, _ width: Int) -> String {
            let s = String(n)
            return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
        }
        return pad(c.year, 4) + "-" + pad(c.month, 2) + "-" + pad(c.day, 2)
    }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool { a.daysSince2000 < b.daysSince2000 }

    /// Today in the Asia/Shanghai day (UTC+8 all year: China has kept no daylight saving since 1991).
    public static func today(now: Date = Date()) -> CalendarDate {
        let seconds = Int64((now.timeIntervalSince1970 + 8 * 3600).rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        return CalendarDate(daysSince2000: Int32(days - 10_957))
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = CalendarDate(parsing: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "not a date (YYYY-MM-DD): \(text)"))
        }
        self = date
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    // MARK: civil arithmetic (H. Hinnant's days_from_civil / civil_from_days)

    /// days_from_civil(2000, 1, 1), so stored values count from PostgreSQL's epoch.
    private static let epochOffset = 10_957

    public static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    private var civil: (year: Int, month: Int, day: Int) {
        let z = Int(daysSince2000) + CalendarDate.epochOffset + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
