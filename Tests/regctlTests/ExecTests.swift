import Testing
import Foundation
import TestSupport

@Suite struct ExecTests {
    /// 1,000 lines mixing valid, invalid and malformed: one result per line, in order, the valid ones committed.
    @Test func thousandMixedLines() throws {
        let db = try TestCluster.database()
        var lines: [String] = []
        var expected: [String] = []   // "ok" or the error code
        for i in 0..<1000 {
            switch i % 5 {
            case 0:
                lines.append(#"{"command": "physician.add", "args": {"name": "医师\#(i)", "id_number": "\#(Make.residentID(born: "19800101", sequence: i))", "qualification_no": "Q\#(i)", "level": "physician", "category": "clinical"}}"#)
                expected.append("ok")
            case 1:
                var bad = Make.residentID(born: "19800101", sequence: i)
                bad = String(bad.prefix(17)) + (bad.last == "1" ? "2" : "1")
                lines.append(#"{"command": "physician.add", "args": {"name": "错\#(i)", "id_number": "\#(bad)", "qualification_no": "W\#(i)", "level": "physician", "category": "clinical"}}"#)
                expected.append("input.id-number")
            case 2:
                lines.append(#"{"command": "physician.add", "args": {"name": "#)
                expected.append("exec.malformed")
            case 3:
                lines.append(#"{"command": "physician.fly", "args": {}}"#)
                expected.append("exec.malformed")
            default:
                lines.append(#"{"command": "physician.add", "as": "nobody", "args": {"name": "x", "id_number": "\#(Make.residentID(born: "19800101", sequence: i))", "qualification_no": "N\#(i)", "level": "physician", "category": "clinical"}}"#)
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
            let got = (object["ok"] as? Bool == true) ? "ok" : ((object["error"] as? [String: Any])?["code"] as? String ?? "?")
            if got != expected[i] { mismatches += 1; if mismatches < 5 { Issue.record("line \(i + 1): expected \(expected[i]), got \(line)") } }
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
        #expect(results.count == 7) // the blank line gets no result
        // A number past any command's range is refused, not wrapped (it ran as 5 days); too many beds and a NUL
        // character are usage errors naming the argument, not the database's text.
        #expect(results[4].contains(#""code": "exec.malformed""#), "\(results[4])")
        #expect(results[5].contains(#""code": "input.beds""#), "\(results[5])")
        #expect(results[6].contains(#""code": "input.value""#) && results[6].contains("NUL"), "\(results[6])")
        // The account's login password, generated, is shown once (and never written to the event log).
        #expect(results[0].hasPrefix(#"{"ok": true, "result": {"id": "zj-reg-01", "login": "zj-reg-01", "password": ""#), "\(results[0])")
        #expect(results[1].hasPrefix(#"{"ok": true, "result": {"id": ""#))
        #expect(results[2].contains(#""code": "permission.denied""#) && results[2].contains(#""rule": "R-70""#))
        #expect(results[3].contains(#""code": "exec.malformed""#))
    }
}
