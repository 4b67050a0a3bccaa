import Dates
import Foundation
import Registration

/// What an accepted row did.
enum RowOutcome { case added, updated, ended, unchanged }

/// A row parsed and checked for form, with the key that names its record in the file.
protocol ParsedRow: Sendable {
    var row: ImportRow { get }
    /// Rows with the same key name the same record: the second is `import.duplicate-row`.
    var key: String { get }
}

/// One kind of import in the batch shape (all five kinds): each row is parsed and checked for form as its
/// command would; a chunk's facts are read in bulk; the commands' own decision functions run row by row
/// in memory, in file order, on the facts as each accepted row leaves them; the accepted rows are written
/// in one statement per table (COPY, or the staged insert under row-level security), with the events
/// their commands write. One transaction for the whole file.
protocol BatchImport: SendableMetatype {
    associatedtype Row: ParsedRow
    var context: CommandContext { get }
    /// The columns whose values name a row's record (`uscc`; `id_number` and `institution`): two rows with the
    /// same are duplicates. The first is where a duplicate row and an unplaced refusal point.
    static var keyColumns: [String] { get }
    /// Parses and checks one row for form, as its command would (runs on the reading thread: no store).
    static func parse(_ row: ImportRow, today: CalendarDate) throws -> Row
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
    /// `import.duplicate-row`, naming the line that had it first. The file is read and parsed on a thread
    /// of its own while the previous chunk's facts are read and its writes made (`ChunkChannel`), so that
    /// the client's work and the server's overlap.
    mutating func run(_ rows: inout RowSource, _ report: inout ImportReport) throws {
        let chunkSize = Self.chunkSize, today = context.today, keyColumn = self.keyColumn
        let channel = ChunkChannel<Row>()
        let source = MovedRows(rows)
        Thread {
            var rows = source.rows
            var chunk = ChunkChannel<Row>.Chunk()
            do {
                while let row = try rows.next() {
                    do {
                        let parsed = try Self.parse(row, today: today)
                        if chunk.firstInChunk[parsed.key] != nil {
                            chunk.repeats.append((parsed, parsed.key))
                        } else {
                            chunk.firstInChunk[parsed.key] = row.line
                            chunk.rows.append(parsed)
                        }
                    } catch {
                        chunk.rejections.append(row.reject(error, default: keyColumn))
                    }
                    chunk.rejections += rows.shapeErrors
                    rows.shapeErrors.removeAll()
                    // A chunk closes at `chunkSize` records read, refused ones included: a file of mostly
                    // rejected rows keeps its chunks (and their rejections) as small as any other.
                    chunk.records += 1
                    if chunk.records >= chunkSize {
                        chunk.lastLine = rows.lastLine
                        guard channel.put(.chunk(chunk)) else { return }
                        chunk = ChunkChannel<Row>.Chunk()
                    }
                }
                chunk.rejections += rows.shapeErrors
                chunk.lastLine = .max
                guard channel.put(.chunk(chunk)) else { return }
                _ = channel.put(.end(read: rows.read, lastLine: rows.lastLine))
            } catch {
                _ = channel.put(.failure(error))
            }
        }.start()
        // On an error the reader is told to stop at its next chunk (it holds the file, nothing else).
        defer { channel.cancel() }
        while true {
            switch channel.take() {
            case .chunk(var c):
                for r in c.rejections { report.reject(r) }
                try flush(&c.rows, &c.repeats, &c.firstInChunk, &report)
                try report.spool.settle(through: c.lastLine)
            case .failure(let error):
                throw error
            case .end(let read, let lastLine):
                rows.read = read
                rows.lastLine = lastLine
                return
            }
        }
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
            value: parsed.row.value(keyColumn), code: "import.duplicate-row",
            message: duplicateMessage(parsed, firstLine: firstLine), row: parsed.row.fields,
            chinese: "与第 \(firstLine) 行重复：同一记录在文件中只能出现一次，请保留一行")
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
                case .ended: report.ended += 1
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

/// Parsed chunks handed from the reading thread to the deciding one. At most one waits: the file is read a
/// chunk ahead, so memory stays bounded (three chunks at most) whatever its length.
final class ChunkChannel<Row: Sendable>: @unchecked Sendable {  // its state is guarded by `condition`
    struct Chunk: Sendable {
        var rows: [Row] = []
        var repeats: [(row: Row, key: String)] = []
        var firstInChunk: [String: Int] = [:]
        var rejections: [ImportRejection] = []
        /// Records read into the chunk (parsed or refused).
        var records = 0
        /// The physical line of the last record read when the chunk closed.
        var lastLine = 0
    }

    enum Item {
        case chunk(Chunk)
        case failure(any Error)
        case end(read: Int, lastLine: Int)
    }

    private let condition = NSCondition()
    private var items: [Item] = []
    private var cancelled = false

    /// Hands an item over, waiting while one waits; false when the reader is to stop.
    func put(_ item: Item) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !items.isEmpty && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        items.append(item)
        condition.broadcast()
        return true
    }

    func take() -> Item {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty { condition.wait() }
        condition.broadcast()
        return items.removeFirst()
    }

    func cancel() {
        condition.lock()
        cancelled = true
        items.removeAll()
        condition.broadcast()
        condition.unlock()
    }
}

/// The rows of a file, moved to the reading thread: only it uses them from then on.
struct MovedRows: @unchecked Sendable {
    let rows: RowSource
    init(_ rows: RowSource) { self.rows = rows }
}
