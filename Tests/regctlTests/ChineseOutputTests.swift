import Foundation
import Testing
import TestSupport

/// Chinese output through the binary: every report's and list's headers, the domain's words, yes and no,
/// the messages of refusals. JSON keys and codes stay English whatever the language.
@Suite struct ChineseOutputTests {
    /// A header or heading left untranslated: ASCII letters only (`social_share_pct`, `status`).
    static func untranslated(_ label: String) -> Bool {
        let t = label.trimmingCharacters(in: .whitespaces)
        return !t.isEmpty && t.unicodeScalars.allSatisfy { $0.isASCII } && t.contains(where: \.isLetter)
    }

    @Test func everyReportAndListSpeaksChinese() throws {
        let db = try TestCluster.database()
        let env = ["REGCTL_TODAY": "2026-11-29", "REGCTL_LANG": "zh"]
        let seeded = CLI.run(["seed", "--scale", "demo", "--seed", "3"], database: db.url, environment: env)
        #expect(seeded.status == 0, "\(seeded)")
        let institutions = CLI.run(
            ["institution", "list", "--region", "330100", "--format", "json"], database: db.url, environment: env)
        let firstID = institutions.stdout.components(separatedBy: "\"id\":\"").dropFirst().first?.prefix(36) ?? ""
        var commands: [[String]] = [
            "multisite", "social-beds", "processing", "studios", "nurse-pilot", "expiring", "credit"
        ].map { ["report", $0, "--region", "330000"] }
        commands += [
            ["physician", "list", "--region", "330100"], ["institution", "list", "--region", "330100"],
            ["registration", "list", "--region", "330100"], ["filing", "list", "--institution", String(firstID)],
            ["studio", "list"], ["nurse", "list"], ["pilot", "list"], ["credit", "list"], ["staff", "list"],
            ["policy", "list"], ["region", "list", "--parent", "330000"], ["events", "list", "--limit", "20"]
        ]
        for command in commands {
            let table = CLI.run(command, database: db.url, environment: env)
            #expect(table.status == 0, "\(command): \(table)")
            let csv = CLI.run(command + ["--format", "csv"], database: db.url, environment: env)
            #expect(csv.status == 0, "\(command): \(csv)")
            let header = csv.stdout.split(separator: "\r\n").first.map(String.init) ?? ""
            let left = header.replacingOccurrences(of: "\u{FEFF}", with: "").split(separator: ",").map(String.init)
                .filter(Self.untranslated)
            #expect(left.isEmpty, "\(command.joined(separator: " ")): untranslated \(left)")
            // Summary lines of a report ("  名称: 值") are translated too.
            for line in table.stdout.split(separator: "\n") where line.hasPrefix("  ") && line.contains(": ") {
                let key = String(line.dropFirst(2).prefix { $0 != ":" })
                #expect(!Self.untranslated(key), "\(command.joined(separator: " ")): untranslated \(key)")
            }
            let html = CLI.run(command + ["--format", "html"], database: db.url, environment: env)
            for th in html.stdout.components(separatedBy: "<th>").dropFirst() {
                let label = String(th.prefix { $0 != "<" })
                #expect(!Self.untranslated(label), "\(command.joined(separator: " ")): <th>\(label)")
            }
            let json = CLI.run(command + ["--format", "json"], database: db.url, environment: env)
            #expect(json.status == 0 && !json.stdout.contains("\"状态\""), "JSON keys stay English")
        }
        let physicians = CLI.run(
            ["physician", "list", "--region", "330100", "--format", "csv"], database: db.url, environment: env)
        #expect(physicians.stdout.contains("执业医师") || physicians.stdout.contains("执业助理医师"))
        #expect(physicians.stdout.contains("临床") && physicians.stdout.contains("正常"))
        #expect(!physicians.stdout.contains(",physician,") && !physicians.stdout.contains(",clinical,"))
        let json = CLI.run(
            ["physician", "list", "--region", "330100", "--format", "json"], database: db.url, environment: env)
        #expect(json.stdout.contains("\"level\":\"physician\"") || json.stdout.contains("\"level\":\"assistant\""))
        // The figures chosen as a section are the translated summary.
        let figures = CLI.run(
            ["report", "processing", "--region", "330000", "--section", "figures", "--format", "csv"], database: db.url,
            environment: env)
        #expect(figures.stdout.contains("指标,值\r\n区划代码,330000\r\n行政区划,浙江省\r\n"), "\(figures)")
        let beds = CLI.run(["report", "social-beds", "--region", "330000"], database: db.url, environment: env)
        #expect(beds.stdout.hasPrefix("社会办医床位占比\n") && beds.stdout.contains("达到 25%"), "\(beds)")
        #expect(beds.stdout.contains("  是") || beds.stdout.contains("  否"), "\(beds)")
    }

    @Test func refusalsInChineseWithTheirCodeAndValue() throws {
        let db = try TestCluster.database()
        let zh = CLI.run(
            [
                "institution", "add", "--name", "某诊所", "--uscc", "12345", "--region", "330106", "--ownership", "social",
                "--category", "clinic", "--beds", "0"
            ],
            database: db.url, environment: ["REGCTL_LANG": "zh"])
        #expect(zh.status == 64 && zh.stderr.hasPrefix("错误[input.uscc]：--uscc：统一社会信用代码不正确"), "\(zh)")
        #expect(zh.stderr.contains("'12345'"), "the value quoted in the English message follows: \(zh)")
        // The locale decides when nothing else does; --lang wins over everything.
        let locale = CLI.run(
            ["physician", "show", "330106197503120023"], database: db.url,
            environment: ["REGCTL_LANG": "", "LC_ALL": "", "LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"])
        #expect(locale.status == 1 && locale.stderr.hasPrefix("错误[not-found]：没有找到该记录"), "\(locale)")
        let english = CLI.run(
            ["physician", "show", "330106197503120023", "--lang", "en"], database: db.url,
            environment: ["REGCTL_LANG": "zh"])
        #expect(english.stderr.hasPrefix("error[not-found]: "), "\(english)")
        let json = CLI.run(
            ["physician", "show", "330106197503120023", "--format", "json"], database: db.url,
            environment: ["REGCTL_LANG": "zh"])
        #expect(json.stderr.hasPrefix("{\"error\":{\"code\":\"not-found\",\"message\":\"没有找到该记录"), "\(json)")
        // Notes for people are in the language too.
        let staff = CLI.run(
            ["staff", "add", "--id", "zh-reg", "--name", "登记", "--role", "registrar", "--region", "330000"],
            database: db.url, environment: ["REGCTL_LANG": "zh"])
        #expect(staff.status == 0 && staff.stderr.contains("密码只显示这一次"), "\(staff)")
        // Every global option may come before the subcommand; a REGCTL_LANG that names no language is refused.
        let before = CLI.run(
            ["--lang", "zh", "--encoding", "utf-8", "--format", "csv", "codes", "input.lang"], database: db.url)
        #expect(before.status == 0 && before.stdout.hasPrefix("代码,说明\r\ninput.lang,"), "\(before)")
        let french = CLI.run(["codes"], database: db.url, environment: ["REGCTL_LANG": "fr"])
        #expect(french.status == 64 && french.stderr.hasPrefix("error[input.lang]: REGCTL_LANG='fr'"), "\(french)")
    }

    /// An HR file as HR has it (序号, 姓名, 备注, official headers), an errors report the clerk can correct and
    /// send again, and a template that imports as it is.
    @Test func importAsAnOfficeDoesIt() throws {
        let db = try TestCluster.database()
        let env = ["REGCTL_TODAY": "2026-03-02", "REGCTL_LANG": "zh"]
        let dir = NSTemporaryDirectory() + "regctl-office-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let template = CLI.run(
            ["import", "template", "physicians", "--output", dir + "/template.csv"], database: db.url, environment: env)
        #expect(template.status == 0, "\(template)")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: dir + "/template.csv"))
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF], "a byte-order mark, for Excel")
        let written = String(decoding: bytes.dropFirst(3), as: UTF8.self)
        #expect(written.hasPrefix("身份证号,姓名,资格证书编码,级别,类别\r\n330106197503120023,张伟,"), "\(written)")
        let imported = CLI.run(["import", "physicians", dir + "/template.csv"], database: db.url, environment: env)
        #expect(imported.status == 0 && imported.stdout.contains("新增"), "\(imported)")

        let file = dir + "/hr.csv"
        try
            ("序号,姓名,*公民身份号码,医师资格证书编码,医师级别,执业类别,备注\r\n"
            + "1,李娜,11010519491231002X,Q-1,执业医师,临床,新进\r\n"
            + "2,王强,110105194912310022,Q-2,执业医师,临床,\r\n").write(toFile: file, atomically: true, encoding: .utf8)
        let errors = dir + "/errors.csv"
        let r = CLI.run(
            ["import", "physicians", file, "--errors", errors, "--format", "json"], database: db.url, environment: env)
        #expect(r.status == 3, "\(r)")
        let summary = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        #expect(summary?["added"] as? Int == 1 && summary?["rejected"] as? Int == 1 && summary?["seconds"] is Double)
        #expect(summary?["ignored_columns"] as? [String] == ["序号", "备注"])
        let mode = try FileManager.default.attributesOfItem(atPath: errors)[.posixPermissions] as? Int
        #expect(mode == 0o600, "the errors report holds the clerk's personal data: its owner's alone")
        let reportBytes = try Data(contentsOf: URL(fileURLWithPath: errors))
        #expect(Array(reportBytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let report = String(decoding: reportBytes.dropFirst(3), as: UTF8.self).components(separatedBy: "\r\n")
        #expect(report[0] == "行号,列,值,错误代码,说明,序号,姓名,*公民身份号码,医师资格证书编码,医师级别,执业类别,备注")
        #expect(report[1].hasPrefix("3,*公民身份号码,110105194912310022,input.id-number,身份证号不正确"), "\(report[1])")
        #expect(report[1].hasSuffix(",2,王强,110105194912310022,Q-2,执业医师,临床,"), "the row as sent: \(report[1])")

        // A header's problems in Chinese name the columns expected; a repeated row names the line it repeats.
        let header = dir + "/header.csv"
        try "序号,姓名,身份证号码,身份证号\r\n1,李娜,11010519491231002X,11010519491231002X\r\n".write(
            toFile: header, atomically: true, encoding: .utf8)
        let h = CLI.run(["import", "physicians", header], database: db.url, environment: env)
        #expect(
            h.status == 1
                && h.stderr.hasPrefix(
                    "错误[import.header]：表头有误：列“身份证号”出现了两次（'身份证号'）；缺少列 资格证书编码（qualification_no）、级别（level）、类别（category）。医师文件的列为：身份证号（id_number）、姓名（name）"
                ) && h.stderr.contains("；已忽略：'序号'"), "\(h)")
        let twice = dir + "/twice.csv"
        try "身份证号,姓名,资格证书编码,级别,类别\r\n11010519491231002X,李娜,Q-1,执业医师,临床\r\n11010519491231002X,李娜,Q-1,执业医师,临床\r\n"
            .write(toFile: twice, atomically: true, encoding: .utf8)
        let t = CLI.run(["import", "physicians", twice], database: db.url, environment: env)
        #expect(t.status == 3 && t.stderr.contains("错误[import.duplicate-row]：与第 2 行重复"), "\(t)")
    }
}
