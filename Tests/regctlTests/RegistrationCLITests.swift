import Testing
import Foundation
import TestSupport

/// Every command of the registration issue, run as a user runs it: the binary, its output and exit code.
@Suite struct RegistrationCLITests {
    final class Session: CLISession {
        func count(_ table: String) throws -> Int {
            try count("SELECT count(*) FROM \(identifier: table)")
        }
    }

    @Test func wholeSessionThroughTheBinary() throws {
        let s = try Session()
        let hospitalCode = Make.creditCode(region: "330106", serial: 1)
        // Each account gets a database login; its generated password is printed this once.
        let added = s.ok([
            "staff", "add", "--id", "zj-reg", "--name", "王登记", "--role", "registrar", "--region", "330000"
        ])
        let lines = added.split(separator: "\n").map(String.init)
        #expect(
            lines.count == 2 && lines[0] == "zj-reg" && lines[1].hasPrefix("password: ") && lines[1].count == 30,
            "\(added)")
        #expect(
            s.ok(
                [
                    "staff", "add", "--id", "js-reg", "--name", "李登记", "--role", "registrar", "--region", "320000",
                    "--password-stdin"
                ],
                stdin: "a-long-enough-password\n") == "js-reg")
        #expect(s.ok(["staff", "list", "--format", "csv"]).contains("zj-reg,王登记,registrar,330000,浙江省,,true"))
        let hospital = s.ok(
            [
                "institution", "add", "--name", "浙江省人民医院", "--uscc", hospitalCode, "--region", "330106", "--ownership",
                "public",
                "--category", "general-hospital", "--beds", "2000", "--license-no", "PDY001"
            ], as: "zj-reg")
        #expect(UUID(uuidString: hospital) != nil)
        let clinic = s.ok(
            [
                "institution", "add", "--name", "杭州和睦门诊部", "--uscc", Make.creditCode(region: "330106", serial: 2),
                "--region", "330106",
                "--ownership", "social", "--for-profit", "--category", "outpatient-department", "--beds", "10"
            ], as: "zj-reg")
        let other = s.ok(
            [
                "institution", "add", "--name", "西湖社区卫生服务中心", "--uscc", Make.creditCode(region: "330106", serial: 3),
                "--region", "330106",
                "--ownership", "public", "--category", "community-health-center", "--beds", "30"
            ], as: "zj-reg")
        let show = s.ok(["institution", "show", hospitalCode, "--format", "json"])
        let shown = try JSONSerialization.jsonObject(with: Data(show.utf8)) as! [String: Any]
        #expect(
            shown["name"] as? String == "浙江省人民医院" && shown["beds"] as? Int == 2000
                && shown["grassroots"] as? Bool == false)
        #expect(s.ok(["institution", "list", "--region", "330100", "--ownership", "social"]).contains("杭州和睦门诊部"))
        #expect(!s.ok(["institution", "list", "--region", "330100", "--ownership", "social"]).contains("浙江省人民医院"))

        let idNumber = Make.residentID(sequence: 21)
        let physician = s.ok(
            [
                "physician", "add", "--name", "张伟", "--id-number", idNumber, "--qualification-no", "Q-21", "--level",
                "physician", "--category", "clinical"
            ], as: "zj-reg")
        let reg = s.ok(
            ["registration", "apply", "--physician", idNumber, "--institution", hospital, "--scope", "内科"], as: "zj-reg"
        )
        #expect(UUID(uuidString: reg) != nil)
        let approve = s.ok(["registration", "approve", reg, "--format", "json"], as: "zj-reg")
        #expect(approve.contains(#""certificate_no":"110330000000001""#))
        let filing = s.ok(
            [
                "filing", "add", "--physician", physician, "--institution", clinic, "--contract-no", "HM-2026-01",
                "--from", "2026/3/2", "--to", "2027-03-01"
            ], as: "zj-reg")
        let filings = s.ok(["filing", "list", "--physician", idNumber, "--format", "csv"])
        #expect(filings.contains("HM-2026-01,2026-03-02,2027-03-01,,active,,,false"))
        #expect(s.ok(["physician", "show", idNumber], as: "zj-reg").contains(idNumber))
        #expect(!s.ok(["physician", "show", idNumber], as: "js-reg").contains(idNumber))
        #expect(s.ok(["physician", "list", "--region", "330106", "--format", "csv"]).contains("张伟"))
        #expect(s.ok(["registration", "show", reg]).contains("110330000000001"))
        #expect(
            s.ok(["registration", "list", "--region", "330000", "--status", "active", "--format", "csv"]).contains(reg))

        // Change, leave, back, end, cancel.
        #expect(
            s.ok(
                ["registration", "change", reg, "--scope", "内科", "--institution", other, "--on", "2026-04-01"],
                as: "zj-reg", today: "2026-04-01"
            ).contains("active"))
        #expect(
            s.ok(["filing", "end", filing, "--on", "2026-09-30", "--reason", "合同提前终止"], as: "zj-reg").contains(
                "2026-09-30"))
        #expect(
            s.ok(
                ["registration", "leave", reg, "--reason", "resigned", "--on", "2026-10-01"], as: "zj-reg",
                today: "2026-10-01"
            ).contains("2028-10-01"))
        #expect(
            s.ok(
                ["registration", "cancel", reg, "--reason", "own-application", "--on", "2026-11-01"], as: "zj-reg",
                today: "2026-11-01"
            ).contains("cancelled"))

        // A second application, rejected; a retirement; suspension and reinstatement; closing.
        let second = s.ok(
            ["registration", "apply", "--physician", idNumber, "--institution", hospital, "--scope", "内科"],
            as: "zj-reg", today: "2026-11-02")
        #expect(
            s.ok(["registration", "reject", second, "--reason", "材料不全"], as: "zj-reg", today: "2026-11-03").contains(
                "rejected"))
        #expect(
            s.ok(["physician", "retire", idNumber, "--on", "2026-12-01"], as: "zj-reg", today: "2026-12-01").contains(
                "retired"))
        #expect(s.ok(["institution", "suspend", clinic, "--on", "2026-05-01"], as: "zj-reg").contains("suspended"))
        #expect(s.ok(["institution", "reinstate", clinic, "--on", "2026-06-01"], as: "zj-reg").contains("active"))
        #expect(s.ok(["institution", "close", clinic, "--on", "2026-12-31"], as: "zj-reg").contains("closed"))

        #expect(
            s.ok(["policy", "set", "--province", "330000", "--max-active-filings", "5"], as: "zj-reg").contains("5"))
        #expect(s.ok(["policy", "list", "--format", "csv"]).contains("330000,浙江省,5"))
        #expect(s.run(["policy", "set", "--province", "330100", "--max-active-filings", "5"]).status == 64)
        let events = s.ok(["events", "list", "--format", "csv"])
        #expect(events.contains("registration.approve,accepted"))
        #expect(events.contains("institution.close,accepted"))
        #expect(
            s.ok(["events", "list", "--subject", reg, "--format", "csv"]).components(separatedBy: "\r\n").count >= 6)
    }

    @Test func calendarImportFeedsTheDeadline() throws {
        let s = try Session()
        let file = NSTemporaryDirectory() + "calendar-\(UUID().uuidString).csv"
        try
            "date,kind\r\n2026-04-04,holiday\r\n2026-04-05,holiday\r\n2026-04-06,holiday\r\n2026-05-01,holiday\r\n2026-05-09,workday\r\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        #expect(s.ok(["calendar", "import", file, "--format", "csv"]).contains("5,4,1"))
        let hospital = s.ok([
            "institution", "add", "--name", "医院", "--uscc", Make.creditCode(region: "330106", serial: 9), "--region",
            "330106",
            "--ownership", "public", "--category", "general-hospital", "--beds", "1"
        ])
        let id = Make.residentID(sequence: 31)
        _ = s.ok([
            "physician", "add", "--name", "陈", "--id-number", id, "--qualification-no", "Q31", "--level", "physician",
            "--category", "clinical"
        ])
        // Applied Wed 2026-04-01: 20 working days, skipping Mon 04-06 (清明), → 2026-04-30.
        let apply = s.ok(
            [
                "registration", "apply", "--physician", id, "--institution", hospital, "--scope", "内科", "--on",
                "2026-04-01", "--format", "json"
            ], today: "2026-04-01")
        #expect(apply.contains(#""decision_due":"2026-04-30""#), "\(apply)")
        let bad = NSTemporaryDirectory() + "calendar-bad-\(UUID().uuidString).csv"
        try "2026-04-04,holiday\n2026-02-30,holiday\n".write(toFile: bad, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: bad) }
        let r = s.run(["calendar", "import", bad])
        #expect(r.status == 64 && r.stderr.contains("error[input.date]") && r.stderr.contains("line 2"))
    }

    /// The State Council's notices ship with regctl (migration 0011): a new registry counts 春节 and 国庆 from
    /// its first day; a GBK file with Chinese headers and words loads like an English one.
    @Test func theCalendarShipsAndLoadsAsOfficesWriteIt() throws {
        let s = try Session()
        let year = s.ok(["calendar", "list", "--year", "2026", "--format", "csv"]).components(separatedBy: "\r\n")
        #expect(year.first == "on,weekday,kind")
        #expect(year.contains("2026-02-15,Sun,holiday") && year.contains("2026-02-23,Mon,holiday"))
        #expect(
            year.filter { $0.hasSuffix(",workday") } == [
                "2026-01-04,Sun,workday", "2026-02-14,Sat,workday", "2026-02-28,Sat,workday", "2026-05-09,Sat,workday",
                "2026-09-20,Sun,workday", "2026-10-10,Sat,workday"
            ])
        // 2020: 春节 extended to 2 February (国办发明电〔2020〕1号), the Saturday first set to be worked included.
        #expect(s.ok(["calendar", "list", "--year", "2020", "--format", "csv"]).contains("2020-02-01,Sat,holiday"))
        for year in 2018...2026 {
            let days = s.ok(["calendar", "list", "--year", String(year), "--format", "csv"])
                .components(separatedBy: "\r\n").filter { $0.hasPrefix("\(year)-") }
            #expect(days.count >= 25, "\(year): \(days.count) days")
        }
        let zh = CLI.run(["calendar", "list", "--year", "2026", "--lang", "zh"], database: s.db.url)
        #expect(zh.stdout.hasPrefix("日期") && zh.stdout.contains("2026-02-14  周六  调休上班"), "\(zh)")
        let file = NSTemporaryDirectory() + "calendar-gbk-\(UUID().uuidString).csv"
        defer { try? FileManager.default.removeItem(atPath: file) }
        try gbk("类型,日期\r\n放假,2027-01-01\r\n上班,2027-01-04\r\n").write(to: URL(fileURLWithPath: file))
        #expect(s.ok(["calendar", "import", file, "--format", "csv"]).contains("2,1,1"))
        #expect(s.ok(["calendar", "list", "--year", "2027", "--format", "csv"]).contains("2027-01-04,Mon,workday"))
        let empty = s.run(["calendar", "list", "--year", "2030"])
        #expect(empty.status == 0 && empty.stderr.contains("no day is loaded for 2030"))
    }

    /// Pending applications show their deadline (R-15, with 春节 2026 off and its two Saturdays worked) and
    /// whether it has passed; `--overdue` keeps those past it.
    @Test func pendingApplicationsShowTheirDeadline() throws {
        let s = try Session()
        let hospital = s.ok([
            "institution", "add", "--name", "医院", "--uscc", Make.creditCode(region: "330106", serial: 19), "--region",
            "330106", "--ownership", "public", "--category", "general-hospital", "--beds", "1"
        ])
        for (n, day) in [(41, "2026-02-10"), (42, "2026-03-02")] {
            let id = Make.residentID(sequence: n)
            _ = s.ok([
                "physician", "add", "--name", "申请人\(n)", "--id-number", id, "--qualification-no", "Q\(n)", "--level",
                "physician", "--category", "clinical"
            ])
            _ = s.ok(
                ["registration", "apply", "--physician", id, "--institution", hospital, "--scope", "内科", "--on", day],
                today: day)
        }
        let pending = s.ok(["registration", "list", "--status", "pending", "--format", "csv"], today: "2026-03-20")
            .components(separatedBy: "\r\n")
        #expect(pending[0].hasSuffix(",applied_on,effective_on,decision_due,overdue"))
        #expect(pending[1].hasSuffix(",2026-02-10,,2026-03-16,true"), "\(pending)")
        #expect(pending[2].hasSuffix(",2026-03-02,,2026-03-30,false"), "\(pending)")
        let overdue = s.ok(["registration", "list", "--overdue", "--format", "csv"], today: "2026-03-20")
            .components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(overdue.count == 2 && overdue[1].contains("申请人41"), "\(overdue)")
        #expect(
            s.ok(["registration", "list", "--overdue", "--format", "csv"], today: "2026-03-16")
                .components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 1, "due today is not overdue")
        s.refused(["registration", "list", "--overdue", "--status", "active"], 64, "input.status")
    }

    @Test func badInputIsAUsageErrorNamingTheFlag() throws {
        let s = try Session()
        let cases: [([String], String, String)] = [
            (
                [
                    "physician", "add", "--name", "x", "--id-number", "330106197503120024", "--qualification-no", "q",
                    "--level", "physician", "--category", "clinical"
                ], "input.id-number", "--id-number"
            ),
            (
                [
                    "physician", "add", "--name", "x", "--id-number", Make.residentID(sequence: 1),
                    "--qualification-no", "q", "--level", "chief", "--category", "clinical"
                ], "input.level", "--level"
            ),
            (
                [
                    "institution", "add", "--name", "x", "--uscc", "123", "--region", "330106", "--ownership", "public",
                    "--category", "clinic", "--beds", "1"
                ], "input.uscc", "--uscc"
            ),
            (
                [
                    "institution", "add", "--name", "x", "--uscc", Make.creditCode(region: "330106", serial: 5),
                    "--region", "33010", "--ownership", "public", "--category", "clinic", "--beds", "1"
                ], "input.region", "--region"
            ),
            (
                [
                    "institution", "add", "--name", "x", "--uscc", Make.creditCode(region: "330106", serial: 5),
                    "--region", "330106", "--ownership", "public", "--for-profit", "--category", "clinic", "--beds", "1"
                ], "input.for-profit", "--for-profit"
            ),
            (
                [
                    "filing", "add", "--physician", "p", "--institution", "i", "--contract-no", "c", "--from",
                    "2026-02-30", "--to", "2027-01-01"
                ], "input.date", "--from"
            ),
            (
                [
                    "registration", "leave", "00000000-0000-0000-0000-000000000000", "--reason", "holiday", "--on",
                    "2026-01-01"
                ], "input.reason", "--reason"
            ),
            // a run of digits past any date's length once overflowed the parser (SIGILL, exit 132)
            (["events", "list", "--since", "99999999999999999999"], "input.date", "--since")
        ]
        for (args, code, flag) in cases {
            let r = s.run(args)
            #expect(r.status == 64, "\(args): \(r)")
            #expect(r.stderr.hasPrefix("error[\(code)]: \(flag)"), "\(args): \(r.stderr)")
            #expect(r.stdout.isEmpty)
            #expect(!r.stderr.contains("330106197503120024"))
        }
        #expect(try s.count("physician") == 0 && s.count("institution") == 0)
    }

    @Test func refusedCommandLeavesTheDatabaseUnchanged() throws {
        let s = try Session()
        let hospital = s.ok([
            "institution", "add", "--name", "医院", "--uscc", Make.creditCode(region: "330106", serial: 1), "--region",
            "330106",
            "--ownership", "public", "--category", "general-hospital", "--beds", "100"
        ])
        let id = Make.residentID(sequence: 41)
        _ = s.ok([
            "physician", "add", "--name", "周", "--id-number", id, "--qualification-no", "Q41", "--level", "physician",
            "--category", "clinical"
        ])
        let r = s.run(["registration", "apply", "--physician", id, "--institution", hospital, "--scope", "内科,外科"])
        #expect(r.status == 1)
        #expect(
            r.stderr.hasPrefix(
                "error[registration.scope-count]: more than one scope is allowed only when the primary institution is grassroots"
            ))
        #expect(try s.count("registration") == 0)
        let missing = s.run(["registration", "approve", "5b0e8a1e-0000-4000-8000-000000000000"])
        #expect(missing.status == 1 && missing.stderr.hasPrefix("error[not-found]"))
        let unknown = s.run(["physician", "show", Make.residentID(sequence: 42)])
        #expect(unknown.status == 1 && unknown.stderr.contains("330106********"))
        let nobody = s.run(["staff", "list"], as: "nobody")
        #expect(nobody.status == 1 && nobody.stderr.hasPrefix("error[permission.denied]"))
    }
}
