import Testing
import Foundation
import Postgres
import TestSupport

/// Reports, the public lookup and seed, through the binary.
@Suite struct ReportCLITests {
    @Test func lookupNeverPrintsAnIDNumber() throws {
        let db = try TestCluster.database()
        func run(_ args: [String]) -> CLIResult {
            CLI.run(args, database: db.url, environment: ["REGCTL_TODAY": "2026-03-02"])
        }
        func ok(_ args: [String], sourceLocation: SourceLocation = #_sourceLocation) -> String {
            let r = run(args)
            #expect(r.status == 0, "\(args.joined(separator: " ")): \(r)", sourceLocation: sourceLocation)
            return r.stdout.trimmingCharacters(in: .newlines)
        }
        let hospital = ok([
            "institution", "add", "--name", "浙江省人民医院", "--uscc", Make.creditCode(region: "330106", serial: 1),
            "--region", "330106",
            "--ownership", "public", "--category", "general-hospital", "--beds", "100"
        ])
        let clinic = ok([
            "institution", "add", "--name", "和睦门诊部", "--uscc", Make.creditCode(region: "330106", serial: 2), "--region",
            "330106",
            "--ownership", "social", "--category", "outpatient-department", "--beds", "10"
        ])
        _ = ok(["staff", "add", "--id", "clinic-hr", "--name", "人事", "--role", "hr", "--institution", clinic])
        _ = ok(["staff", "add", "--id", "zj-reg", "--name", "登记员", "--role", "registrar", "--region", "330000"])
        let idNumber = Make.residentID(region: "330106", born: "19750312", sequence: 21)
        let p = ok([
            "physician", "add", "--name", "张伟", "--id-number", idNumber.lowercased(), "--qualification-no", "Q21",
            "--level", "physician", "--category", "clinical"
        ])
        let reg = ok(["registration", "apply", "--physician", p, "--institution", hospital, "--scope", "内科"])
        _ = ok(["registration", "approve", reg])
        _ = ok([
            "filing", "add", "--physician", p, "--institution", clinic, "--contract-no", "HT-1", "--from", "2026-03-02",
            "--to", "2027-03-01"
        ])
        _ = ok(["credit", "add", "--subject", p, "--kind", "penalty", "--on", "2026-03-02", "--document", "浙卫罚〔2026〕9号"]
        )
        _ = ok([
            "credit", "add", "--subject", p, "--kind", "warning", "--on", "2026-03-02", "--document", "内部警告〔2026〕1号"
        ])
        let certificate = ok(["physician", "show", p, "--format", "json"]).components(
            separatedBy: "\"certificate_no\":\"")[1].prefix(15)

        var outputs: [String] = []
        for query in [["--name", "张伟"], ["--name", "张伟", "--region", "330106"], ["--certificate", String(certificate)]]
        {
            for format in ["table", "json", "csv", "html"] {
                for actor in [[], ["--as", "clinic-hr"], ["--as", "zj-reg"]] {
                    // CSV is one table a run (RFC 4180): read every section.
                    var text = ""
                    for section in format == "csv"
                        ? [["--section", "physicians"], ["--section", "practice"], ["--section", "credit"]] : [[]]
                    {
                        let r = run(["lookup", "physician"] + query + ["--format", format] + actor + section)
                        #expect(r.status == 0, "\(query) \(format) \(actor): \(r)")
                        text += r.stdout + r.stderr
                    }
                    outputs.append(text)
                }
            }
        }
        for text in outputs {
            #expect(
                !text.contains(idNumber) && !text.contains(idNumber.prefix(17))
                    && !text.contains(ResidentIDMask.masked(idNumber)))
            #expect(!text.contains("1975-03-12") && !text.contains("19750312"))
            #expect(text.contains("张伟") && text.contains("和睦门诊部") && text.contains("浙卫罚〔2026〕9号"))
            #expect(!text.contains("内部警告"))  // warnings are not public (R-61)
        }
        let json =
            try JSONSerialization.jsonObject(
                with: Data(ok(["lookup", "physician", "--certificate", String(certificate), "--format", "json"]).utf8))
            as? [String: Any]
        #expect((json?["practice"] as? [[String: Any]])?.count == 2)

        let missing = run(["lookup", "physician", "--name", "无此人"])
        #expect(missing.status == 1 && missing.stderr.hasPrefix("error[physician.not-found]"))
        #expect(run(["lookup", "physician", "--name", "张伟", "--certificate", String(certificate)]).status == 64)
        #expect(run(["lookup", "physician", "--certificate", "12345"]).status == 64)
    }

    @Test func reportsInEveryFormat() throws {
        let db = try TestCluster.database()
        let env = ["REGCTL_TODAY": "2026-11-29"]
        let seeded = CLI.run(["seed", "--scale", "demo", "--seed", "3"], database: db.url, environment: env)
        #expect(seeded.status == 0, "\(seeded)")
        for report in ["multisite", "social-beds", "processing", "studios", "nurse-pilot", "expiring", "credit"] {
            for region in ["330000", "330100", "330106"] {
                let table = CLI.run(["report", report, "--region", region], database: db.url, environment: env)
                #expect(
                    table.status == 0 && table.stdout.contains("  region: \(region)\n"), "\(report) \(region): \(table)"
                )
                let json = CLI.run(
                    ["report", report, "--region", region, "--format", "json"], database: db.url, environment: env)
                let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
                #expect(object?["region"] as? String == region, "\(report) \(region)")
                let csv = CLI.run(
                    ["report", report, "--region", region, "--format", "csv"], database: db.url, environment: env)
                #expect(csv.status == 0 && csv.stdout.hasSuffix("\r\n"))
                let html = CLI.run(
                    ["report", report, "--region", region, "--format", "html"], database: db.url, environment: env)
                #expect(html.stdout.hasPrefix("<!DOCTYPE html>") && html.stdout.contains("</html>"))
                #expect(
                    !html.stdout.contains("<script") && !html.stdout.contains("<link") && !html.stdout.contains("src="))
            }
        }
        let beds = CLI.run(["report", "social-beds", "--format", "html"], database: db.url, environment: env).stdout
        #expect(beds.contains("<svg") && beds.contains("target 25%") && beds.contains("stroke-dasharray"))
        let zhBeds = CLI.run(
            ["report", "social-beds", "--format", "html"], database: db.url,
            environment: env.merging(["REGCTL_LANG": "zh"]) { $1 }
        ).stdout
        #expect(zhBeds.contains("目标 25%") && zhBeds.contains("社会办医疗机构床位占比") && !zhBeds.contains("target"))
        // One section when named, plain RFC 4180 (the byte-order mark for Excel is checked in the files below).
        let csv = CLI.run(
            ["report", "social-beds", "--region", "330000", "--format", "csv", "--section", "by_region"],
            database: db.url, environment: env
        ).stdout
        #expect(
            csv.hasPrefix(
                "region,name,institutions,social_institutions,beds,social_beds,social_share_pct,meets_25pct\r\n"))
        let plain = CLI.run(
            [
                "report", "social-beds", "--region", "330000", "--format", "csv", "--section", "figures", "--encoding",
                "utf-8"
            ],
            database: db.url, environment: env
        ).stdout
        #expect(plain.hasPrefix("figure,value\r\nregion,330000\r\n"), "\(plain)")
        // Any command's output as a page: a list is a table.
        let regions = CLI.run(
            ["region", "list", "--parent", "330000", "--format", "html"], database: db.url, environment: env
        ).stdout
        #expect(regions.hasPrefix("<!DOCTYPE html>") && regions.contains("<td>杭州市</td>"))
        // CSV without --section: every section, the figures first, each under its heading after a blank line.
        let processing = CLI.run(
            ["report", "processing", "--region", "330000", "--format", "csv"], database: db.url, environment: env
        ).stdout
        #expect(processing.hasPrefix("Figures\r\nfigure,value\r\nregion,330000\r\n"), "\(processing)")
        #expect(
            processing.contains("\r\n\r\n\"Applications made ") && processing.contains("\r\nregion,name,applications,"))
        #expect(processing.contains("\r\n\r\nPending past the 20-working-day deadline"))
        // With --output DIR, a file per section.
        let dir = NSTemporaryDirectory() + "regctl-sections-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let written = CLI.run(
            ["report", "processing", "--region", "330000", "--format", "csv", "--output", dir], database: db.url,
            environment: env)
        #expect(written.status == 0 && written.stdout.isEmpty, "\(written)")
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == [
                "by_region.csv", "figures.csv", "overdue.csv"
            ])
        let table = CLI.run(
            ["report", "processing", "--region", "330000", "--output", dir], database: db.url, environment: env)
        #expect(
            table.status == 64 && table.stderr.hasPrefix("error[input.file]: --output: ")
                && table.stderr.contains("is a directory"), "only a report's CSV goes to a directory: \(table)")
        let byRegion = try Data(contentsOf: URL(fileURLWithPath: dir + "/by_region.csv"))
        #expect(byRegion.starts(with: [0xEF, 0xBB, 0xBF] + Array("region,name,applications,".utf8)))
        // GB18030 for older Excel: 指标,值 is D6B8 B1EA 2C D6B5, no byte-order mark.
        let gbk = CLI.run(
            [
                "report", "processing", "--region", "330000", "--format", "csv", "--section", "figures", "--encoding",
                "gbk",
                "--lang", "zh", "--output", dir + "/gbk.csv"
            ],
            database: db.url, environment: env)
        #expect(gbk.status == 0, "\(gbk)")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: dir + "/gbk.csv"))
        #expect(Array(bytes.prefix(9)) == [0xD6, 0xB8, 0xB1, 0xEA, 0x2C, 0xD6, 0xB5, 0x0D, 0x0A])
        // JSON stays UTF-8 whatever --encoding says (RFC 8259), and so does a page (charset=utf-8).
        let utf8JSON = CLI.run(
            ["report", "processing", "--region", "330000", "--format", "json", "--encoding", "gbk"], database: db.url,
            environment: env)
        #expect(utf8JSON.status == 0 && utf8JSON.stdout.contains("\"region_name\":\"浙江省\""), "\(utf8JSON)")
        let overdue = CLI.run(
            ["report", "processing", "--region", "330000", "--format", "csv", "--section", "overdue"], database: db.url,
            environment: env
        ).stdout
        #expect(
            overdue.hasPrefix(
                "registration,physician,institution,practice_region,applied_on,due_on,working_days_waiting\r\n"))
        let json = CLI.run(
            ["report", "credit", "--format", "json", "--section", "blacklist"], database: db.url, environment: env
        ).stdout
        #expect(json.contains("\"blacklist\":[") && !json.contains("\"follow_up\""))
        let noSuch = CLI.run(["report", "credit", "--section", "nothing"], database: db.url, environment: env)
        #expect(
            noSuch.status == 64 && noSuch.stderr.hasPrefix("error[input.section]")
                && noSuch.stderr.contains("blacklist, follow_up, penalties_by_institution"))
        let bad = CLI.run(["report", "expiring", "--within", "-3"], database: db.url, environment: env)
        #expect(bad.status == 64 && bad.stderr.contains("--within"))
        let period = CLI.run(
            ["report", "processing", "--from", "2026-05-01", "--to", "2026/4/1"], database: db.url, environment: env)
        #expect(period.status == 64 && period.stderr.hasPrefix("error[input.period]"))
    }

    @Test func seedIsReproducible() throws {
        func seeded(_ seed: Int) throws -> (TestDatabase, [String: String]) {
            let db = try TestCluster.database()
            let r = CLI.run(
                ["seed", "--scale", "demo", "--seed", String(seed), "--as-of", "2026-11-29", "--format", "json"],
                database: db.url, environment: [:])
            #expect(r.status == 0, "\(r)")
            let connection = try db.connect()
            var sums: [String: String] = [:]
            for table in [
                "institution", "physician", "registration", "filing", "studio", "nurse", "nurse_registration",
                "nurse_filing", "pilot", "credit_record"
            ] {
                sums[table] = try connection.query(
                    SQL(
                        unsafeSQL:
                            "SELECT count(*) || ':' || md5(string_agg(t::text, '|' ORDER BY t.id)) FROM \(table) t"))[0]
                    .decode(0, as: String.self)
            }
            sums["event"] = try connection.query(
                "SELECT count(*) || ':' || md5(string_agg(t::text, '|' ORDER BY t.id)) FROM event t WHERE actor = 'seed'"
            )[0]
            .decode(0, as: String.self)
            // The data keeps the rules' invariants: valid ID numbers and credit codes, one live registration per region.
            #expect(
                try connection.query(
                    "SELECT count(*) FROM physician WHERE sex <> CASE WHEN substr(id_number, 17, 1)::int % 2 = 1 THEN 'M' ELSE 'F' END"
                )[0].decode(0, as: Int.self) == 0)
            #expect(
                try connection.query(
                    "SELECT count(*) FROM physician WHERE birth_date <> to_date(substr(id_number, 7, 8), 'YYYYMMDD')")[
                        0
                    ].decode(0, as: Int.self) == 0)
            #expect(try connection.query("SELECT count(*) FROM certificate_serial")[0].decode(0, as: Int.self) > 0)
            let again = CLI.run(["seed", "--scale", "demo"], database: db.url, environment: [:])
            #expect(again.status == 1 && again.stderr.hasPrefix("error[seed.not-empty]"))
            return (db, sums)
        }
        let (_, first) = try seeded(11)
        let (_, second) = try seeded(11)
        let (_, other) = try seeded(12)
        #expect(first == second)
        #expect(
            first["physician"]!.hasPrefix("9000:") && first["institution"]!.hasPrefix("2000:")
                && first["nurse"]!.hasPrefix("11000:"))
        #expect(first["physician"] != other["physician"] && first["filing"] != other["filing"])
    }
}

/// R-72's masked form, computed here so the test does not trust the code under test.
enum ResidentIDMask {
    static func masked(_ id: String) -> String {
        String(id.prefix(6)) + String(repeating: "*", count: 8) + String(id.suffix(4))
    }
}
