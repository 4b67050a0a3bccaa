import Testing
import Foundation
import TestSupport
import API

@Suite struct ExecTests {
    /// 1,000 lines mixing valid, invalid and malformed: one result per line, in order, the valid ones committed.
    @Test func thousandMixedLines() throws {
        let db = try TestCluster.database()
        var lines: [String] = []
        var expected: [String] = []  // "ok" or the error code
        for i in 0..<1000 {
            switch i % 5 {
            case 0:
                lines.append(
                    #"{"command": "physician.add", "args": {"name": "医师\#(i)", "id_number": "\#(Make.residentID(born: "19800101", sequence: i))", "qualification_no": "Q\#(i)", "level": "physician", "category": "clinical"}}"#
                )
                expected.append("ok")
            case 1:
                var bad = Make.residentID(born: "19800101", sequence: i)
                bad = String(bad.prefix(17)) + (bad.last == "1" ? "2" : "1")
                lines.append(
                    #"{"command": "physician.add", "args": {"name": "错\#(i)", "id_number": "\#(bad)", "qualification_no": "W\#(i)", "level": "physician", "category": "clinical"}}"#
                )
                expected.append("input.id-number")
            case 2:
                lines.append(#"{"command": "physician.add", "args": {"name": "#)
                expected.append("exec.malformed")
            case 3:
                lines.append(#"{"command": "physician.fly", "args": {}}"#)
                expected.append("exec.malformed")
            default:
                lines.append(
                    #"{"command": "physician.add", "as": "nobody", "args": {"name": "x", "id_number": "\#(Make.residentID(born: "19800101", sequence: i))", "qualification_no": "N\#(i)", "level": "physician", "category": "clinical"}}"#
                )
                expected.append("permission.denied")
            }
        }
        let r = CLI.run(["exec"], database: db.url, stdin: lines.joined(separator: "\n") + "\n")
        #expect(r.status == 0, "\(r.stderr)")
        let results = r.stdout.split(separator: "\n").map(String.init)
        #expect(results.count == 1000)
        var mismatches = 0
        for (i, line) in results.enumerated() {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            let got =
                (object["ok"] as? Bool == true)
                ? "ok" : ((object["error"] as? [String: Any])?["code"] as? String ?? "?")
            if got != expected[i] {
                mismatches += 1
                if mismatches < 5 { Issue.record("line \(i + 1): expected \(expected[i]), got \(line)") }
            }
        }
        #expect(mismatches == 0)
        let c = try db.connect()
        #expect(try c.query("SELECT count(*) FROM physician")[0].decode(0, as: Int.self) == 200)
        #expect(try c.query("SELECT count(*) FROM event WHERE outcome = 'refused'")[0].decode(0, as: Int.self) == 400)
    }

    @Test func resultLinesCarryIdsAndRules() throws {
        let db = try TestCluster.database()
        let input = """
            {"command": "staff.add", "args": {"id": "zj-reg-01", "name": "王", "role": "registrar", "region": "330000"}}

            {"command": "institution.add", "as": "zj-reg-01", "args": {"name": "门诊部", "uscc": "\(Make.creditCode(region: "330106", serial: 1))", "region": "330106", "ownership": "social", "category": "outpatient-department", "beds": 0, "for_profit": true}}
            {"command": "institution.add", "as": "zj-reg-01", "args": {"name": "门诊部", "uscc": "\(Make.creditCode(region: "320102", serial: 2))", "region": "320102", "ownership": "social", "category": "clinic", "beds": 0}}
            [1, 2]
            {"command": "report.expiring", "args": {"within": 18446744073709551621}}
            {"command": "institution.add", "args": {"name": "医院", "uscc": "\(Make.creditCode(region: "330106", serial: 3))", "region": "330106", "ownership": "public", "category": "clinic", "beds": 2147483648}}
            {"command": "institution.add", "args": {"name": "医院\\u0000", "uscc": "\(Make.creditCode(region: "330106", serial: 3))", "region": "330106", "ownership": "public", "category": "clinic", "beds": 1}}
            """
        let r = CLI.run(["exec"], database: db.url, stdin: input)
        let results = r.stdout.split(separator: "\n").map(String.init)
        #expect(results.count == 7)  // the blank line gets no result
        let answers = try results.map(Self.answer)
        // A number past any command's range is refused, not wrapped (it ran as 5 days); too many beds and a NUL
        // character are usage errors naming the argument, not the database's text.
        #expect(answers[4].code == "input.number" && answers[4].field == "within", "\(results[4])")
        #expect(answers[5].code == "input.beds", "\(results[5])")
        #expect(answers[6].code == "input.value" && answers[6].message.contains("NUL"), "\(results[6])")
        // The account's login password, generated, is shown once (and never written to the event log).
        #expect(
            answers[0].ok && answers[0].result?["id"] as? String == "zj-reg-01"
                && answers[0].result?["login"] as? String == "zj-reg-01")
        #expect((answers[0].result?["password"] as? String)?.count ?? 0 >= 16)
        #expect(answers[1].ok && answers[1].result?["id"] is String)
        #expect(answers[2].code == "permission.denied" && answers[2].rule == "R-70")
        #expect(answers[3].code == "exec.malformed")
    }

    struct Answer {
        let ok: Bool
        let result: [String: Any]?
        /// A list's answer: its rows.
        let rows: [Any]?
        let code, message: String
        let rule, field: String?
    }

    /// One answer line: a compact JSON object, on one line.
    static func answer(_ line: String) throws -> Answer {
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not a JSON object: \(line)")
        let error = object["error"] as? [String: Any]
        return Answer(
            ok: object["ok"] as? Bool == true, result: object["result"] as? [String: Any],
            rows: object["result"] as? [Any],
            code: error?["code"] as? String ?? "", message: error?["message"] as? String ?? "",
            rule: error?["rule"] as? String, field: error?["field"] as? String)
    }

    /// Each answer is one compact line, written before the next line runs: a client that sends one line
    /// and waits gets its answer (it was held back until 64 KiB or the end of input).
    @Test func answersComeLineByLineAsTheyRun() throws {
        let db = try TestCluster.database()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = ["exec"]
        var env = ProcessInfo.processInfo.environment
        env["DATABASE_URL"] = db.url
        process.environment = env
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        var pending = Data()
        func nextLine() throws -> String {
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline {
                if let nl = pending.firstIndex(of: 0x0A) {
                    let line = String(decoding: pending[pending.startIndex..<nl], as: UTF8.self)
                    pending.removeSubrange(pending.startIndex...nl)
                    return line
                }
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                pending.append(chunk)
            }
            throw CLIError("no answer line")
        }
        input.fileHandleForWriting.write(
            Data(#"{"command": "region.list", "args": {"parent": "330000"}}"#.utf8 + [0x0A]))
        let first = try Self.answer(try nextLine())
        #expect(first.ok)
        #expect(first.rows?.count == 11)  // 浙江's prefectures
        input.fileHandleForWriting.write(Data(#"{"command": "report.processing", "args": {}}"#.utf8 + [0x0A]))
        let second = try Self.answer(try nextLine())
        #expect(second.ok, "\(second.message)")
        #expect(second.result?["report"] is String)
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(pending.isEmpty)
    }

    /// A line over 1 MiB is answered exec.malformed by its length, never echoed, never stored; the lines
    /// around it run. A key given twice is refused; every CLI command has an exec name.
    @Test func oversizedLinesDuplicateKeysAndNames() throws {
        let db = try TestCluster.database()
        let huge =
            #"{"command": "physician.add", "args": {"name": ""# + String(repeating: "医", count: 3 << 20) + #""}}"#
        let lines = [
            #"{"command": "region.list", "args": {"level": "province"}}"#,
            huge,
            #"{"command": "staff.list", "command": "staff.add", "args": {"id": "x", "name": "x", "role": "admin"}}"#,
            #"{"command": "staff.add", "args": {"id": "x", "id": "y", "name": "x", "role": "admin"}}"#,
            #"{"command": "region.list", "args": {"level": "province"}, "sudo": true}"#,
            String(repeating: "[", count: 100_000),
            #"{"command": "region.list", "args": {"parent": "330000"}}"#
        ]
        let r = CLI.run(["exec"], database: db.url, stdin: lines.joined(separator: "\n"))
        #expect(r.status == 0, "\(r.stderr)")
        let results = r.stdout.split(separator: "\n").map(String.init)
        #expect(results.count == lines.count)
        #expect(r.stdout.utf8.count < 10_000, "an oversized line is not echoed")
        let answers = try results.map(Self.answer)
        #expect(answers[0].ok && answers[0].rows?.count ?? 0 >= 31)
        #expect(answers[1].code == "exec.malformed" && answers[1].message.contains("bytes"))
        #expect(answers[2].code == "exec.malformed" && answers[2].message.contains("twice"))
        #expect(answers[3].code == "exec.malformed" && answers[3].message.contains("twice"))
        #expect(answers[4].code == "exec.malformed")
        #expect(answers[5].code == "exec.malformed")
        #expect(answers[6].ok)
        let c = try db.connect()
        #expect(try c.query("SELECT count(*) FROM staff WHERE id IN ('x', 'y')")[0].decode(0, as: Int.self) == 0)
        #expect(
            try c.query("SELECT coalesce(max(octet_length(arguments::text)), 0) FROM event")[0].decode(0, as: Int.self)
                < 2048)
    }

    /// `regctl --help` and each group's help list the CLI's commands; each one is an exec name
    /// (`db` acts on the installation, `exec` is the door itself).
    @Test func everyCLICommandHasAnExecName() throws {
        func subcommands(_ args: [String]) -> [String] {
            let help = CLI.run(args + ["--help"], database: nil).stdout
            guard let start = help.range(of: "SUBCOMMANDS:\n") else { return [] }
            return help[start.upperBound...].split(separator: "\n").compactMap { line in
                guard line.hasPrefix("  "), !line.hasPrefix("   "), let word = line.split(separator: " ").first else {
                    return nil
                }
                return String(word)
            }.filter { $0 != "See" }
        }
        let groups = subcommands([])
        #expect(groups.contains("region") && groups.contains("report"), "\(groups)")
        var missing: [String] = []
        let names = Set(ExecLine.names)
        // Not commands of the registry: the cluster's own (db), the door itself (exec), and the references a
        // person reads without a database (help, codes).
        // The network door and its client (serve, login, logout) are doors too, not commands.
        for group in groups where !["db", "exec", "help", "codes", "serve", "login", "logout"].contains(group) {
            let subs = subcommands([group])
            if group == "import" {
                for kind in ImportKind.allCases where !names.contains("import.\(kind.rawValue)") {
                    missing.append("import.\(kind.rawValue)")
                }
            } else if subs.isEmpty {
                if !names.contains(group) && !names.contains(where: { $0.hasPrefix(group + ".") }) {
                    missing.append(group)
                }
            } else {
                for sub in subs where !names.contains("\(group).\(sub)") { missing.append("\(group).\(sub)") }
            }
        }
        #expect(missing.isEmpty, "CLI commands with no exec name: \(missing)")
    }
}

struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
