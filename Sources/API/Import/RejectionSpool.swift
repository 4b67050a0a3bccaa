import Foundation
import Registration

/// The rejected rows of an import, in line order, without holding them all: an import of ten million rows
/// may reject millions. Rejections arrive a little out of order (a chunk's decisions come after the parse
/// errors of the rows read with it); `settle(through:)` sorts what can no longer be overtaken and writes it
/// to a temporary file as lines of the errors report. The first `kept` stay in memory for the summary.
final class RejectionSpool {
    static let kept = 1000
    private(set) var count = 0
    private(set) var first: [ImportRejection] = []
    private var pending: [ImportRejection] = []
    private var file: FileHandle?
    private(set) var path: String?
    private var buffer = Data()
    /// The language of the report's messages.
    var catalogue: Catalogue = .english

    func add(_ r: ImportRejection) { pending.append(r) }

    /// Writes the rejections of lines up to `line`, in line order (no later rejection can come before them).
    func settle(through line: Int) throws {
        guard !pending.isEmpty else { return }
        pending.sort { $0.line < $1.line }
        let split = pending.firstIndex { $0.line > line } ?? pending.count
        for r in pending[..<split] {
            count += 1
            if first.count < Self.kept { first.append(r) }
            buffer.append(contentsOf: csvLine(r).utf8)
        }
        pending.removeFirst(split)
        if buffer.count >= 1 << 20 { try flush() }
    }

    /// Everything settled and on disk.
    func close() throws {
        try settle(through: .max)
        try flush()
        try file?.close()
        file = nil
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        if file == nil {
            let p = NSTemporaryDirectory() + "regctl-rejections-\(UUID.random().uuidString).csv"
            guard FileManager.default.createFile(atPath: p, contents: nil, attributes: [.posixPermissions: 0o600]),
                let h = FileHandle(forWritingAtPath: p)
            else {
                throw RegctlError(
                    "import.file",
                    "cannot write the rejected rows to \(p); check the space in \(NSTemporaryDirectory())")
            }
            file = h
            path = p
        }
        try file?.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// A record of the spool: where, what, why (in the report's language), then the row as sent, as they
    /// are (the report's writer makes them inert for a CSV, or writes them as text cells of a workbook).
    func csvLine(_ r: ImportRejection) -> String {
        let message = catalogue.message(code: r.code, english: r.message, chinese: r.chinese)
        return CSVText.line([String(r.line), r.column, r.value, r.code, message] + r.row)
    }

    /// Reads the spooled records back, in line order.
    func records(_ body: ([String]) throws -> Void) throws {
        guard let path else { return }
        let reader = try CSVReader(path: path, encoding: .utf8)
        reader.fieldLimit = CSVReader.maxFields + 8
        while let record = try reader.next() { try body(record.fields) }
    }

    deinit {
        try? file?.close()
        if let path { try? FileManager.default.removeItem(atPath: path) }
    }
}
