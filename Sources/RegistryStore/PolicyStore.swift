import Dates
import Foundation
import Postgres
import Registration

/// A province's settings that are policy, not law; nil for none.
public struct ProvincePolicy: Sendable {
    public let province: RegionCode
    public let name: String
    public let maxActiveFilings: Int?
    public let studioMaxAge: Int?
}

/// Which setting of a province to change: a value, or nil to remove it.
public enum PolicyChange: Sendable {
    case maxActiveFilings(Int?)
    case studioMaxAge(Int?)
}

/// A day of the working calendar.
public enum CalendarDayKind: String, Sendable, PostgresDecodable {
    case holiday, workday
}

/// Policies and the working calendar.
extension Store {
    /// Applies the changes to a province's policy (created with no settings when it has none); returns it.
    public func setPolicy(_ province: RegionCode, _ changes: [PolicyChange]) throws -> ProvincePolicy {
        try connection.execute(
            "INSERT INTO policy (province) VALUES (\(province.value)) ON CONFLICT (province) DO NOTHING")
        for change in changes {
            switch change {
            case .maxActiveFilings(let cap):
                try connection.execute(
                    "UPDATE policy SET max_active_filings = \(cap) WHERE province = \(province.value)")
            case .studioMaxAge(let age):
                try connection.execute("UPDATE policy SET studio_max_age = \(age) WHERE province = \(province.value)")
            }
        }
        return try policies().first { $0.province == province }
            ?? ProvincePolicy(province: province, name: "", maxActiveFilings: nil, studioMaxAge: nil)
    }

    /// Every province with its settings (nil where none is set), in code order.
    public func policies() throws -> [ProvincePolicy] {
        try connection.query(
            """
            SELECT r.code, r.name, p.max_active_filings, p.studio_max_age FROM region r LEFT JOIN policy p ON p.province = r.code
            WHERE r.level = 'province' ORDER BY r.code
            """
        ).map { row in
            ProvincePolicy(
                province: try row.decode(0, as: RegionCode.self), name: try row.decode(1, as: String.self),
                maxActiveFilings: try row.decode(2, as: Int?.self), studioMaxAge: try row.decode(3, as: Int?.self))
        }
    }

    /// the province's oldest age to open a studio, nil for none.
    public func studioMaxAge(province: RegionCode) throws -> Int? {
        try connection.query("SELECT studio_max_age FROM policy WHERE province = \(province.value)").first?
            .decode(0, as: Int?.self)
    }

    /// records holidays and adjusted working days (a day given again takes the new kind).
    public func setCalendarDays(_ days: [(day: CalendarDate, kind: CalendarDayKind)]) throws {
        guard !days.isEmpty else { return }
        try connection.execute(
            """
            INSERT INTO holiday_calendar (day, kind)
            SELECT DISTINCT ON (day) day, kind FROM unnest(\(days.map(\.day))::date[], \(days.map(\.kind.rawValue))::text[])
                WITH ORDINALITY AS x(day, kind, n)
            ORDER BY day, n DESC
            ON CONFLICT (day) DO UPDATE SET kind = EXCLUDED.kind
            """)
    }

    /// the days loaded, in order; of one year, or all.
    public func calendarDays(year: Int?) throws -> [(day: CalendarDate, kind: CalendarDayKind)] {
        let from = CalendarDate(year: year ?? 1, month: 1, day: 1),
            to = CalendarDate(year: year ?? 9999, month: 12, day: 31)
        return try connection.query(
            "SELECT day, kind FROM holiday_calendar WHERE day BETWEEN \(from) AND \(to) ORDER BY day"
        ).map { (try $0.decode(0, as: CalendarDate.self), try $0.decode(1, as: CalendarDayKind.self)) }
    }
}
