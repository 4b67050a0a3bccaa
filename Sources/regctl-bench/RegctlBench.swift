import ArgumentParser
import Dates
import Foundation
import API
import Spreadsheet
import Postgres
#if canImport(Glibc)
    import Glibc
#endif

/// Load generator for scripts/bench: the same generated rows through psql, the COPY writer, or one INSERT each.
@main
struct RegctlBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "regctl-bench",
        abstract: "Benchmark helpers for scripts/bench (not for users).",
        subcommands: [
            GenerateRows.self, LoadRows.self, Measure.self, MeasureReports.self, MeasureDaily.self, CSVToWorkbook.self,
            HTTPCommands.self, StandbyReads.self
        ]
    )
}

/// Deterministic rows of about 8 columns: text, dates, integers.
struct SampleRows {
    static let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗")
    static let given = Array("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂")
    static let columns = "id, name, id_number, region, born, registered, beds, note"
    static let ddl = """
        CREATE TABLE bench_rows (
            id int PRIMARY KEY, name text NOT NULL, id_number text NOT NULL, region text NOT NULL,
            born date NOT NULL, registered date NOT NULL, beds int NOT NULL, note text
        )
        """

    /// SplitMix64: small, fast, and the same sequence on every platform.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    static func make(count: Int, seed: UInt64 = 42) -> [[String?]] {
        var g = Generator(state: seed)
        var rows: [[String?]] = []
        rows.reserveCapacity(count)
        let base = CalendarDate(parsing: "1950-01-01")!
        for i in 1...count {
            let name =
                String(surnames[g.below(surnames.count)]) + String(given[g.below(given.count)])
                + (g.below(2) == 0 ? String(given[g.below(given.count)]) : "")
            let born = base.adding(days: g.below(18_000))
            let idNumber =
                "3301" + String(format: "%02d", g.below(12) + 1)
                + born.description.replacingOccurrences(of: "-", with: "") + String(format: "%04d", g.below(10_000))
            let region = "33" + String(format: "%02d", g.below(11) + 1) + String(format: "%02d", g.below(20) + 1)
            let registered = born.adding(days: 8_000 + g.below(9_000))
            let note: String? = g.below(10) == 0 ? nil : "备注 \(g.below(1000)), \"合同\" 第\(i)号"
            rows.append([
                String(i), name, idNumber, region, born.description, registered.description, String(g.below(800)), note
            ])
        }
        return rows
    }
}

struct GenerateRows: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gen-rows", abstract: "Write the sample rows as CSV (for psql \\copy).")
    @Option var rows = 1_000_000
    @Option var out: String

    func run() throws {
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        var buffer = ""
        for row in SampleRows.make(count: rows) {
            buffer +=
                row.map { field -> String in
                    guard let f = field else { return "" }
                    return f.contains(where: { $0 == "," || $0 == "\"" })
                        ? "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : f
                }.joined(separator: ",") + "\n"
            if buffer.utf8.count > 1 << 20 {
                handle.write(Data(buffer.utf8))
                buffer = ""
            }
        }
        handle.write(Data(buffer.utf8))
        try handle.close()
    }
}

struct LoadRows: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load-rows", abstract: "Load the sample rows into bench_rows and print the seconds taken.")
    @Option var url: String
    @Option var rows = 1_000_000
    @Option(help: "copy (the COPY writer) or insert (one prepared INSERT per row, one transaction)")
    var mode: String

    func run() throws {
        let data = SampleRows.make(count: rows)
        let c = try Connection(url)
        try c.execute("DROP TABLE IF EXISTS bench_rows")
        try c.execute(SQL(unsafeSQL: SampleRows.ddl))
        let start = DispatchTime.now()
        switch mode {
        case "copy":
            try c.copyIn(SQL(unsafeSQL: "COPY bench_rows (\(SampleRows.columns)) FROM STDIN")) { w in
                for row in data { try w.appendRow(row) }
            }
        case "insert":
            try c.transaction {
                for r in data {
                    try c.execute(
                        """
                        INSERT INTO bench_rows (id, name, id_number, region, born, registered, beds, note)
                        VALUES (\(Int(r[0]!)!), \(r[1]!), \(r[2]!), \(r[3]!), \(CalendarDate(parsing: r[4]!)!), \(CalendarDate(parsing: r[5]!)!), \(Int(r[6]!)!), \(r[7]))
                        """)
                }
            }
        default:
            throw ValidationError("--mode is copy or insert")
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        let loaded = try c.query("SELECT count(*) FROM bench_rows")[0].decode(0, as: Int.self)
        guard loaded == rows else { throw ValidationError("loaded \(loaded) rows, expected \(rows)") }
        print(String(format: "%.3f", seconds))
    }
}

struct Measure: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "measure",
        abstract: "Run a command; print its exit status, wall seconds and peak resident memory (KiB).")
    @Argument(parsing: .captureForPassthrough) var command: [String]

    func run() throws {
        let argv = command.first == "--" ? Array(command.dropFirst()) : command
        let cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for p in cArgs { free(p) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        defer { posix_spawn_file_actions_destroy(&actions) }
        let start = DispatchTime.now()
        var pid: pid_t = 0
        guard posix_spawnp(&pid, argv[0], &actions, nil, cArgs, environ) == 0 else {
            throw ValidationError("cannot run \(argv[0])")
        }
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        print(String(format: "%d %.3f %ld", (status >> 8) & 0xff, seconds, usage.ru_maxrss))
    }
}

/// `regctl-bench workbook CSV XLSX`: the same rows as an Excel workbook (text cells), so that the bench can
/// import a workbook next to its CSV.
struct CSVToWorkbook: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workbook", abstract: "Write a CSV file's rows as an .xlsx workbook of text cells.")
    @Argument var csv: String
    @Argument var xlsx: String

    func run() throws {
        let reader = try CSVReader(path: csv, encoding: .utf8)
        let writer = try XLSXWriter(path: xlsx)
        guard let header = try reader.next() else { return }
        try writer.startSheet("Sheet1", header: header.fields, textColumns: Set(header.fields.indices))
        while let record = try reader.next() { try writer.write(record.fields.map(SheetValue.text)) }
        try writer.finish()
    }
}
