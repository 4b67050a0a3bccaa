import Dates
import Foundation
import Registration

/// What an accepted row did.
enum RowOutcome { case added, updated, unchanged }

/// A row parsed and checked for form, with the key that names its record in the file.
protocol ParsedRow {
    var row: ImportRow { get }
    /// Rows with the same key name the same record: the second is `import.duplicate-row`.
    var key: String { get }
}

/// One kind of import in the batch shape (all five kinds): each row is parsed and checked for form as its
/// command would; a chunk's facts are read in bulk; the commands' own decision functions run row by row
/// in memory, in file order, on the facts as each accepted row leaves them; the accepted rows are written
/// in one statement per table (COPY, or the staged insert under row-level security), with the events
/// their commands write. One transaction for the whole file.
protocol BatchImport {
    associatedtype Row: ParsedRow
    var context: CommandContext { get }
    /// The columns whose values name a row's record (`uscc`; `id_number` and `institution`): two rows with the
    /// same are duplicates. The first is where a duplicate row and an unplaced refusal point.
    static var keyColumns: [String] { get }
    func parse(_ row: ImportRow) throws -> Row
    func duplicateMessage(_ row: Row, firstLine: Int) -> String
    /// Decides and writes one chunk.
    mutating func process(_ chunk: [Row], _ report: inout ImportReport) throws
}

extension BatchImport {
    var keyColumn: String { Self.keyColumns[0] }

    func duplicateMessage(_ row: Row, firstLine: Int) -> String {
        "the same \(Self.keyColumns.joined(separator: " + ")) as line \(firstLine); keep one row per key"
    }

    /// Rows decided together: 20,000, or `REGCTL_IMPORT_CHUNK_ROWS` (1 … 1,000,000) to trade memory for
    /// round trips (and for tests, to cross chunk boundaries with small files).
    static var chunkSize: Int {
        ProcessInfo.processInfo.environment["REGCTL_IMPORT_CHUNK_ROWS"].flatMap(Int.init).map {
            min(max($0, 1), 1_000_000)
        } ?? 20_000
    }

    /// Reads, parses and decides the whole file, a chunk at a time. A key seen before (in this chunk, or in
    /// an earlier one: the store keeps the keys of the run, so memory does not grow with the file) is
    /// `import.duplicate-row`, naming the line that had it first.
    mutating func run(_ rows: inout RowSource, _ report: inout ImportReport) throws {
        let chunkSize = Self.chunkSize
        var chunk: [Row] = [], firstInChunk: [String: Int] = [:], repeats: [(row: Row, key: String)] = []
        while let row = try rows.next() {
            do {
                let parsed = try parse(row)
                if firstInChunk[parsed.key] != nil {
                    repeats.append((parsed, parsed.key))
                } else {
                    firstInChunk[parsed.key] = row.line
                    chunk.append(parsed)
                }
            } catch {
                report.reject(row.reject(error, default: keyColumn))
            }
            for shape in rows.shapeErrors { report.reject(shape) }
            rows.shapeErrors.removeAll()
            if chunk.count >= chunkSize {
                try flush(&chunk, &repeats, &firstInChunk, &report)
                try report.spool.settle(through: rows.lastLine)
            }
        }
        for shape in rows.shapeErrors { report.reject(shape) }
        rows.shapeErrors.removeAll()
        try flush(&chunk, &repeats, &firstInChunk, &report)
        try report.spool.settle(through: .max)
    }

    private mutating func flush(
        _ chunk: inout [Row], _ repeats: inout [(row: Row, key: String)], _ firstInChunk: inout [String: Int],
        _ report: inout ImportReport
    ) throws {
        let earlier = try context.store.claimImportKeys(chunk.map(\.key), lines: chunk.map(\.row.line))
        var fresh: [Row] = []
        for parsed in chunk {
            if let first = earlier[parsed.key] {
                report.reject(duplicate(parsed, firstLine: first))
            } else {
                fresh.append(parsed)
            }
        }
        for (parsed, key) in repeats {
            report.reject(duplicate(parsed, firstLine: earlier[key] ?? firstInChunk[key] ?? 0))
        }
        try process(fresh, &report)
        chunk.removeAll(keepingCapacity: true)
        repeats.removeAll()
        firstInChunk.removeAll(keepingCapacity: true)
    }

    private func duplicate(_ parsed: Row, firstLine: Int) -> ImportRejection {
        ImportRejection(
            line: parsed.row.line, column: parsed.row.headers[keyColumn] ?? keyColumn,
            value: parsed.row.masked(keyColumn), code: "import.duplicate-row",
            message: duplicateMessage(parsed, firstLine: firstLine))
    }

    /// Runs `decide` for each row in order and counts what it did; a refusal becomes the row's rejection
    /// (its field's column, else `column(code)`); losing the connection stops the import.
    func decideEach(
        _ chunk: [Row], _ report: inout ImportReport, column: (String) -> String? = { _ in nil },
        _ decide: (Row) throws -> RowOutcome
    ) throws {
        for parsed in chunk {
            do {
                switch try decide(parsed) {
                case .added: report.added += 1
                case .updated: report.updated += 1
                case .unchanged: report.unchanged += 1
                }
            } catch  where Store.isConnectionFailure(error) {
                throw error
            } catch {
                report.reject(parsed.row.reject(error, default: column(Handler.translate(error).code) ?? keyColumn))
            }
        }
    }

    /// A row's key: the values of `keyColumns`, as written (letters upper-cased).
    static func key(_ row: ImportRow) -> String {
        keyColumns.map { row.value($0).uppercased() }.joined(separator: "\u{1F}")
    }

    /// The values of a row's columns as a command's arguments (`columns` maps column → argument).
    static func arguments(_ row: ImportRow, _ columns: [String: String]) -> Arguments {
        var a = Arguments()
        for (column, argument) in columns where !row.value(column).isEmpty { a[argument] = .string(row.value(column)) }
        return a
    }
}
