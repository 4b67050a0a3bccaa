import Foundation
import Testing
import Dates
@testable import Registration

let today = CalendarDate(parsing: "2026-11-28")!

@Suite struct ResidentIDTests {
    @Test(arguments: ["330106197503120023", "11010519491231002X", "11010519491231002x", " 330102198001010413 "])
    func valid(text: String) throws {
        let id = try ResidentID(text, today: today)
        #expect(id.value.count == 18)
        #expect(id.value.last != "x")
    }

    /// What Excel makes of an ID number typed into a number cell gets the hint that fixes it.
    @Test(arguments: ["4.40106E+17", "3.3010619750312E+17", "4.40106e+17"])
    func spreadsheetNumbersGetTheHint(text: String) {
        #expect(throws: ResidentID.Problem.spreadsheetNumber(text)) { try ResidentID(text, today: today) }
        #expect(ResidentID.Problem.spreadsheetNumber(text).explanation.contains("设置为文本格式"))
        // A credit code of digits only (9 for 市场监管, then region and serial) fares the same in a number cell.
        #expect(throws: CreditCode.Problem.spreadsheetNumber(text)) { try CreditCode(text) }
        #expect(CreditCode.Problem.spreadsheetNumber(text).explanation.contains("设置为文本格式"))
    }

    /// How every message says a typed number back: masked at a number's length, as typed otherwise.
    @Test func quotedBack() {
        #expect(ResidentID.quotedBack(" 11010519491231002x ") == "110105********002X")
        #expect(ResidentID.quotedBack("11010519491231002") == "11010519491231002")
    }

    @Test func lowerCaseXIsStoredUpperCase() throws {
        #expect(try ResidentID("11010519491231002x", today: today).value == "11010519491231002X")
    }

    @Test func derivedFields() throws {
        let id = try ResidentID("330106197503120023", today: today)
        #expect(id.birthDate.description == "1975-03-12")
        #expect(id.sex == .female)
        #expect(id.issuingRegion == "330106")
        #expect(id.masked == "330106********0023")
        #expect(try ResidentID("330102198001010413", today: today).sex == .male)
    }

    @Test(arguments: [
        ("330106197503120024", ResidentID.Problem.checkDigit(expected: "3", found: "4")),
        ("33010619750312002", .length(17)),
        ("3301061975031200231", .length(19)),
        ("33010619750312A023", .character(position: 15, "A")),
        ("33010619750231002X", .birthDate("19750231")),
        ("330106203001010012", .futureBirthDate("2030-01-01")),
        ("330106197513010023", .birthDate("19751301")),
        // 18 Characters but 19 scalars, all ASCII ("\r\n" is one Character): a crash the fuzzer found.
        ("33010619750312\r\n002", .length(19)),
        ("33010619750312张023", .character(position: 15, "张"))
    ])
    func invalid(text: String, problem: ResidentID.Problem) {
        #expect(throws: problem) { try ResidentID(text, today: today) }
    }

    @Test func everyProblemExplainsItself() {
        let problems: [ResidentID.Problem] = [
            .length(5), .character(position: 3, "a"), .birthDate("19990231"), .futureBirthDate("2030-01-01"),
            .checkDigit(expected: "X", found: "1")
        ]
        for p in problems { #expect(!p.explanation.isEmpty) }
    }
}

@Suite struct CreditCodeTests {
    @Test(arguments: ["123300004700000018", "91330106MA2A00001C", "91320102MA1X000019", "91330106ma2a00001c"])
    func valid(text: String) throws {
        let code = try CreditCode(text)
        #expect(code.checkCharacterValid)
        #expect(code.value == text.uppercased())
    }

    /// The parser reports a failed check; the command refuses it unless accepted with a reason (institution.uscc-check).
    @Test func failedCheckIsReportedByTheParser() throws {
        let code = try CreditCode("123300004700000019")
        #expect(!code.checkCharacterValid)
        #expect(code.region == "330000")
    }

    @Test(arguments: [
        ("12330000470000001", CreditCode.Problem.length(17)),
        ("12330000470000001I", .character(position: 18, "I")),
        ("1233000047000O0018", .character(position: 14, "O")),
        ("12AB00004700000018", .region("AB0000")),
        // 18 Characters but 19 scalars, all ASCII ("\r\n" is one Character): a crash the fuzzer found.
        ("12330000470000\r\n001", .length(19)),
        ("95330106MA2A00001C", .type(authority: "9", "5")),
        ("B2330000470000001X", .authority("B"))
    ])
    func invalid(text: String, problem: CreditCode.Problem) {
        #expect(throws: problem) { try CreditCode(text) }
    }
}

@Suite struct RegionCodeTests {
    @Test func coverage() {
        let zj = RegionCode("330000")!, hz = RegionCode("330100")!, xh = RegionCode("330106")!,
            nj = RegionCode("320102")!
        #expect(zj.covers(xh) && zj.covers(hz) && hz.covers(xh) && xh.covers(xh))
        #expect(!hz.covers(zj) && !xh.covers(hz) && !zj.covers(nj))
        #expect(xh.province == zj && xh.prefecture == hz)
        #expect(RegionCode("33010") == nil && RegionCode("33010a") == nil)
    }
}

@Suite struct WorkingDayTests {
    // Spring Festival 2026: holidays 2026-02-15…02-23, adjusted working Saturday 2026-02-28.
    let festival = WorkingCalendar(
        holidays: Set((15...23).map { CalendarDate(year: 2026, month: 2, day: $0)! }),
        workdays: [CalendarDate(year: 2026, month: 2, day: 28)!])

    @Test func plainWeeks() {
        let cal = WorkingCalendar()
        let mon = CalendarDate(parsing: "2026-03-02")!
        #expect(cal.adding(workingDays: 20, to: mon).description == "2026-03-30")
        #expect(cal.workingDays(from: mon, to: CalendarDate(parsing: "2026-03-09")!) == 5)
        // From a Friday, the next working day is Monday.
        #expect(cal.adding(workingDays: 1, to: CalendarDate(parsing: "2026-03-06")!).description == "2026-03-09")
    }

    @Test func holidaysAndAdjustedWeekends() {
        let applied = CalendarDate(parsing: "2026-02-10")!
        // Working days after 02-10: 11,12,13, (15-23 holidays), 24,25,26,27,28(adjusted Sat), then March.
        #expect(festival.workingDays(from: applied, to: CalendarDate(parsing: "2026-02-28")!) == 8)
        #expect(festival.adding(workingDays: 20, to: applied).description == "2026-03-17")
        #expect(!festival.isWorkingDay(CalendarDate(parsing: "2026-02-16")!))
        #expect(festival.isWorkingDay(CalendarDate(parsing: "2026-02-28")!))
    }
}

/// Record and event ids: version 4, variant 10, and no two alike (across the pool's refills).
@Suite struct RandomIDTests {
    @Test func versionFourAndDistinct() {
        var seen = Set<UUID>()
        for _ in 0..<100_000 {
            let id = UUID.random()
            let text = id.text
            #expect(Array(text)[14] == "4")
            #expect("89ab".contains(Array(text)[19]))
            seen.insert(id)
        }
        #expect(seen.count == 100_000)
    }
}
