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
    @Option(
        help:
            "Also run every national case as this admin account (row-level security) and print the ratio to the login's run."
    )
    var compareAdmin: String?
    @Option(help: "Also run every provincial case as this registrar of the province and print the ratio.")
    var compareRegistrar: String?

    func run() throws {
        let connection = try Connection(url)
        let handler = Handler(store: Store(connection: connection))
        var slowest: (SQL, Double)?
        connection.statementObserver = { sql, seconds in
            if seconds > (slowest?.1 ?? -1) { slowest = (sql, seconds) }
        }
        let sample = try connection.query(
            """
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
        cases.append(
            ("lookup.physician", "name+region", Arguments(["name": .string(name), "region": .string(province)]), 20))
        cases.append(("lookup.physician", "certificate", Arguments(["certificate": .string(certificate)]), 20))
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
        func lpad(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }
        let comparing = compareAdmin != nil || compareRegistrar != nil
        print(
            pad("command", 20) + " " + pad("scope", 12) + " " + lpad("median ms", 10) + " " + lpad("target", 7) + "  "
                + pad("plan top node (slowest statement)", 36) + " rows"
                + (comparing ? "   as staff ms  ratio  (row-level security; target <= 1.20x)" : ""))
        /// Median milliseconds of `runs` runs as `who`, and the rows of the first table.
        func measure(_ command: String, _ arguments: Arguments, as who: String?) throws -> (Double, Int) {
            var times: [Double] = []
            var rows = 0
            for _ in 0..<runs {
                slowest = nil
                let t0 = DispatchTime.now().uptimeNanoseconds
                let out = try handler.execute(command, arguments, as: who)
                times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
                rows = out.report?.sections.first?.table.rows.count ?? 0
            }
            times.sort()
            return (times[times.count / 2], rows)
        }
        for (command, scope, arguments, target) in cases {
            let (median, rows) = try measure(command, arguments, as: actor)
            var top = "?"
            if let (sql, _) = slowest {
                connection.statementObserver = nil
                let plan = try connection.transaction { () -> String in
                    try connection.execute("SET LOCAL plan_cache_mode = force_custom_plan")
                    return try connection.query("EXPLAIN (FORMAT JSON) \(sql)")[0].decode(0, as: String.self)
                }
                connection.statementObserver = { sql, seconds in
                    if seconds > (slowest?.1 ?? -1) { slowest = (sql, seconds) }
                }
                if let data = plan.data(using: .utf8),
                    let json = try JSONSerialization.jsonObject(with: data) as? [[String: Any]],
                    let node = json.first?["Plan"] as? [String: Any]
                {
                    top =
                        (node["Node Type"] as? String ?? "?") + ((node["Strategy"] as? String).map { " (\($0))" } ?? "")
                }
            }
            var staffColumn = ""
            if let staff = scope == province || scope == "name+region"
                ? compareRegistrar : (command.hasPrefix("report.") ? compareAdmin : compareRegistrar)
            {
                let (ms, staffRows) = try measure(command, arguments, as: staff)
                staffColumn =
                    lpad(String(format: "%.1f", ms), 14) + lpad(String(format: "%.2fx", ms / median), 7)
                    + (staffRows == rows ? "" : "  (rows differ)")
            }
            let verdict = median <= target ? "" : "  over target"
            print(
                pad(command, 20) + " " + pad(scope, 12) + " " + lpad(String(format: "%.1f", median), 10) + " "
                    + lpad(String(Int(target)), 7)
                    + "  " + pad(top, 36) + " " + pad(String(rows), 5) + staffColumn + verdict)
        }
    }
}
