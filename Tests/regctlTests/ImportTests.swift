import Testing
import Foundation
import Postgres
import Dates
import TestSupport
import API
#if canImport(Glibc)
    import Glibc
#endif

/// A deterministic generator for test data.
struct TestRandom {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

func temporaryFile(_ name: String, _ data: Data) throws -> String {
    let path = NSTemporaryDirectory() + "regctl-\(UUID().uuidString)-\(name)"
    try data.write(to: URL(fileURLWithPath: path))
    return path
}

func gbk(_ text: String) -> Data {
    let input = try! temporaryFile("in.txt", Data(text.utf8))
    let output = input + ".gbk"
    let r = CLI.spawn(
        ["/usr/bin/iconv", "-f", "UTF-8", "-t", "GB18030", "-o", output, input], environment: [:], stdin: "")
    precondition(r.status == 0, "iconv: \(r.stderr)")
    return FileManager.default.contents(atPath: output)!
}

/// The errors report's rows: line, column, value, code, message (then the row as sent, left out here).
func errorsReport(_ path: String) throws -> [[String]] {
    let bytes = try #require(FileManager.default.contents(atPath: path))
    #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF], "UTF-8 with BOM, so that Excel opens it")
    let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
    #expect(text.hasPrefix("line,column,value,code,message,"))
    let reader = try CSVReader(path: path, encoding: .utf8)
    var rows: [[String]] = []
    _ = try reader.next()
    while let record = try reader.next() { rows.append(Array(record.fields.prefix(5))) }
    return rows
}

@Suite struct ImportTests {
    static let header = "contract_no,id_number,institution,from,to,scope,action\n"

    /// The same 2,000 mixed contract rows through `exec` and through `import contracts`:
    /// the same filings and the same error code on every row.
    @Test func importMatchesExecRowForRow() throws {
        let viaExec = try TestCluster.database(), viaImport = try TestCluster.database()
        for db in [viaExec, viaImport] {
            try BulkWorld.seed(try db.connect(), physicians: 60, clinics: 20, existing: 40)
        }
        var random = TestRandom(state: 2026)
        var csv = Self.header
        var lines: [String] = []
        var ended = Set<Int>()
        for n in 1...2000 {
            let p = 1 + random.below(60), clinic = 1 + random.below(20)
            let start = CalendarDate(parsing: "2026-01-01")!.adding(days: random.below(500))
            var id = BulkWorld.physicianID(p), inst = BulkWorld.clinicCode(clinic)
            var from = start.description, to = start.adding(days: 30 + random.below(300)).description
            var contract = "C-\(n)", action = "A"
            switch random.below(20) {
            case 0: inst = BulkWorld.nanjingClinic  // filing.outside-region
            case 1: inst = BulkWorld.hospitalCode(1 + p % 5)  // filing.primary-institution
            case 2: from = "2024-06-01"  // filing.before-registration
            case 3: to = "2026-02-30"  // input.date
            case 4: id = String(id.prefix(17)) + (id.last == "1" ? "2" : "1")  // input.id-number
            case 5: id = Make.residentID(region: "330102", born: "19700101", sequence: n % 1000)  // not-found
            case 6: (from, to) = (to, from)  // input.period
            case 7, 8:  // end a pre-existing contract
                let k = 1 + random.below(40)
                if ended.contains(k) { break }
                ended.insert(k)
                contract = "PRE-\(k)"
                action = "R"
                id = BulkWorld.physicianID(k)
                inst = BulkWorld.clinicCode(1 + (k - 1) % 20)
                to = CalendarDate(parsing: "2026-03-01")!.adding(days: random.below(200)).description
            case 9:
                contract = "NONE-\(n)"
                action = "R"  // not-found
            default: break
            }
            csv += "\(contract),\(id),\(inst),\(from),\(to),,\(action)\n"
            if action == "R" {
                lines.append(
                    #"{"command": "filing.end", "as": "zj-reg", "args": {"institution": "\#(inst)", "contract_no": "\#(contract)", "on": "\#(to)"}}"#
                )
            } else {
                lines.append(
                    #"{"command": "filing.add", "as": "zj-reg", "args": {"physician": "\#(id)", "institution": "\#(inst)", "contract_no": "\#(contract)", "from": "\#(from)", "to": "\#(to)"}}"#
                )
            }
        }
        let env = ["REGCTL_TODAY": "2026-03-02"]
        let exec = CLI.run(["exec"], database: viaExec.url, stdin: lines.joined(separator: "\n"), environment: env)
        #expect(exec.status == 0, "\(exec.stderr)")
        let execCodes: [String?] = exec.stdout.split(separator: "\n").map { line in
            let object = try! JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            return object["ok"] as? Bool == true ? nil : ((object["error"] as! [String: Any])["code"] as! String)
        }
        #expect(execCodes.count == 2000)

        let file = try temporaryFile("contracts.csv", Data(csv.utf8))
        let errors = file + ".errors.csv"
        let imp = CLI.run(
            ["import", "contracts", file, "--errors", errors, "--as", "zj-reg"], database: viaImport.url,
            environment: env)
        #expect(imp.status == 3, "\(imp.stderr)")
        var importCodes = [String?](repeating: nil, count: 2000)
        for row in try errorsReport(errors) { importCodes[Int(row[0])! - 2] = row[3] }
        var mismatches = 0
        for i in 0..<2000 where execCodes[i] != importCodes[i] {
            mismatches += 1
            if mismatches <= 5 {
                Issue.record("row \(i + 2): exec \(execCodes[i] ?? "ok"), import \(importCodes[i] ?? "ok")")
            }
        }
        #expect(mismatches == 0)
        #expect(
            Set(execCodes.compactMap { $0 }).count >= 8,
            "the mix covers many refusals: \(Set(execCodes.compactMap { $0 }))")
        #expect(try BulkWorld.filingState(try viaExec.connect()) == BulkWorld.filingState(try viaImport.connect()))
        #expect(
            try viaImport.connect().query("SELECT count(*) FROM filing WHERE status = 'active'")[0].decode(
                0, as: Int.self) > 300)
    }

    @Test func encodingsShapesAndPhysicalLineNumbers() throws {
        let db = try TestCluster.database()
        try BulkWorld.seed(try db.connect(), physicians: 10, clinics: 5)
        let p1 = BulkWorld.physicianID(1), p2 = BulkWorld.physicianID(2), p3 = BulkWorld.physicianID(3)
        // GBK, Chinese headers in another order, CRLF, a quoted field with a comma, a quote and a line break, a blank trailing line.
        let text =
            "身份证号,合同编号,机构统一社会信用代码,开始日期,结束日期,执业范围\r\n"
            + "\(p1),\"HT-1,\"\"甲\"\"\r\n第二行\",\(BulkWorld.clinicCode(1)),2026/3/2,2027/3/1,内科\r\n"  // lines 2-3
            + "\(p2),HT-2,\(BulkWorld.clinicCode(2)),2026-03-02,2026-02-30,\r\n"  // line 4: bad date
            // line 5: scope not in registration
            + "\(p3.lowercased()),HT-3,\(BulkWorld.clinicCode(3)),2026-03-02,2027-03-01,外科\r\n"
            + "\r\n"
        let file = try temporaryFile("gbk.csv", gbk(text))
        let errors = file + ".errors.csv"
        let r = CLI.run(
            ["import", "contracts", file, "--errors", errors, "--format", "json"], database: db.url,
            environment: ["REGCTL_TODAY": "2026-03-02"])
        #expect(r.status == 3, "\(r)")
        let summary = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        #expect(
            summary["encoding"] as? String == "gbk" && summary["read"] as? Int == 3 && summary["added"] as? Int == 1
                && summary["rejected"] as? Int == 2)
        let rows = try errorsReport(errors)
        #expect(rows.map { [$0[0], $0[1], $0[3]] } == [["4", "结束日期", "input.date"], ["5", "执业范围", "input.scope"]])
        let contract = try db.connect().query("SELECT contract_no FROM filing")[0].decode(0, as: String.self)
        #expect(contract == "HT-1,\"甲\"\n第二行")

        // The same rows as UTF-8 with BOM and LF, read with --encoding auto: the same outcome (all unchanged or rejected now).
        let utf8 = try temporaryFile(
            "bom.csv", Data(("\u{FEFF}" + text.replacingOccurrences(of: "\r\n", with: "\n")).utf8))
        let again = CLI.run(
            ["import", "contracts", utf8, "--format", "json"], database: db.url,
            environment: ["REGCTL_TODAY": "2026-03-02"])
        let s2 = try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as! [String: Any]
        #expect(s2["encoding"] as? String == "utf-8" && s2["unchanged"] as? Int == 1 && s2["rejected"] as? Int == 2)
        #expect(again.stderr.contains("line 4, 结束日期"))
    }

    @Test func reimportChangesNothingAndOmittedRowsEndNothing() throws {
        let db = try TestCluster.database()
        try BulkWorld.seed(try db.connect(), physicians: 50, clinics: 10)
        var csv = Self.header
        for i in 1...50 {
            csv += "R-\(i),\(BulkWorld.physicianID(i)),\(BulkWorld.clinicCode(1 + i % 10)),2026-03-02,2027-03-01,,A\n"
        }
        let file = try temporaryFile("c.csv", Data(csv.utf8))
        let env = ["REGCTL_TODAY": "2026-03-02"]
        let first = CLI.run(["import", "contracts", file, "--format", "csv"], database: db.url, environment: env)
        #expect(first.status == 0 && first.stdout.contains(",50,50,0,0,0,"), "\(first)")
        let second = CLI.run(["import", "contracts", file, "--format", "csv"], database: db.url, environment: env)
        #expect(second.status == 0 && second.stdout.contains(",50,0,0,0,50,0,"), "\(second)")
        // A later file without most rows ends nothing; R ends one, a changed end date updates another.
        let later =
            Self.header + "R-1,\(BulkWorld.physicianID(1)),\(BulkWorld.clinicCode(2)),,2026-06-30,,R\n"
            + "R-2,\(BulkWorld.physicianID(2)),\(BulkWorld.clinicCode(3)),2026-03-02,2026-12-31,,A\n"
        let third = CLI.run(
            ["import", "contracts", try temporaryFile("later.csv", Data(later.utf8)), "--format", "csv"],
            database: db.url, environment: env)
        #expect(third.status == 0 && third.stdout.contains(",2,0,1,1,0,0,"), "\(third)")
        let c = try db.connect()
        #expect(try c.query("SELECT count(*) FROM filing WHERE status = 'active'")[0].decode(0, as: Int.self) == 49)
        #expect(
            try c.query("SELECT ended_on::text FROM filing WHERE contract_no = 'R-1'")[0].decode(0, as: String.self)
                == "2026-06-30")
        #expect(
            try c.query("SELECT valid_to::text FROM filing WHERE contract_no = 'R-2'")[0].decode(0, as: String.self)
                == "2026-12-31")
        // Each accepted row has the event its command would write; each import one more.
        #expect(try c.query("SELECT count(*) FROM event WHERE command = 'filing.add'")[0].decode(0, as: Int.self) == 50)
        #expect(
            try c.query("SELECT count(*) FROM event WHERE command = 'import.contracts'")[0].decode(0, as: Int.self) == 3
        )
    }

    @Test func modesDryRunAllOrNothingAndDuplicates() throws {
        let db = try TestCluster.database()
        try BulkWorld.seed(try db.connect(), physicians: 5, clinics: 3)
        let csv =
            Self.header
            + "D-1,\(BulkWorld.physicianID(1)),\(BulkWorld.clinicCode(1)),2026-03-02,2027-03-01,,\n"
            + "D-2,\(BulkWorld.physicianID(2)),\(BulkWorld.clinicCode(2)),2026-03-02,2027-03-01,,\n"
            + "D-1,\(BulkWorld.physicianID(3)),\(BulkWorld.clinicCode(1)),2026-03-02,2027-03-01,,\n"
        let file = try temporaryFile("d.csv", Data(csv.utf8))
        let env = ["REGCTL_TODAY": "2026-03-02"]
        let count = { try db.connect().query("SELECT count(*) FROM filing")[0].decode(0, as: Int.self) }
        let dry = CLI.run(["import", "contracts", file, "--dry-run"], database: db.url, environment: env)
        #expect(
            dry.status == 3 && dry.stdout.contains("dry run") && dry.stderr.contains("error[import.duplicate-row]"),
            "\(dry)")
        #expect(try count() == 0)
        let all = CLI.run(["import", "contracts", file, "--all-or-nothing"], database: db.url, environment: env)
        #expect(all.status == 3 && all.stdout.contains("nothing committed"))
        #expect(try count() == 0)
        let partial = CLI.run(["import", "contracts", file], database: db.url, environment: env)
        #expect(partial.status == 3)
        #expect(try count() == 2)
    }

    @Test func headerProblemsStopBeforeAnyRow() throws {
        let db = try TestCluster.database()
        try BulkWorld.seed(try db.connect(), physicians: 2, clinics: 2)
        let unknown = try temporaryFile(
            "h.csv",
            Data(
                "contract_no,id_number,institution,from,to,salary\nX,\(BulkWorld.physicianID(1)),\(BulkWorld.clinicCode(1)),2026-03-02,2027-03-01,1\n"
                    .utf8))
        let r = CLI.run(["import", "contracts", unknown], database: db.url)
        // An unknown column is ignored (and listed in the summary); a required one missing stops the file.
        #expect(r.status == 0 && r.stdout.contains("ignored_columns") && r.stdout.contains("salary"), "\(r)")
        try db.connect().execute("DELETE FROM filing")
        let missing = try temporaryFile(
            "m.csv", Data("合同编号,身份证号,开始日期,结束日期\nX,\(BulkWorld.physicianID(1)),2026-03-02,2027-03-01\n".utf8))
        let m = CLI.run(["import", "contracts", missing], database: db.url)
        #expect(m.status == 1 && m.stderr.contains("missing column institution (机构统一社会信用代码)"))
        #expect(try db.connect().query("SELECT count(*) FROM filing")[0].decode(0, as: Int.self) == 0)
        // An errors report that cannot be written stops the import before it commits anything.
        let good = try temporaryFile(
            "g.csv",
            Data(
                "contract_no,id_number,institution,from,to\nG-1,\(BulkWorld.physicianID(1)),\(BulkWorld.clinicCode(1)),2026-03-02,2027-03-01\n"
                    .utf8))
        let unwritable = CLI.run(
            ["import", "contracts", good, "--errors", "/nonexistent-dir/errors.csv"], database: db.url,
            environment: ["REGCTL_TODAY": "2026-03-02"])
        #expect(
            unwritable.status == 64 && unwritable.stderr.hasPrefix("error[input.file]: --errors: ")
                && unwritable.stderr.contains("nothing was imported"), "\(unwritable)")
        #expect(try db.connect().query("SELECT count(*) FROM filing")[0].decode(0, as: Int.self) == 0)
        let absent = CLI.run(["import", "contracts", "/nonexistent.csv"], database: db.url)
        #expect(absent.status == 64 && absent.stderr.hasPrefix("error[import.file]"))
        let binary = try temporaryFile(
            "b.csv", Data([0x63, 0x6F, 0x6E, 0x74, 0x0A, 0xFF, 0xFE, 0x80, 0x81, 0xFF, 0x0A]))
        let b = CLI.run(["import", "contracts", binary], database: db.url)
        #expect(b.status == 1 && b.stderr.hasPrefix("error[import.encoding]"), "\(b)")
    }

    /// Standard input through a pipe imports like a file; a directory is a usage error; a file that
    /// changes encoding is refused with its line and imports nothing; the errors report cuts long values
    /// and keeps formulas inert.
    @Test func pipesDirectoriesMixedFilesAndHostileCells() throws {
        let db = try TestCluster.database()
        let env = ["REGCTL_TODAY": "2026-03-02", "DATABASE_URL": db.url, "REGCTL_HOME": TestCluster.home]
        let header = "统一社会信用代码,机构名称,区划代码,举办主体,营利性,机构类别,核定床位\n"
        let one = header + "\(Make.creditCode(region: "330106", serial: 801)),转塘卫生院,330106,公立,否,乡镇卫生院,20\n"
        let file = try temporaryFile("i.csv", Data(one.utf8))
        let piped = CLI.spawn(
            ["/bin/sh", "-c", "cat \"$1\" | \"$0\" import institutions - --format csv", CLI.binary, file],
            environment: env, stdin: "")
        #expect(piped.status == 0 && piped.stdout.contains(",1,1,0,0,0,0,"), "\(piped)")
        let stdin = CLI.spawn(
            ["/bin/sh", "-c", "cat \"$1\" | \"$0\" import institutions /dev/stdin --format csv", CLI.binary, file],
            environment: env, stdin: "")
        #expect(stdin.status == 0 && stdin.stdout.contains(",1,0,0,0,1,0,"), "\(stdin)")
        let directory = CLI.run(["import", "institutions", NSTemporaryDirectory()], database: db.url, environment: env)
        #expect(
            directory.status == 64 && directory.stderr.hasPrefix("error[import.file]")
                && directory.stderr.contains("directory"), "\(directory)")
        // UTF-8, then a line saved as GBK: refused at line 3, nothing imported, and the refusal is an event.
        let mixed =
            Data((header + "\(Make.creditCode(region: "330106", serial: 802)),西湖医院,330106,公立,否,综合医院,20\n").utf8)
            + gbk("\(Make.creditCode(region: "330106", serial: 803)),拱墅医院,330106,公立,否,综合医院,20\n")
        let m = CLI.run(
            ["import", "institutions", try temporaryFile("m.csv", mixed)], database: db.url, environment: env)
        #expect(m.status == 1 && m.stderr.hasPrefix("error[import.encoding]") && m.stderr.contains("line 3"), "\(m)")
        let c = try db.connect()
        #expect(try c.query("SELECT count(*) FROM institution")[0].decode(0, as: Int.self) == 1)
        #expect(
            try c.query(
                "SELECT count(*) FROM event WHERE command = 'import.institutions' AND error_code = 'import.encoding'")[
                    0
                ].decode(0, as: Int.self) == 1)
        // A formula and a very long value in rejected rows: inert and cut in the report.
        let hostile =
            header
            + "\(Make.creditCode(region: "330106", serial: 804)),=HYPERLINK(\"http://evil.example\"),330106,公立,否,综合医院,-5\n"
            + "\(Make.creditCode(region: "330106", serial: 805)),某医院,330106,公立,否,综合医院,\(String(repeating: "9", count: 5000))\n"
        let errors = NSTemporaryDirectory() + "errors-\(UUID().uuidString).csv"
        defer { try? FileManager.default.removeItem(atPath: errors) }
        let h = CLI.run(
            ["import", "institutions", try temporaryFile("h.csv", Data(hostile.utf8)), "--errors", errors],
            database: db.url, environment: env)
        #expect(h.status == 3, "\(h)")
        let report = try String(contentsOfFile: errors, encoding: .utf8)
        #expect(!report.contains(",-5,") && report.contains("'-5"), "\(report)")
        // The value cut at 200 characters, the row as sent (the clerk's own, to correct) at 1,000 a field.
        #expect(report.utf8.count < 3000 && report.contains("…(5000 characters)"), "\(report.utf8.count) bytes")
        // On stderr (no --errors), a cell holding an escape sequence is shown escaped, never run by the terminal.
        let escape = header + "\(Make.creditCode(region: "330106", serial: 806)),某医院,330106,公立,否,综合医院,\u{1B}[2J5\n"
        let e = CLI.run(
            ["import", "institutions", try temporaryFile("e.csv", Data(escape.utf8))], database: db.url,
            environment: env)
        #expect(e.status == 3 && !e.stderr.contains("\u{1B}") && e.stderr.contains("\\u{1B}[2J5"), "\(e)")
    }

    @Test func hrImportsOnlyForItsInstitution() throws {
        let db = try TestCluster.database()
        try BulkWorld.seed(try db.connect(), physicians: 4, clinics: 3)
        let csv =
            Self.header
            + "H-1,\(BulkWorld.physicianID(1)),\(BulkWorld.clinicCode(1)),2026-03-02,2027-03-01,,\n"
            + "H-2,\(BulkWorld.physicianID(2)),\(BulkWorld.clinicCode(2)),2026-03-02,2027-03-01,,\n"
        let r = CLI.run(
            ["import", "contracts", try temporaryFile("hr.csv", Data(csv.utf8)), "--as", "hr-1"], database: db.url,
            environment: ["REGCTL_TODAY": "2026-03-02"])
        #expect(r.status == 3 && r.stderr.contains("line 3") && r.stderr.contains("error[permission.denied]"), "\(r)")
        let inst = CLI.run(
            [
                "import", "institutions",
                try temporaryFile("i.csv", Data("uscc,name,region,ownership,for_profit,category,beds\n".utf8)), "--as",
                "hr-1"
            ], database: db.url)
        #expect(inst.status == 1 && inst.stderr.hasPrefix("error[permission.denied]"))
    }

    @Test func otherKindsWithChineseValues() throws {
        let db = try TestCluster.database()
        try BulkWorld.seed(try db.connect(), physicians: 2, clinics: 1)
        let env = ["REGCTL_TODAY": "2026-03-02"]
        let institutions =
            "统一社会信用代码,机构名称,区划代码,举办主体,营利性,机构类别,核定床位,执业许可证登记号\n"
            + "\(Make.creditCode(region: "330106", serial: 777)),转塘街道社区卫生服务中心,330106,公立,否,社区卫生服务中心,20,PDY-777\n"
            + "\(Make.creditCode(region: "330106", serial: 778)),坏床位,330106,社会办,是,诊所,-1,\n"
        let i = CLI.run(
            ["import", "institutions", try temporaryFile("i.csv", gbk(institutions)), "--format", "csv"],
            database: db.url, environment: env)
        #expect(i.status == 3 && i.stdout.contains(",2,1,0,0,0,1,") && i.stderr.contains("error[input.beds]"), "\(i)")
        let newID = Make.residentID(region: "330106", born: "19880808", sequence: 555)
        let physicians = "身份证号,姓名,资格证书编码,级别,类别\n\(newID.lowercased()),赵敏,Q-555,执业医师,临床\n"
        let p = CLI.run(
            ["import", "physicians", try temporaryFile("p.csv", Data(physicians.utf8)), "--format", "csv"],
            database: db.url, environment: env)
        #expect(p.status == 0 && p.stdout.contains(",1,1,0,0,0,"), "\(p)")
        let regs =
            "身份证号,机构统一社会信用代码,执业范围,申请日期\n\(newID),\(Make.creditCode(region: "330106", serial: 777)),内科;全科医学,2026/3/1\n"
        let rr = CLI.run(
            ["import", "registrations", try temporaryFile("r.csv", Data(regs.utf8)), "--format", "csv"],
            database: db.url, environment: env)
        #expect(rr.status == 0 && rr.stdout.contains(",1,1,0,0,0,"), "\(rr)")
        let again = CLI.run(
            ["import", "registrations", try temporaryFile("r.csv", Data(regs.utf8)), "--format", "csv"],
            database: db.url, environment: env)
        #expect(again.status == 0 && again.stdout.contains(",1,0,0,0,1,0,"), "\(again)")
        let leaves =
            "身份证号,机构统一社会信用代码,原因,日期\n\(BulkWorld.physicianID(1)),\(BulkWorld.hospitalCode(2)),辞职,2026-03-02\n\(BulkWorld.physicianID(2)),\(BulkWorld.hospitalCode(1)),退休,2026-03-02\n"
        let l = CLI.run(
            ["import", "leaves", try temporaryFile("l.csv", Data(leaves.utf8)), "--format", "csv"], database: db.url,
            environment: env)
        #expect(
            l.status == 3 && l.stdout.contains(",2,1,0,0,0,1,") && l.stderr.contains("error[registration.not-active]"),
            "\(l)")
    }

    /// SIGKILL in the middle of a 200,000-row import leaves the database as it was; the next run completes.
    @Test func killedImportLeavesNothingAndCanBeRerun() throws {
        let db = try TestCluster.database()
        try BulkWorld.seed(try db.connect(), physicians: 2000, clinics: 100)
        var csv = Self.header
        csv.reserveCapacity(200_000 * 90)
        for i in 1...2000 {
            for j in 1...100 {
                csv += "K-\(i)-\(j),\(BulkWorld.physicianID(i)),\(BulkWorld.clinicCode(j)),2026-03-02,2027-03-01,,\n"
            }
        }
        let file = try temporaryFile("big.csv", Data(csv.utf8))
        var env = ProcessInfo.processInfo.environment
        env["DATABASE_URL"] = db.url
        env["REGCTL_TODAY"] = "2026-03-02"
        env["REGCTL_HOME"] = TestCluster.home
        let argv: [String] = [CLI.binary, "import", "contracts", file]
        let cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        let cEnv: [UnsafeMutablePointer<CChar>?] = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for p in cArgs + cEnv { free(p) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var pid: pid_t = 0
        #expect(posix_spawn(&pid, CLI.binary, &actions, nil, cArgs, cEnv) == 0)
        posix_spawn_file_actions_destroy(&actions)
        // Kill it once it is writing: when the server shows its COPY into filing under way, or after 3 s.
        let c = try db.connect()
        let deadline = Date().addingTimeInterval(3)
        while Date() < deadline {
            let copying = try c.query(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = \(db.name) AND query LIKE 'COPY filing%'")[0]
                .decode(0, as: Int.self)
            if copying > 0 { break }
            usleep(20_000)
        }
        var status: Int32 = 0
        #expect(waitpid(pid, &status, WNOHANG) == 0, "the import finished before it could be killed")
        kill(pid, SIGKILL)
        waitpid(pid, &status, 0)
        // The server notices the lost client and rolls the transaction back.
        Thread.sleep(forTimeInterval: 0.5)
        #expect(try c.query("SELECT count(*) FROM filing")[0].decode(0, as: Int.self) == 0)
        #expect(
            try c.query("SELECT count(*) FROM event WHERE command LIKE 'import.%' OR command = 'filing.add'")[0].decode(
                0, as: Int.self) == 0)
        let rerun = CLI.run(
            ["import", "contracts", file, "--format", "csv"], database: db.url,
            environment: ["REGCTL_TODAY": "2026-03-02"])
        #expect(rerun.status == 0 && rerun.stdout.contains(",200000,200000,0,0,0,"), "\(rerun)")
    }
}
