import Testing
import Foundation
@testable import Dates

@Suite struct CalendarDateTests {
    @Test(arguments: [
        ("2000-01-01", 0), ("1999-12-31", -1), ("2026-03-01", 9556), ("1969-07-20", -11122), ("2040-02-29", 14669)
    ])
    func epochDays(text: String, days: Int32) throws {
        let d = try #require(CalendarDate(parsing: text))
        #expect(d.daysSince2000 == days)
        #expect(d.description == text)
    }

    @Test(arguments: ["2026/3/1", "2026-3-1", " 2026/03/01 "])
    func spreadsheetForms(text: String) {
        #expect(CalendarDate(parsing: text)?.description == "2026-03-01")
    }

    @Test(arguments: [
        "2026-02-29", "2026-13-01", "2026-00-10", "26-03-01", "2026-03", "2026-03-01x", "", "２０２６-03-01",
        "99999999999999999999", "2026-99999999999999999999-01", "99999999999999999999-1-1",
        "2026-3-0000000000000000000001"
    ])
    func rejectsNonDates(text: String) {
        #expect(CalendarDate(parsing: text) == nil)
    }

    @Test func weekdays() {
        #expect(CalendarDate(parsing: "2026-11-28")!.isoWeekday == 6)  // Saturday
        #expect(CalendarDate(parsing: "2000-01-03")!.isoWeekday == 1)
        #expect(CalendarDate(parsing: "1999-12-26")!.isoWeekday == 7)
    }

    @Test func yearsAndLeapDays() {
        #expect(CalendarDate(parsing: "2024-02-29")!.adding(years: 1).description == "2025-02-28")
        #expect(CalendarDate(parsing: "2024-02-29")!.adding(years: 4).description == "2028-02-29")
        #expect(CalendarDate(parsing: "2026-01-31")!.adding(days: 29).description == "2026-03-01")
    }

    @Test func todayIsTheShanghaiDay() {
        // 2026-11-28 16:30 UTC is already 2026-11-29 00:30 in Shanghai.
        let instant = Date(timeIntervalSince1970: 1_795_883_400)
        #expect(CalendarDate.today(now: instant).description == "2026-11-29")
        #expect(CalendarDate.today(now: instant.addingTimeInterval(-3600)).description == "2026-11-28")
    }
}
