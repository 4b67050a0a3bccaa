import API
import ArgumentParser
import Dates
import Foundation
import Postgres

/// Times every report for one province and for the country, and the public lookup, through
/// the handler (access, transaction, event) as a user runs them; prints the median and the
/// top node of the slowest statement's plan.
struct MeasureReports: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reports")
    @Option var url: String
    @Option var runs = 5
    @Option(help: "The province of the provincial runs.") var province = "330000"
    @Option(help: "Run as this staff account (default: the login, admin).") var actor: String?
    @Option(help: "Regional reports for this reader's own region only (an analyst's).") var regionOnly: String?

    func run() throws {
        let connection = try Connection(url)
        let handler = Handler(connection: connection)
        var slowest: (SQL, Double)?
        connection.statementObserver = { sql, seconds in
            if seconds > (slowest?.1 ?? -1) { slowest = (sql, seconds) }
        }
        let sample = try connection.query("""
            SELECT p.name, p.certificate_no::text FROM physician p JOIN registration r ON r.physician = p.id AND r.status = 'active'
            WHERE r.province = \(province)::bpchar AND p.certificate_no IS NOT NULL ORDER BY p.certificate_no LIMIT 1 OFFSET 777
            """)[0]
        let name = try sample.decode(0, as: String.self), certificate = try sample.decode(1, as: String.self)
        var cases: [(String, String, Arguments, Double)] = []
        for report in ["multisite", "social-beds", "processing", "studios", "nurse-pilot", "expiring", "credit"] {
            if let regionOnly {
                cases.append(("report.\(report)", regionOnly, Arguments(["region": .string(regionOnly)]), 100))
                continue
            }
            cases.append(("report.\(report)", province, Arguments(["region": .string(province)]), 100))
            cases.append(("report.\(report)", "national", Arguments(), 1000))
            if report == "multisite" {
                cases.append(("report.\(report)", "nation live", Arguments(["live": .bool(true)]), 1000))
            }
        }
        cases.append(("lookup.physician", "name+region", Arguments(["name": .string(name), "region": .string(province)]), 20))
        cases.append(("lookup.physician", "certificate", Arguments(["certificate": .string(certificate)]), 20))
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
        func lpad(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }
        print(pad("command", 20) + " " + pad("scope", 12) + " " + lpad("median ms", 10) + " " + lpad("target", 7) + "  " + pad("plan top node (slowest statement)", 36) + " rows")
        for (command, scope, arguments, target) in cases {
            var times: [Double] = []
            var rows = 0
            for _ in 0..<runs {
                slowest = nil
                let t0 = DispatchTime.now().uptimeNanoseconds
                let out = try handler.execute(command, arguments, as: actor)
                times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
                rows = out.report?.sections.first?.table.rows.count ?? 0
            }
            times.sort()
            let median = times[times.count / 2]
            var top = "?"
            if let (sql, _) = slowest {
                connection.statementObserver = nil
                let plan = try connection.transaction { () -> String in
                    try connection.execute("SET LOCAL plan_cache_mode = force_custom_plan")
                    return try connection.query("EXPLAIN (FORMAT JSON) \(sql)")[0].decode(0, as: String.self)
                }
                connection.statementObserver = { sql, seconds in if seconds > (slowest?.1 ?? -1) { slowest = (sql, seconds) } }
                if let data = plan.data(using: .utf8), let json = try JSONSerialization.jsonObject(with: data) as? [[String: Any]],
                   let node = json.first?["Plan"] as? [String: Any] {
                    top = (node["Node Type"] as? String ?? "?") + ((node["Strategy"] as? String).map { " (\($0))" } ?? "")
                }
            }
            let verdict = median <= target ? "" : "  over target"
            print(pad(command, 20) + " " + pad(scope, 12) + " " + lpad(String(format: "%.1f", median), 10) + " " + lpad(String(Int(target)), 7)
                  + "  " + pad(top, 36) + " " + String(rows) + verdict)
        }
    }
}
