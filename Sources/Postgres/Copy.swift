import CLibPQ
import Foundation

extension Connection {
    /// Streams rows into `COPY … FROM STDIN`: `body` appends rows to the writer,
    /// which hands them to libpq in large chunks. When `body` throws, the COPY is
    /// ended with that message (`PQputCopyEnd`), the server discards every row,
    /// and the error is rethrown. Returns the number of rows copied.
    @discardableResult
    public func copyIn(_ sql: SQL, chunkSize: Int = 1 << 20, _ body: (inout CopyWriter) throws -> Void) throws -> Int {
        guard sql.parameters.isEmpty else {
            throw PostgresError(
                kind: .usage, message: "COPY takes no bound parameters; interpolate identifiers with \\(identifier:)")
        }
        let text = try sql.render(escapeIdentifier: escapeIdentifier)
        guard let start = PQexec(handle, text) else {
            throw PostgresError(
                kind: .connection, message: String(cString: PQerrorMessage(handle)).trimmingTrailingNewlines,
                query: text)
        }
        let startResult = ResultHandle(start)
        guard PQresultStatus(start) == PGRES_COPY_IN else {
            _ = try check(startResult, query: text)
            throw PostgresError(kind: .usage, message: "the statement is not COPY … FROM STDIN", query: text)
        }
        var writer = CopyWriter(connection: self, chunkSize: chunkSize)
        do {
            try body(&writer)
            try writer.flush()
        } catch {
            let reason = "aborted by the client: \(error)"
            _ = PQputCopyEnd(handle, reason)
            drainResults()
            throw error
        }
        guard PQputCopyEnd(handle, nil) == 1 else {
            let message = String(cString: PQerrorMessage(handle)).trimmingTrailingNewlines
            drainResults()
            throw PostgresError(kind: .connection, message: message, query: text)
        }
        var copied = 0
        var failure: PostgresError?
        while let r = PQgetResult(handle) {
            let result = ResultHandle(r)
            do { copied = try check(result, query: text).affected } catch let e as PostgresError {
                failure = failure ?? e
            }
        }
        if let failure { throw failure }
        return copied
    }

    /// Reads and discards results until libpq has none (after a COPY ends).
    func drainResults() {
        while let r = PQgetResult(handle) { PQclear(r) }
    }

    func putCopyData(_ bytes: UnsafeRawBufferPointer) throws {
        guard !bytes.isEmpty else { return }
        let base = bytes.baseAddress!.assumingMemoryBound(to: CChar.self)
        guard PQputCopyData(handle, base, Int32(bytes.count)) == 1 else {
            throw PostgresError(
                kind: .connection,
                message: "COPY failed: \(String(cString: PQerrorMessage(handle)).trimmingTrailingNewlines)")
        }
    }
}

/// Buffers COPY data and sends it in chunks; knows the text format's escapes.
public struct CopyWriter {
    let connection: Connection
    let chunkSize: Int
    var buffer: [UInt8] = []
    /// Rows appended with `appendRow` so far.
    public private(set) var rows = 0

    init(connection: Connection, chunkSize: Int) {
        self.connection = connection
        self.chunkSize = chunkSize
        buffer.reserveCapacity(chunkSize + 4096)
    }

    /// One row in COPY's text format: tab-separated, `\N` for NULL, backslash escapes.
    public mutating func appendRow(_ fields: [String?]) throws {
        for (i, field) in fields.enumerated() {
            if i > 0 { buffer.append(0x09) }
            guard let field else {
                buffer.append(0x5C)
                buffer.append(0x4E)  // \N
                continue
            }
            var f = field
            f.withUTF8 { bytes in
                if !bytes.contains(where: { $0 == 0x5C || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
                    buffer.append(contentsOf: bytes)
                    return
                }
                for b in bytes {
                    switch b {
                    case 0x5C:
                        buffer.append(0x5C)
                        buffer.append(0x5C)
                    case 0x09:
                        buffer.append(0x5C)
                        buffer.append(0x74)
                    case 0x0A:
                        buffer.append(0x5C)
                        buffer.append(0x6E)
                    case 0x0D:
                        buffer.append(0x5C)
                        buffer.append(0x72)
                    default: buffer.append(b)
                    }
                }
            }
        }
        buffer.append(0x0A)
        rows += 1
        if buffer.count >= chunkSize { try flush() }
    }

    /// Raw bytes in whatever format the COPY statement named (CSV, text, binary).
    public mutating func write(_ bytes: some Sequence<UInt8>) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= chunkSize { try flush() }
    }

    /// Sends what is buffered.
    public mutating func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try connection.putCopyData($0) }
        buffer.removeAll(keepingCapacity: true)
    }
}
