import Foundation
import Spreadsheet
import Testing
import TestSupport

/// Excel workbooks in and out, as an office uses them: files written by LibreOffice and by openpyxl
/// (Tests/Fixtures/xlsx, made by make-fixtures.py there), and regctl's own workbooks read back by openpyxl.
@Suite struct WorkbookCLITests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/xlsx").path

    /// A Python that has openpyxl (scripts/test installs it): the PATH's, else the system's.
    static let python: String? = {
        for candidate in ["python3", "/usr/bin/python3"] {
            let r = CLI.spawn(
                ["/usr/bin/env", candidate, "-c", "import openpyxl"], environment: ProcessInfo.processInfo.environment,
                stdin: "")
            if r.status == 0 { return candidate }
        }
        return nil
    }()

    /// What openpyxl reads in a workbook: per sheet, its title and rows of (value, type, number format).
    static func openpyxl(_ path: String) throws -> [[String: Any]] {
        let python = try #require(Self.python, "openpyxl is needed: scripts/test installs it with pip")
        let script = """
            import json, sys, openpyxl
            wb = openpyxl.load_workbook(sys.argv[1])
            print(json.dumps([{"title": ws.title, "rows": [[[c.value, type(c.value).__name__, c.number_format]
                for c in row] for row in ws.iter_rows()]} for ws in wb]))
            """
        let r = CLI.spawn(
            ["/usr/bin/env", python, "-c", script, path], environment: ProcessInfo.processInfo.environment, stdin: "")
        #expect(r.status == 0, "\(r)")
        return try #require(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
    }

    static func folder() throws -> String {
        let dir = NSTemporaryDirectory() + "regctl-xlsx-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func importsWorkbooksFromTwoWritersAndAnErrorsReportToSendBack() throws {
        let db = try TestCluster.database()
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let env = ["REGCTL_TODAY": "2026-03-02", "REGCTL_LANG": "zh"]

        // openpyxl: the first sheet by default; 序号 and 备注 ignored; an ID typed into a number cell refused
        // with its hint; a blank row skipped; rich text read as its text.
        let errors = dir + "/错误.xlsx"
        let r = CLI.run(
            [
                "import", "physicians", Self.fixtures + "/physicians-openpyxl.xlsx", "--errors", errors, "--format",
                "json"
            ],
            database: db.url, environment: env)
        #expect(r.status == 3, "\(r)")
        let summary = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        #expect(summary?["sheet"] as? String == "医师名单" && summary?["read"] as? Int == 3, "\(r)")
        #expect(summary?["added"] as? Int == 2 && summary?["rejected"] as? Int == 1, "\(r)")
        #expect(summary?["ignored_columns"] as? [String] == ["序号", "备注"])
        let mode = try FileManager.default.attributesOfItem(atPath: errors)[.posixPermissions] as? Int
        #expect(mode == 0o600, "the errors report holds personal data: its owner's alone")

        let sheets = try Self.openpyxl(errors)
        #expect(sheets.count == 1 && sheets[0]["title"] as? String == "错误")
        let rows = try #require(sheets[0]["rows"] as? [[[Any]]])
        #expect(
            rows[0].map { $0[0] as? String }
                == ["行号", "列", "值", "错误代码", "说明", "序号", "姓名", "公民身份号码", "医师资格证书编码", "医师级别", "执业类别", "备注"])
        #expect(rows[1][0][0] as? Int == 3, "the line is the sheet's row number, a number")
        #expect(rows[1][1][0] as? String == "公民身份号码" && rows[1][3][0] as? String == "input.id-number")
        #expect((rows[1][4][0] as? String)?.contains("设置为文本格式") == true, "\(rows[1])")
        #expect(
            rows[1][6][0] as? String == "赵敏" && rows[1][7][2] as? String == "@", "the row as sent, ID column as text")

        // LibreOffice: shared strings; the person already imported is unchanged, the other added.
        let lo = CLI.run(
            ["import", "physicians", Self.fixtures + "/physicians-libreoffice.xlsx", "--format", "json"],
            database: db.url, environment: env)
        let loSummary = try JSONSerialization.jsonObject(with: Data(lo.stdout.utf8)) as? [String: Any]
        #expect(lo.status == 0 && loSummary?["added"] as? Int == 1 && loSummary?["unchanged"] as? Int == 1, "\(lo)")
        let names = CLI.run(["physician", "list", "--format", "csv"], database: db.url)
        for name in ["李娜", "孙磊", "钱芳"] { #expect(names.stdout.contains(name), "\(names)") }

        // The errors report as CSV when its name says so.
        let csv = dir + "/errors.csv"
        _ = CLI.run(
            ["import", "physicians", Self.fixtures + "/physicians-openpyxl.xlsx", "--errors", csv, "--dry-run"],
            database: db.url, environment: env)
        let csvText = String(decoding: try Data(contentsOf: URL(fileURLWithPath: csv)).dropFirst(3), as: UTF8.self)
        #expect(csvText.hasPrefix("行号,列,值,错误代码,说明,序号,姓名,公民身份号码"), "\(csvText)")
    }

    @Test func sheetsByNameAndFilesThatAreNoWorkbook() throws {
        let db = try TestCluster.database()
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let book = Self.fixtures + "/physicians-openpyxl.xlsx"
        let missing = CLI.run(["import", "physicians", book, "--sheet", "花名册"], database: db.url)
        #expect(
            missing.status == 64
                && missing.stderr.contains(
                    "error[import.sheet]: the workbook has no sheet '花名册'; its sheets are '医师名单', '说明'"),
            "\(missing)")
        // A workbook through a pipe is named for what it is, not read as mojibake CSV.
        let piped = CLI.spawn(
            ["/bin/sh", "-c", "cat \"$1\" | \"$0\" import physicians -", CLI.binary, book],
            environment: ["DATABASE_URL": db.url, "REGCTL_HOME": TestCluster.home, "REGCTL_LANG": "en"], stdin: "")
        #expect(
            piped.status == 64 && piped.stderr.contains("error[import.file]: this is an Excel workbook, not CSV"),
            "\(piped)")
        let notes = CLI.run(["import", "physicians", book, "--sheet", "说明"], database: db.url)
        #expect(notes.status == 1 && notes.stderr.contains("error[import.header]"), "\(notes)")

        let legacy = dir + "/old.xls"
        try Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 504)).write(
            to: URL(fileURLWithPath: legacy))
        let xls = CLI.run(["import", "physicians", legacy], database: db.url, environment: ["REGCTL_LANG": "zh"])
        #expect(xls.status == 64 && xls.stderr.contains("另存为 .xlsx 或 CSV"), "\(xls)")

        // A ZIP archive that holds no workbook, and one cut short.
        let zip = dir + "/other.xlsx"
        let archive = try XLSXWriter(path: dir + "/whole.xlsx")
        try archive.startSheet("x", header: ["身份证号"])
        try archive.finish()
        let whole = try Data(contentsOf: URL(fileURLWithPath: dir + "/whole.xlsx"))
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: zip))
        let cut = CLI.run(["import", "physicians", zip], database: db.url)
        #expect(
            cut.status == 64 && cut.stderr.contains("error[import.file]") && cut.stderr.contains("save it again"),
            "\(cut)")

        let csvSheet = dir + "/plain.csv"
        try "身份证号\n".write(toFile: csvSheet, atomically: true, encoding: .utf8)
        let plain = CLI.run(["import", "physicians", csvSheet, "--sheet", "x"], database: db.url)
        #expect(
            plain.status == 64 && plain.stderr.contains("error[import.sheet]: --sheet: --sheet 'x' names a sheet"),
            "\(plain)")
    }

    @Test func calendarFromWorkbooksWithDateCells() throws {
        let db = try TestCluster.database()
        for (file, days) in [
            ("holidays-libreoffice.xlsx", ["2027-09-26", "2027-10-01", "2027-10-02"]),
            ("holidays-openpyxl.xlsx", ["2027-02-06", "2027-02-07", "2027-02-14"])
        ] {
            let r = CLI.run(["calendar", "import", Self.fixtures + "/" + file], database: db.url)
            #expect(r.status == 0, "\(r)")
            let list = CLI.run(["calendar", "list", "--year", "2027", "--format", "csv"], database: db.url)
            for day in days { #expect(list.stdout.contains(day), "\(file): \(list)") }
        }
    }

    @Test func listsReportsAndTemplatesAsWorkbooks() throws {
        let db = try TestCluster.database()
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let env = ["REGCTL_LANG": "zh", "REGCTL_TODAY": "2026-03-02"]

        let template = dir + "/医师模板.xlsx"
        let t = CLI.run(
            ["import", "template", "physicians", "--format", "xlsx", "--output", template], database: db.url,
            environment: env)
        #expect(t.status == 0, "\(t)")
        let templateRows = try #require(try Self.openpyxl(template).first?["rows"] as? [[[Any]]])
        #expect(templateRows[0].map { $0[0] as? String } == ["身份证号", "姓名", "资格证书编码", "级别", "类别"])
        #expect(
            templateRows[1].allSatisfy { $0[2] as? String == "@" }, "every column formatted as text: \(templateRows)")
        let imported = CLI.run(["import", "physicians", template], database: db.url, environment: env)
        #expect(imported.status == 0, "the template imports as it is: \(imported)")

        let list = dir + "/医师.xlsx"
        let l = CLI.run(["physician", "list", "--format", "xlsx", "--output", list], database: db.url, environment: env)
        #expect(l.status == 0 && l.stdout.isEmpty, "\(l)")
        let listRows = try #require(try Self.openpyxl(list).first?["rows"] as? [[[Any]]])
        let idColumn = try #require(listRows[0].firstIndex { $0[0] as? String == "身份证号" })
        #expect(listRows[1][idColumn][0] as? String == "330106197503120023", "an ID number stays text: \(listRows)")

        let report = dir + "/床位.xlsx"
        let r = CLI.run(
            ["report", "social-beds", "--format", "xlsx", "--output", report], database: db.url, environment: env)
        #expect(r.status == 0, "\(r)")
        let sheets = try Self.openpyxl(report)
        #expect(sheets.count >= 2 && sheets[0]["title"] as? String == "主要指标", "figures first: \(sheets)")
        let bedRows = try #require(sheets[1]["rows"] as? [[[Any]]])
        #expect(bedRows[1].contains { $0[1] as? String == "int" }, "counts are numbers: \(bedRows)")

        let noFile = CLI.run(["physician", "list", "--format", "xlsx"], database: db.url)
        #expect(noFile.status == 64 && noFile.stderr.contains("--output FILE.xlsx"), "\(noFile)")
    }
}
