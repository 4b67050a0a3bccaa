import API
import ArgumentParser
import Dates
import Foundation
import Postgres

/// The commands staff run every day, at national scale, as each kind of account that runs them, next
/// to the installation's own admin (the superuser login): HR's roster and filings, a registrar's
/// pending applications and look-ups, lists of people. Median of `runs` through the handler (access,
/// transaction, row-level security of the account's kind, event).
struct MeasureDaily: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "daily")
    @Option var url: String
    @Option var runs = 5
    @Option(help: "The province of the provincial cases.") var province = "330000"
    @Option(help: "The prefecture of the prefecture registrar.") var prefecture = "330100"

    func run() throws {
        let connection = try Connection(url)
        let handler = Handler(store: Store(connection: connection))
        // The busiest institution of the prefecture (by live registrations): the HR account's, and the roster's.
        let busiest = try connection.query(
            """
            SELECT r.institution, i.uscc::text FROM registration r JOIN institution i ON i.id = r.institution
            WHERE r.province = \(province)::bpchar AND r.status = 'active' AND i.region BETWEEN \(prefecture)::bpchar AND \(String(prefecture.prefix(4)) + "99")::bpchar
            GROUP BY 1, 2 ORDER BY count(*) DESC LIMIT 1
            """)[0]
        let institution = try busiest.decode(1, as: String.self)
        let sample = try connection.query(
            """
            SELECT p.id_number::text, p.name, p.id FROM registration r JOIN physician p ON p.id = r.physician
            WHERE r.institution = \(try busiest.decode(0, as: UUID.self)) AND r.status = 'active' ORDER BY p.id_number LIMIT 1
            """)[0]
        let person = try sample.decode(0, as: String.self), personName = try sample.decode(1, as: String.self)
        let personID = try sample.decode(2, as: UUID.self).uuidString.lowercased()
        let institutionName = try connection.query(
            "SELECT name FROM institution WHERE uscc = \(institution)::bpchar")[0].decode(0, as: String.self)
        let accounts: [(String, [String: String])] = [
            ("bench-admin", ["role": "admin"]), ("bench-zj", ["role": "registrar", "region": province]),
            ("bench-pref", ["role": "registrar", "region": prefecture]),
            ("bench-hr", ["role": "hr", "institution": institution]),
            ("bench-analyst", ["role": "analyst", "region": province])
        ]
        for (id, scope) in accounts where try connection.query("SELECT 1 FROM staff WHERE id = \(id)").count == 0 {
            var a = Arguments(["id": .string(id), "name": .string(id)])
            for (k, v) in scope { a[k] = .string(v) }
            _ = try handler.execute("staff.add", a, as: nil)
        }
        let readers: [(String, String?)] = [
            ("superuser", nil), ("admin", "bench-admin"), ("registrar \(province)", "bench-zj"),
            ("registrar \(prefecture)", "bench-pref"), ("hr", "bench-hr"), ("analyst \(province)", "bench-analyst")
        ]
        let cases: [(String, String, Arguments, Double)] = [
            ("report.roster", "institution", Arguments(["institution": .string(institution)]), 100),
            ("filing.list", "institution", Arguments(["institution": .string(institution)]), 100),
            ("institution.show", "institution", Arguments(["institution": .string(institution)]), 100),
            ("physician.show", "one person", Arguments(["physician": .string(person)]), 100),
            ("physician.list", "province", Arguments(["region": .string(province)]), 100),
            ("physician.list", "own scope", Arguments(), 1000),
            ("physician.list", "by name", Arguments(["name": .string(personName)]), 100),
            ("physician.list", "name begins", Arguments(["name": .string(String(personName.prefix(1)))]), 100),
            (
                "physician.list", "next page",
                Arguments(["region": .string(province), "after": .string(String(personID.prefix(13)))]), 100
            ),
            ("physician.show", "id's first 8", Arguments(["physician": .string(String(personID.prefix(8)))]), 100),
            ("institution.list", "province", Arguments(["region": .string(province)]), 100),
            ("institution.list", "name begins", Arguments(["name": .string(String(institutionName.prefix(2)))]), 100),
            ("nurse.list", "province", Arguments(["region": .string(province)]), 100),
            (
                "registration.list", "pending prov",
                Arguments(["status": .string("pending"), "region": .string(province)]), 100
            ),
            ("registration.list", "pending own", Arguments(["status": .string("pending")]), 1000)
        ]
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
        func lpad(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }
        print(
            "institution \(institution) (HR's, the busiest of \(prefecture)); person \(String(person.prefix(6)))…; median ms (rows), of \(runs) runs"
        )
        print(pad("command", 18) + " " + pad("scope", 13) + readers.map { lpad($0.0, 18) }.joined() + "  target")
        var over: [String] = []
        for (command, scope, arguments, target) in cases {
            var line = pad(command, 18) + " " + pad(scope, 13)
            for (label, who) in readers {
                var times: [Double] = []
                var cell = ""
                do {
                    var rows = 0
                    for _ in 0..<runs {
                        let t0 = DispatchTime.now().uptimeNanoseconds
                        let out = try handler.execute(command, arguments, as: who)
                        times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
                        rows =
                            out.table?.rows.count ?? out.report.map {
                                $0.sections.reduce(0) { $0 + $1.table.rows.count }
                            } ?? out.fields.count
                    }
                    times.sort()
                    let median = times[times.count / 2]
                    cell = String(format: "%.1f (%d)", median, rows)
                    if median > target {
                        over.append("\(command) \(scope) as \(label): \(String(format: "%.0f", median)) ms")
                    }
                } catch let e as RegctlError {
                    cell = e.code == "permission.denied" ? "refused" : e.code
                }
                line += lpad(cell, 18)
            }
            print(line + lpad(String(Int(target)), 8))
        }
        print(over.isEmpty ? "every case within its target" : "over target: " + over.joined(separator: "; "))
    }
}
