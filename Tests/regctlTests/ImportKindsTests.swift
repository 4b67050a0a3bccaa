import Dates
import Foundation
import Postgres
import Testing
import TestSupport

/// Every kind of import against its command through `exec`: the same rows, mixed with refusals, give the
/// same code on every row and the same records (the batch shape decides with the commands' own functions).
@Suite struct ImportKindsTests {
    static let env = ["REGCTL_TODAY": "2026-03-02"]

    /// Runs `rows` (a CSV line and the exec line of the same request) through exec on one database and
    /// through `import KIND` on another, seeded alike; compares the codes row by row and `state` on both.
    static func compare(
        _ kind: String, header: String, rows: [(csv: String, exec: String)], seed: (Connection) throws -> Void,
        state: String, expectAccepted: Int
    ) throws {
        let viaExec = try TestCluster.database(), viaImport = try TestCluster.database()
        for db in [viaExec, viaImport] { try seed(try db.connect()) }
        let exec = CLI.run(
            ["exec"], database: viaExec.url, stdin: rows.map(\.exec).joined(separator: "\n"), environment: env)
        #expect(exec.status == 0, "\(exec.stderr)")
        let execCodes: [String?] = exec.stdout.split(separator: "\n").map { line in
            let object = try! JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            return object["ok"] as? Bool == true ? nil : ((object["error"] as! [String: Any])["code"] as! String)
        }
        #expect(execCodes.count == rows.count)
        let file = try temporaryFile(
            "\(kind).csv", Data((header + rows.map(\.csv).joined(separator: "\n") + "\n").utf8))
        let errors = file + ".errors.csv"
        let imp = CLI.run(
            ["import", kind, file, "--errors", errors, "--as", "zj-reg"], database: viaImport.url, environment: env)
        #expect(imp.status == 0 || imp.status == 3, "\(imp.stderr)")
        var importCodes = [String?](repeating: nil, count: rows.count)
        if FileManager.default.fileExists(atPath: errors) {
            for row in try errorsReport(errors) { importCodes[Int(row[0])! - 2] = row[3] }
        }
        var mismatches = 0
        for i in 0..<min(rows.count, execCodes.count) where execCodes[i] != importCodes[i] {
            mismatches += 1
            if mismatches <= 5 {
                Issue.record("\(kind) row \(i + 2): exec \(execCodes[i] ?? "ok"), import \(importCodes[i] ?? "ok")")
            }
        }
        #expect(mismatches == 0)
        #expect(execCodes.filter { $0 == nil }.count == expectAccepted, "\(Set(execCodes.compactMap { $0 }))")
        #expect(
            Set(execCodes.compactMap { $0 }).count >= 3, "the mix covers refusals: \(Set(execCodes.compactMap { $0 }))")
        let read = { (db: TestDatabase) throws -> [String] in
            try db.connect().query(SQL(unsafeSQL: state)).map { try $0.decode(0, as: String.self) }
        }
        #expect(try read(viaExec) == read(viaImport))
    }

    static func exec(_ command: String, _ args: [String: String]) -> String {
        let object: [String: Any] = ["command": command, "as": "zj-reg", "args": args]
        return String(
            decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    @Test func institutionsAsInstitutionAdd() throws {
        var rows: [(String, String)] = []
        var accepted = 0
        for n in 1...120 {
            var uscc = Make.creditCode(region: "330106", serial: 40_000 + n, kind: n % 2 == 0 ? "12" : "52")
            var region = "330106", ownership = n % 2 == 0 ? "公立" : "社会办", forProfit = "否", beds = "\(n)"
            switch n % 10 {
            case 1: region = "330100"  // a prefecture: input.region
            case 2: region = "339999"  // no such region: input.region
            case 3: region = "320106"  // Jiangsu, outside zj-reg: permission.denied
            case 4: beds = "-1"  // input.beds
            case 5: (ownership, forProfit) = ("公立", "是")  // input.for-profit
            case 6: uscc = String(uscc.dropLast()) + (uscc.last == "0" ? "1" : "0")  // institution.uscc-check
            default: accepted += 1
            }
            let name = "测试机构\(n)"
            rows.append(
                (
                    "\(uscc),\(name),\(region),\(ownership),\(forProfit),诊所,\(beds)",
                    Self.exec(
                        "institution.add",
                        [
                            "uscc": uscc, "name": name, "region": region, "ownership": ownership,
                            "for_profit": forProfit, "category": "诊所", "beds": beds
                        ])
                ))
        }
        try Self.compare(
            "institutions", header: "uscc,name,region,ownership,for_profit,category,beds\n", rows: rows,
            seed: { try BulkWorld.seed($0, physicians: 2, clinics: 2) },
            state:
                "SELECT concat_ws('|', uscc, name, region, ownership, for_profit, category, beds) FROM institution ORDER BY uscc",
            expectAccepted: accepted)
    }

    @Test func physiciansAsPhysicianAdd() throws {
        var rows: [(String, String)] = []
        var accepted = 0
        for n in 1...120 {
            var id = Make.residentID(region: "330106", born: "19850101", sequence: n)
            var level = n % 3 == 0 ? "执业助理医师" : "执业医师", category = "临床", name = "新医师\(n)"
            switch n % 10 {
            case 1: id = String(id.prefix(17)) + (id.last == "1" ? "2" : "1")  // input.id-number
            case 2: id = Make.residentID(region: "330106", born: "20300101", sequence: n)  // born after today
            case 3: level = "主任"  // input.level
            case 4: category = "兽医"  // input.category
            case 5: name = ""  // input.missing
            default: accepted += 1
            }
            rows.append(
                (
                    "\(id),\(name),Q-\(n),\(level),\(category)",
                    Self.exec(
                        "physician.add",
                        [
                            "id_number": id, "name": name, "qualification_no": "Q-\(n)", "level": level,
                            "category": category
                        ]
                        .filter { !$0.value.isEmpty })
                ))
        }
        try Self.compare(
            "physicians", header: "id_number,name,qualification_no,level,category\n", rows: rows,
            seed: { try BulkWorld.seed($0, physicians: 2, clinics: 2) },
            state:
                "SELECT concat_ws('|', id_number, name, qualification_no, level, category) FROM physician ORDER BY id_number",
            expectAccepted: accepted)
    }

    /// Physicians without registrations (BulkWorld registers its own), for applications.
    static func unregistered(_ c: Connection, _ count: Int) throws {
        try c.copyIn(
            "COPY physician (id, id_number, name, sex, birth_date, qualification_no, level, category) FROM STDIN"
        ) {
            w in
            for k in 1...count {
                let id = Make.residentID(region: "330106", born: "19900101", sequence: k)
                try w.appendRow([
                    UUID().uuidString, id, "待注册\(k)", Int(String(Array(id)[16]))! % 2 == 1 ? "M" : "F", "1990-01-01",
                    "QN\(k)", k % 4 == 0 ? "assistant" : "physician", "clinical"
                ])
            }
        }
    }

    @Test func registrationsAsRegistrationApply() throws {
        var rows: [(String, String)] = []
        for n in 1...150 {
            // Two rows for many physicians: the second meets the first (R-11 in the same region, R-21 for assistants).
            let k = 1 + (n - 1) % 100
            var id = Make.residentID(region: "330106", born: "19900101", sequence: k)
            var inst = BulkWorld.hospitalCode(1 + (n + n / 100) % 5), scope = "内科", applied = "2026-02-1\(n % 10)"
            switch n % 12 {
            case 1: inst = BulkWorld.nanjingClinic  // outside zj-reg's region
            case 2: applied = "2026-04-01"  // input.future-date
            case 3: id = Make.residentID(region: "330106", born: "19910101", sequence: n)  // not-found
            case 4: scope = "兽医学"  // input.scope
            case 5: inst = Make.creditCode(region: "330106", serial: 99_999)  // no such institution
            default: break
            }
            rows.append(
                (
                    "\(id),\(inst),\(scope),\(applied)",
                    Self.exec(
                        "registration.apply", ["physician": id, "institution": inst, "scope": scope, "on": applied])
                ))
        }
        let viaExecAccepted = try Self.acceptedCount(rows.map(\.1)) {
            try BulkWorld.seed($0, physicians: 2, clinics: 2)
            try Self.unregistered($0, 100)
        }
        try Self.compare(
            "registrations", header: "id_number,institution,scope,applied_on\n", rows: rows,
            seed: {
                try BulkWorld.seed($0, physicians: 2, clinics: 2)
                try Self.unregistered($0, 100)
            },
            state: """
                SELECT concat_ws('|', p.id_number, i.uscc, r.region, array_to_string(r.scopes, ';'), r.status, r.is_home, r.applied_on)
                FROM registration r JOIN physician p ON p.id = r.physician JOIN institution i ON i.id = r.institution
                ORDER BY 1
                """,
            expectAccepted: viaExecAccepted)
        #expect(viaExecAccepted > 50)
    }

    @Test func leavesAsRegistrationLeave() throws {
        var rows: [(String, String)] = []
        var accepted = 0
        for i in 1...80 {
            let id = BulkWorld.physicianID(i), inst = BulkWorld.hospitalCode(1 + i % 5)
            var reason = i % 3 == 0 ? "退休" : "辞职", on = "2026-0\(1 + i % 2)-1\(i % 10)"
            switch i % 9 {
            case 1: reason = "出国"  // input.reason
            case 2: on = "2026-05-01"  // input.future-date
            case 3: on = "2026-02-30"  // input.date
            default: accepted += 1
            }
            let registration = BulkWorld.registrationID(i)
            let english = LeavesImportReasons.english[reason] ?? reason
            rows.append(
                (
                    "\(id),\(inst),\(reason),\(on)",
                    Self.exec("registration.leave", ["registration": registration, "reason": english, "on": on])
                ))
        }
        try Self.compare(
            "leaves", header: "id_number,institution,reason,on\n", rows: rows,
            seed: { try BulkWorld.seed($0, physicians: 80, clinics: 10, existing: 60) },
            state: """
                SELECT concat_ws('|', p.id_number, r.status, r.leave_since, r.leave_reason, p.status,
                                 (SELECT string_agg(concat_ws(':', f.contract_no, f.status, f.ended_on, f.end_reason), ',' ORDER BY f.contract_no)
                                  FROM filing f WHERE f.registration = r.id))
                FROM registration r JOIN physician p ON p.id = r.physician ORDER BY 1
                """,
            expectAccepted: accepted)
    }

    /// How many of `lines` exec accepts on a database seeded by `seed` (for mixes whose acceptance depends
    /// on order).
    static func acceptedCount(_ lines: [String], seed: (Connection) throws -> Void) throws -> Int {
        let db = try TestCluster.database()
        try seed(try db.connect())
        let exec = CLI.run(["exec"], database: db.url, stdin: lines.joined(separator: "\n"), environment: env)
        return exec.stdout.split(separator: "\n").filter { $0.contains("\"ok\":true") }.count
    }
}

/// The Chinese reasons of a leaves file in R-17's words, as the import reads them.
enum LeavesImportReasons {
    static let english = [
        "退休": "retired", "辞职": "resigned", "离职": "resigned", "解聘": "dismissed", "辞退": "dismissed", "开除": "dismissed",
        "调动": "transferred", "调离": "transferred", "调出": "transferred"
    ]
}

/// Chunks are where an import's memory is bounded: a small chunk size must give the same answer as one chunk.
@Suite struct ImportChunkTests {
    /// Duplicates across chunks, rejections decided in different chunks and read-time rejections all come
    /// out complete and in line order, the same as with one chunk for the whole file.
    @Test func smallChunksAnswerAsOneChunk() throws {
        var csv = ImportTests.header
        for n in 1...300 {
            let p = 1 + n % 40, clinic = 1 + n % 10
            var id = BulkWorld.physicianID(p), contract = "S-\(n)", to = "2026-12-31"
            switch n % 7 {
            case 0: contract = "S-\(n - 50)"  // a duplicate of a row several chunks back (or an earlier one)
            case 1: id = String(id.prefix(17)) + (id.last == "1" ? "2" : "1")  // input.id-number, at parse
            case 2: to = "2025-01-01"  // input.period
            default: break
            }
            csv +=
                "\(contract),\(id),\(BulkWorld.clinicCode(clinic)),2026-03-02,\(to),,\(n % 50 == 0 ? ",extra" : "")\n"
        }
        var reports: [String] = []
        for chunk in ["7", "100000"] {
            let db = try TestCluster.database()
            try BulkWorld.seed(try db.connect(), physicians: 40, clinics: 10)
            let file = try temporaryFile("s.csv", Data(csv.utf8))
            let errors = file + ".errors.csv"
            let r = CLI.run(
                ["import", "contracts", file, "--errors", errors, "--format", "csv"], database: db.url,
                environment: ["REGCTL_TODAY": "2026-03-02", "REGCTL_IMPORT_CHUNK_ROWS": chunk])
            #expect(r.status == 3, "\(r)")
            let rows = try errorsReport(errors)
            let lines = rows.map { Int($0[0])! }
            #expect(lines == lines.sorted(), "in line order")
            #expect(rows.contains { $0[3] == "import.duplicate-row" } && rows.contains { $0[3] == "import.columns" })
            reports.append(try String(contentsOfFile: errors, encoding: .utf8))
            reports.append(
                try db.connect().query("SELECT string_agg(contract_no, ',' ORDER BY contract_no) FROM filing")[0]
                    .decode(0, as: String.self))
        }
        #expect(reports[0] == reports[2], "the same rejections, whatever the chunk size")
        #expect(reports[1] == reports[3], "the same filings, whatever the chunk size")
    }
}
