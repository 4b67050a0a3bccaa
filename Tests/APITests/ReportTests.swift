import Testing
import Foundation
@testable import API
import Registration
import Dates
import Postgres
import TestSupport

/// The rows of a report section as plain text, and a lookup by first column.
struct Sheet {
    let columns: [String]
    let rows: [[String]]

    init(_ output: CommandOutput, _ section: String) throws {
        let s = try #require(output.report?.sections.first { $0.name == section })
        columns = s.table.columns
        rows = s.table.rows.map { $0.map(\.plain) }
    }

    /// The value in `column` of the row whose first column is `key`.
    subscript(_ key: String, _ column: String) -> String? {
        guard let c = columns.firstIndex(of: column), let row = rows.first(where: { $0.first == key }) else {
            return nil
        }
        return row[c]
    }

    var keys: [String] { rows.map { $0[0] } }
}

extension CommandOutput {
    func summary(_ key: String) -> String? { report?.summary.first { $0.0 == key }?.1.plain }
}

@Suite struct ReportTests {
    /// world() plus a social hospital in 宁波 (another prefecture of 浙江).
    func bedsWorld() throws -> (Registry, Registry.World, ningbo: String) {
        let r = try Registry()
        let w = try r.world()
        let ningbo = try r.run(
            "institution.add",
            [
                "name": "宁波明州医院", "uscc": Make.creditCode(region: "330203", serial: 40), "region": "330203",
                "ownership": "social", "category": "general-hospital", "beds": 300
            ]
        ).id!
        return (r, w, ningbo)
    }

    @Test func socialBedsAtEveryRegionLevel() throws {
        let (r, w, _) = try bedsWorld()
        // Beds: 浙江 330106 public 2000 + 40, social 20; 330102 social 600; 330203 social 300. 江苏 320102 public 1500, social 0.
        let national = try Sheet(r.run("report.social-beds", [:]), "by_region")
        #expect(national.keys == ["320000", "330000", "total"])
        #expect(
            national["330000", "beds"] == "2960" && national["330000", "social_beds"] == "920"
                && national["330000", "social_share_pct"] == "31.1")
        #expect(national["320000", "social_share_pct"] == "0.0" && national["320000", "meets_25pct"] == "false")
        #expect(national["total", "beds"] == "4460" && national["total", "social_share_pct"] == "20.6")

        let province = try Sheet(r.run("report.social-beds", ["region": "330000"]), "by_region")
        #expect(province.keys == ["330100", "330200", "total"])
        #expect(
            province["330100", "name"] == "杭州市" && province["330100", "beds"] == "2660"
                && province["330100", "social_share_pct"] == "23.3")
        #expect(province["330100", "meets_25pct"] == "false" && province["330200", "social_share_pct"] == "100.0")

        let prefecture = try Sheet(r.run("report.social-beds", ["region": "330100"]), "by_region")
        #expect(prefecture.keys == ["330102", "330106", "total"])
        #expect(
            prefecture["330106", "beds"] == "2060" && prefecture["330106", "social_beds"] == "20"
                && prefecture["330106", "social_share_pct"] == "1.0")

        let county = try Sheet(r.run("report.social-beds", ["region": "330106"]), "by_region")
        #expect(county.keys == ["330106", "total"] && county["total", "institutions"] == "3")

        // Closed institutions hold no approved beds.
        try r.run("institution.close", ["institution": w.hangzhouSocial, "on": "2026-03-02"])
        let after = try Sheet(r.run("report.social-beds", ["region": "330100"]), "by_region")
        #expect(after.keys == ["330106", "total"] && after["total", "social_beds"] == "20")
    }

    @Test func readersSeeTheirOwnRegionOnly() throws {
        let (r, _, _) = try bedsWorld()
        let mine = try r.run("report.social-beds", as: "hz-reg", [:])
        #expect(mine.summary("region") == "330100")
        #expect(r.refusal("report.social-beds", as: "hz-reg", ["region": "330000"]) == "permission.denied")
        #expect(r.refusal("report.multisite", as: "js-reg", ["region": "330106"]) == "permission.denied")
        #expect(r.refusal("report.processing", as: "clinic-hr", [:]) == "permission.denied")
        #expect(r.refusal("report.credit", as: "zj-analyst", ["region": "330203"]) == nil)
        #expect(r.refusal("report.studios", ["region": "339999"]) == "input.region")
    }

    @Test func multisiteCountsFlowsByHostOwnership() throws {
        let (r, w, ningbo) = try bedsWorld()
        let (a, _) = try r.registeredPhysician(301, at: w.provincial)  // public primary
        let (b, _) = try r.registeredPhysician(302, at: w.clinic)  // social primary
        let (c, _) = try r.registeredPhysician(303, at: w.nanjingHospital, region: "320102")
        func file(_ p: String, _ at: String, _ no: String, from: String = "2026-03-02", to: String = "2027-03-01")
            throws
        {
            try r.run("filing.add", ["physician": p, "institution": at, "contract_no": no, "from": from, "to": to])
        }
        try file(a, w.clinic, "A1")  // public → social, 330106
        try file(a, w.hangzhouSocial, "A2")  // public → social, 330102
        try file(a, ningbo, "A3")  // public → social, 330203
        try file(b, w.township, "B1")  // social → public, 330106
        try file(c, w.nanjingClinic, "C1")  // public → social, 320102
        try file(b, w.hangzhouSocial, "B2", from: "2026-06-01")  // not yet in force on 2026-03-02
        let national = try r.run("report.multisite", [:])
        let byRegion = try Sheet(national, "by_region")
        #expect(byRegion.keys == ["320000", "330000", "total"])
        #expect(byRegion["330000", "physicians"] == "2" && byRegion["330000", "filings"] == "4")
        #expect(
            byRegion["330000", "public_to_social"] == "3" && byRegion["330000", "social_to_public"] == "1"
                && byRegion["330000", "at_social"] == "3")
        #expect(
            byRegion["total", "physicians"] == "3" && byRegion["total", "filings"] == "5"
                && byRegion["total", "social_share_pct"] == "80.0")
        #expect(try Sheet(national, "by_category")["clinical", "filings"] == "5")

        let province = try Sheet(r.run("report.multisite", ["region": "330000"]), "by_region")
        #expect(
            province.keys == ["330100", "330200", "total"] && province["330100", "filings"] == "3"
                && province["330200", "public_to_social"] == "1")
        let county = try Sheet(r.run("report.multisite", ["region": "330106"]), "by_region")
        #expect(
            county.keys == ["330106", "total"] && county["total", "filings"] == "2"
                && county["total", "physicians"] == "2")
        // The daily run precomputes the national figures; the report says when, and --live recounts.
        try r.run("maintain", [:])
        let snapshot = try r.run("report.multisite", [:])
        #expect(snapshot.summary("computed_by") == "daily-run" && snapshot.summary("computed") != "live")
        #expect(
            try Sheet(snapshot, "by_region").rows == byRegion.rows
                && Sheet(snapshot, "by_category").rows == Sheet(national, "by_category").rows)
        let mingji = try r.run(
            "institution.add",
            [
                "name": "南京明基医院", "uscc": Make.creditCode(region: "320102", serial: 41), "region": "320102",
                "ownership": "social", "category": "general-hospital", "beds": 100
            ]
        ).id!
        try file(c, mingji, "C2")
        #expect(try Sheet(r.run("report.multisite", [:]), "by_region")["total", "filings"] == "5")
        let live = try r.run("report.multisite", ["live": true])
        #expect(live.summary("computed") == "live")
        #expect(try Sheet(live, "by_region")["total", "filings"] == "6")
        #expect(try r.run("report.multisite", ["region": "320000"]).summary("computed") == "live")
        // A period reaching June counts the later contract too.
        let period = try Sheet(
            r.run("report.multisite", ["region": "330000", "from": "2026-03-01", "to": "2026-06-30"]), "by_region")
        #expect(period["total", "filings"] == "5" && period["330100", "social_to_social"] == "1")
    }

    @Test func processingCountsWorkingDaysAcrossAHoliday() throws {
        let r = try Registry(today: "2026-05-06")
        let w = try r.world()
        // 清明 2026: Monday 6 April is a holiday (4–5 April is the weekend). A calendar of that one day (the
        // notices that ship with regctl are put aside), so that each count below is known.
        try r.connection.execute("DELETE FROM holiday_calendar")
        try r.connection.execute("INSERT INTO holiday_calendar (day, kind) VALUES ('2026-04-06', 'holiday')")
        func apply(_ n: Int, at: String = w.provincial, on: String, region: String = "330106") throws -> String {
            let p = try r.run(
                "physician.add",
                [
                    "name": "申请人\(n)", "id_number": Make.residentID(region: region, sequence: n),
                    "qualification_no": "Q\(n)", "level": "physician", "category": "clinical"
                ]
            ).id!
            return try r.run("registration.apply", ["physician": p, "institution": at, "scope": ["内科"], "on": on]).id!
        }
        let a = try apply(401, on: "2026-04-01"), b = try apply(402, on: "2026-04-01"),
            e = try apply(403, on: "2026-04-01")
        _ = try apply(404, on: "2026-04-01")  // pending: due 2026-04-30, overdue on 2026-05-06
        _ = try apply(405, on: "2026-04-20")  // pending, not yet due
        let nanjing = try apply(406, at: w.nanjingHospital, on: "2026-04-01", region: "320102")
        try r.run("registration.approve", ["registration": a, "on": "2026-04-08"])  // 2,3,7,8 April: 4 working days
        // 20 working days (21 without the holiday)
        try r.run("registration.approve", ["registration": b, "on": "2026-04-30"])
        try r.run("registration.reject", ["registration": e, "reason": "材料不全", "on": "2026-04-03"])  // 2 working days
        try r.run("registration.approve", ["registration": nanjing, "on": "2026-04-02"])

        let out = try r.run("report.processing", ["region": "330000", "from": "2026-04-01", "to": "2026-04-30"])
        let t = try Sheet(out, "by_region")
        #expect(t.keys == ["330100", "total"])
        #expect(
            t["total", "applications"] == "5" && t["total", "pending"] == "2" && t["total", "approved"] == "2"
                && t["total", "rejected"] == "1")
        #expect(t["total", "decided"] == "3")
        #expect(t["total", "median_working_days"] == "4.0" && t["total", "p90_working_days"] == "16.8")
        #expect(t["total", "within_20_days_pct"] == "100.0" && t["total", "overdue"] == "1")
        let overdue = try Sheet(out, "overdue")
        #expect(overdue.rows.count == 1 && overdue.rows[0][4] == "2026-04-01" && overdue.rows[0][5] == "2026-04-30")
        #expect(overdue.rows[0][6] == "24")  // 20 by 30 April, then 1, 4, 5 and 6 May (May Day is not in this calendar)
        #expect(out.summary("overdue_now") == "1")

        // Without the holiday, B took 21 working days: past the deadline.
        try r.connection.execute("DELETE FROM holiday_calendar")
        let plain = try Sheet(
            r.run("report.processing", ["region": "330000", "from": "2026-04-01", "to": "2026-04-30"]), "by_region")
        #expect(plain["total", "within_20_days_pct"] == "66.7" && plain["total", "median_working_days"] == "5.0")

        let national = try Sheet(r.run("report.processing", ["from": "2026-04-01", "to": "2026-04-30"]), "by_region")
        #expect(
            national.keys == ["320000", "330000", "total"] && national["320000", "median_working_days"] == "1.0"
                && national["total", "applications"] == "6")
    }

    @Test func studiosNursesExpiryAndCredit() throws {
        let r = try Registry(today: "2026-03-02")
        let w = try r.world()
        let x = try r.programmes()
        let (p, reg) = try r.registeredPhysician(501, at: w.provincial)
        try r.run("studio.open", ["physician": p, "host": w.township, "name": "名医工作室", "from": "2026-03-02"])
        try r.run("studio.open", ["physician": p, "host": x.elderly, "name": "颐养工作室", "from": "2026-03-02"])
        let studios = try Sheet(r.run("report.studios", ["region": "330100"]), "by_region")
        // Grassroots institutions in 杭州: clinic, township (330106), community centre (330105); one of them hosts.
        #expect(studios["total", "open_studios"] == "2" && studios["total", "at_elderly_care"] == "1")
        #expect(
            studios["total", "grassroots_institutions"] == "3" && studios["total", "grassroots_hosting"] == "1"
                && studios["total", "hosting_share_pct"] == "33.3")
        #expect(studios["330106", "open_studios"] == "2")

        _ = try r.registeredNurse(601, at: w.provincial, regional: true)
        let (n2, _) = try r.registeredNurse(602, at: w.hangzhouSocial, regional: true)
        _ = try r.registeredNurse(603, at: w.clinic, regional: false)
        try r.run(
            "nurse.file",
            ["nurse": n2, "institution": w.clinic, "contract_no": "N-1", "from": "2026-03-02", "to": "2027-03-01"])
        let nurses = try r.run("report.nurse-pilot", ["region": "330000"])
        let byRegion = try Sheet(nurses, "by_region")
        #expect(
            byRegion["330100", "active_registrations"] == "3" && byRegion["330100", "regional"] == "2"
                && byRegion["330100", "nurses_at_2plus_sites"] == "1")
        #expect(try Sheet(nurses, "pilots").keys == ["330100"])
        #expect(try Sheet(r.run("report.nurse-pilot", ["region": "320000"]), "pilots").rows.isEmpty)

        try r.run(
            "filing.add",
            ["physician": p, "institution": w.clinic, "contract_no": "E-1", "from": "2026-03-02", "to": "2026-03-20"])
        try r.run(
            "filing.add",
            [
                "physician": p, "institution": w.hangzhouSocial, "contract_no": "E-2", "from": "2026-03-02",
                "to": "2026-06-30"
            ])
        let expiring = try r.run("report.expiring", ["region": "330000", "within": 30])
        #expect(try Sheet(expiring, "contracts").rows.map { $0[4] } == ["E-1"])
        #expect(try Sheet(expiring, "contracts").rows[0][6] == "18")
        r.today = CalendarDate(parsing: "2024-01-10")!
        let (_, onLeave) = try r.registeredPhysician(502, at: w.provincial)
        r.today = CalendarDate(parsing: "2026-03-02")!
        try r.run("registration.leave", ["registration": onLeave, "reason": "resigned", "on": "2024-03-20"])
        let leave = try Sheet(r.run("report.expiring", ["within": 30]), "leave_clocks")
        #expect(leave.rows.count == 1 && leave.rows[0][6] == "2026-03-20")

        try r.run("credit.add", ["subject": p, "kind": "blacklist", "on": "2026-03-02", "document": "浙卫罚〔2026〕1号"])
        try r.run("credit.add", ["subject": w.clinic, "kind": "penalty", "on": "2026-03-01", "document": "浙卫罚〔2026〕2号"])
        try r.run("credit.add", ["subject": p, "kind": "penalty", "on": "2026-03-01", "document": "浙卫罚〔2026〕3号"])
        let credit = try r.run("report.credit", ["region": "330100"])
        #expect(try Sheet(credit, "blacklist").rows.map { $0[3] } == ["浙卫罚〔2026〕1号"])
        let follow = try Sheet(credit, "follow_up")
        #expect(
            follow.rows.count == 1 && follow.rows[0][4] == "1" && follow.rows[0][5] == "2" && follow.rows[0][6] == "2")
        let penalties = try Sheet(credit, "penalties_by_institution")
        #expect(Set(penalties.rows.map { [$0[1], $0[3], $0[4]] }) == [["浙江省人民医院", "0", "1"], ["杭州和睦门诊部", "1", "0"]])
        #expect(try Sheet(r.run("report.credit", ["region": "320000"]), "blacklist").rows.isEmpty)
        _ = reg
    }

    @Test func rosterShowsStandingAndMasksForHR() throws {
        let r = try Registry(today: "2026-03-02")
        let w = try r.world()
        r.today = CalendarDate(parsing: "2025-01-01")!
        let (p, _) = try r.registeredPhysician(701, at: w.provincial)
        r.today = CalendarDate(parsing: "2026-03-02")!
        try r.run(
            "filing.add",
            ["physician": p, "institution": w.clinic, "contract_no": "R-1", "from": "2025-01-01", "to": "2027-12-31"])
        let (q, _) = try r.registeredPhysician(702, at: w.clinic)
        _ = q
        let hr = try Sheet(r.run("report.roster", as: "clinic-hr", ["institution": w.clinic]), "roster")
        #expect(hr.rows.count == 2)
        let filed = try #require(hr.rows.first { $0[1] == "filed" })
        #expect(filed[10].hasPrefix("stable"))
        let full = Make.residentID(region: "330106", sequence: 701)
        #expect(filed[3] == ResidentID.mask(full))
        let registrar = try Sheet(r.run("report.roster", as: "hz-reg", ["institution": w.clinic]), "roster")
        #expect(registrar.rows.contains { $0[3] == full })
        #expect(r.refusal("report.roster", as: "clinic-hr", ["institution": w.provincial]) == "permission.denied")
        #expect(r.refusal("report.roster", as: "js-reg", ["institution": w.clinic]) == "permission.denied")
        // HR's refusal names its institution as HR knows it, never by a UUID.
        #expect {
            try r.run("report.roster", as: "clinic-hr", ["institution": w.provincial])
        } throws: { error in
            let message = (error as? RegctlError)?.message ?? ""
            return message.contains("scope: institution 杭州和睦门诊部（\(Make.creditCode(region: "330106", serial: 2))）")
                && !message.contains(w.clinic)
        }

        // A contract imported today that starts next month: not yet on the roster, but listed as starting;
        // on its first day it is on the roster. HR's own institution is the default; the past is refused.
        let (s, _) = try r.registeredPhysician(703, at: w.provincial)
        try r.run(
            "filing.add",
            ["physician": s, "institution": w.clinic, "contract_no": "R-2", "from": "2026-03-20", "to": "2027-03-19"])
        let today = try r.run("report.roster", as: "clinic-hr", [:])
        #expect(try Sheet(today, "roster").rows.count == 2)
        let starting = try Sheet(today, "starting")
        #expect(starting.rows.count == 1 && starting.rows[0][4] == "2026-03-20", "\(starting.rows)")
        #expect(today.report?.summary.contains { $0.0 == "starting" && $0.1 == .int(1) } == true)
        let then = try r.run("report.roster", as: "clinic-hr", ["on": "2026-03-20"])
        #expect(try Sheet(then, "roster").rows.count == 3 && Sheet(then, "starting").rows.isEmpty)
        #expect(r.refusal("report.roster", as: "clinic-hr", ["on": "2026-03-01"]) == "input.date")
        #expect(r.refusal("report.roster", as: "hz-reg", [:]) == "input.missing")
    }

    /// Each report reads only some of the report flags; one given that it does not read is named in a note.
    @Test func flagsAReportDoesNotReadAreNamed() throws {
        let r = try Registry(today: "2026-03-02")
        _ = try r.world()
        let out = try r.run("report.social-beds", ["within": 30, "live": true, "region": "330000"])
        #expect(
            out.notes.map(\.en) == [
                "warning: report social-beds does not use --within, --live; ignored (regctl report social-beds --help lists its options)"
            ])
        #expect(try r.run("report.expiring", ["within": 30]).notes.isEmpty)
        #expect(try r.run("report.multisite", ["live": false]).notes.isEmpty, "a flag left off is not given")
    }
}
