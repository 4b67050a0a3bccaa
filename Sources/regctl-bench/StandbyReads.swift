import API
import ArgumentParser
import Foundation
import Postgres

/// `regctl-bench standby-reads`: reports answered by a standby, through the handler as `--read-database` runs
/// them (the read on the standby, its event on the primary), one after another until `--seconds` pass or
/// `--stop-file` appears; with the primary's view of the standby's replay lag sampled every second. Prints one
/// line: `reads MEDIAN_MS P95_MS LAG_BYTES_MEDIAN LAG_BYTES_MAX LAG_SECONDS_MEDIAN LAG_SECONDS_MAX COUNT`.
struct StandbyReads: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "standby-reads")
    @Option(help: "The primary (events; and the replication view, as a superuser).") var primary: String
    @Option(help: "The standby the reports read.") var reader: String
    @Option var seconds: Double = 30
    @Option(help: "Stop as soon as this file exists (the bench creates it when the import ends).")
    var stopFile: String?
    @Option(help: "Milliseconds between two reports (0: back to back).") var pauseMs = 0
    @Option var province = "330000"

    func run() throws {
        let handler = Handler(
            store: Store(connection: try Connection(primary)),
            reader: Store(connection: try Connection(reader, overrides: [("target_session_attrs", "prefer-standby")])))
        let admin = try Connection(primary)
        let reports: [(String, Arguments)] = [
            ("report.multisite", Arguments(["region": .string(province), "live": .bool(true)])),
            ("report.social-beds", Arguments(["region": .string(province)])),
            ("report.expiring", Arguments(["region": .string(province)])),
            ("report.processing", Arguments(["region": .string(province)]))
        ]
        var latencies: [Double] = []
        var lagBytes: [Double] = [], lagSeconds: [Double] = []
        let start = Date()
        var lastSample = Date.distantPast
        var next = 0
        func done() -> Bool {
            if let stopFile, FileManager.default.fileExists(atPath: stopFile) { return true }
            return stopFile == nil && Date().timeIntervalSince(start) >= seconds
        }
        while !done() {
            if Date().timeIntervalSince(lastSample) >= 1 {
                lastSample = Date()
                if let row = try admin.query(
                    """
                    SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::float8,
                           coalesce(extract(epoch FROM replay_lag), 0)::float8
                    FROM pg_stat_replication ORDER BY replay_lsn LIMIT 1
                    """
                ).first {
                    lagBytes.append(try row.decode(0, as: Double?.self) ?? 0)
                    lagSeconds.append(try row.decode(1, as: Double.self))
                }
            }
            let (name, arguments) = reports[next % reports.count]
            next += 1
            let t0 = DispatchTime.now()
            _ = try handler.execute(name, arguments, as: nil)
            latencies.append(Double(DispatchTime.now().uptimeNanoseconds - t0.uptimeNanoseconds) / 1e6)
            if pauseMs > 0 { usleep(UInt32(pauseMs) * 1000) }
        }
        func quantile(_ values: [Double], _ q: Double) -> Double {
            guard !values.isEmpty else { return 0 }
            let sorted = values.sorted()
            return sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * q + 0.5))]
        }
        print(
            String(
                format: "reads %.1f %.1f %.0f %.0f %.3f %.3f %d", quantile(latencies, 0.5), quantile(latencies, 0.95),
                quantile(lagBytes, 0.5), lagBytes.max() ?? 0, quantile(lagSeconds, 0.5), lagSeconds.max() ?? 0,
                latencies.count))
    }
}
