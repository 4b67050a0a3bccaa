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
    /// The column a duplicate row and an unplaced refusal point at.
    var keyColumn: String { get }
    func parse(_ row: ImportRow) throws -> Row
    func duplicateMessage(_ row: Row, firstLine: Int) -> String
    /// Decides and writes one chunk.
    mutating func process(_ chunk: [Row], _ report: inout ImportReport) throws
}

extension BatchImport {
    static var chunkSize: Int { 20_000 }

    mutating func run(_ rows: inout RowSource, _ report: inout ImportReport) throws {
        var seen: [String: Int] = [:]
        var chunk: [Row] = []
        while let row = try rows.next() {
            do {
                let parsed = try parse(row)
                if let first = seen[parsed.key] {
                    report.rejections.append(
                        ImportRejection(
                            line: row.line, column: row.headers[keyColumn] ?? keyColumn,
                            value: row.masked(keyColumn), code: "import.duplicate-row",
                            message: duplicateMessage(parsed, firstLine: first)))
                    continue
                }
                seen[parsed.key] = row.line
                chunk.append(parsed)
            } catch {
                report.rejections.append(row.reject(error, default: keyColumn))
            }
            if chunk.count >= Self.chunkSize {
                try process(chunk, &report)
                chunk.removeAll(keepingCapacity: true)
            }
        }
        try process(chunk, &report)
        report.rejections += rows.shapeErrors
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
                report.rejections.append(
                    parsed.row.reject(error, default: column(Handler.translate(error).code) ?? keyColumn))
            }
        }
    }

    /// The values of a row's columns as a command's arguments (`columns` maps column → argument).
    static func arguments(_ row: ImportRow, _ columns: [String: String]) -> Arguments {
        var a = Arguments()
        for (column, argument) in columns where !row.value(column).isEmpty { a[argument] = .string(row.value(column)) }
        return a
    }
}
