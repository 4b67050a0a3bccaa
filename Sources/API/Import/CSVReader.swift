import Dates
import Foundation
import Spreadsheet
#if canImport(Glibc)
    import Glibc
#endif

/// The text encoding of an import file.
public enum ImportEncoding: String, CaseIterable, Sendable {
    /// UTF-8 with or without BOM when the whole file is valid UTF-8; otherwise GBK/GB18030.
    case auto
    case utf8 = "utf-8"
    /// GBK, read as GB18030 (its superset): what Excel writes on a Chinese Windows desktop.
    case gbk
}

/// One CSV record: its fields and the physical line of the file where it starts.
public struct CSVRecord: Sendable, Equatable {
    public let line: Int
    public let fields: [String]
}

/// Why a file cannot be read as CSV.
public struct CSVError: Error, CustomStringConvertible, Sendable {
    public let code: String
    public let line: Int
    public let message: String
    /// The message in Chinese, when the catalogue's sentence for the code cannot say enough.
    public var chinese: String? = nil
    public var description: String { line > 0 ? "line \(line): \(message)" : message }
}

/// A streaming RFC 4180 reader: quoted fields may hold commas, quotes and line
/// breaks; CRLF, LF and lone CR end records; a UTF-8 BOM is skipped; blank lines
/// are skipped. Reads in 1 MiB chunks, so memory stays flat, and never seeks: a pipe
/// or `/dev/stdin` reads like a file.
///
/// The encoding (`auto`) is decided in the first 64 KiB, by the first line that is not plain
/// ASCII: UTF-8 when it is valid UTF-8, else GBK. Every later line is held to it (`EncodingGuard`): a line that is not
/// UTF-8 in a UTF-8 file, or a line that is UTF-8 Chinese in a GBK file, stops the import
/// with `import.encoding` and its line, so a file mixing the two is refused, never stored
/// as mojibake.
public final class CSVReader {
    public let encoding: ImportEncoding
    private let file: UnsafeMutablePointer<FILE>
    /// The buffer behind an in-memory file (`init(bytes:)`), freed with the reader.
    private let memory: UnsafeMutableRawPointer?
    private var decoder: GB18030Decoder?
    private var guardian: EncodingGuard
    private var buffer: [UInt8] = []
    private var position = 0
    private var atEOF = false
    private var line = 1
    private var first = true
    /// What was read to decide the encoding, not yet decoded.
    private var prefix: [UInt8]
    /// Longest field accepted: a guard against a runaway quote swallowing the file.
    public static let maxFieldBytes = 1 << 20
    /// Longest record (all its fields) and most fields in one record: a row of an import file has a
    /// dozen short cells; a megabyte or hundreds of fields is a broken or hostile file.
    public static let maxRecordBytes = 1 << 20
    public static let maxFields = 256
    /// The file's size, when it is a regular file (not a pipe), and the bytes read from it so far: how far
    /// an import has come.
    public private(set) var size: Int?
    public private(set) var bytesRead = 0
    /// Most fields this reader takes in one record (`maxFields` unless set).
    public var fieldLimit = CSVReader.maxFields
    /// How much of the file decides the encoding.
    public static let sniffBytes = 1 << 16

    /// Opens `path` (a file, a pipe, `/dev/stdin`); `auto` decides the encoding from the first 64 KiB.
    public convenience init(path given: String, encoding requested: ImportEncoding) throws {
        let path = given == "-" ? "/dev/stdin" : given
        guard let f = fopen(path, "rb") else {
            throw CSVError(
                code: "import.file", line: 0, message: "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        var info = stat()
        guard fstat(fileno(f), &info) == 0 else {
            fclose(f)
            throw CSVError(
                code: "import.file", line: 0, message: "cannot read \(path): \(String(cString: strerror(errno)))")
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG, S_IFIFO, S_IFSOCK: break
        case S_IFDIR:
            fclose(f)
            throw CSVError(code: "import.file", line: 0, message: "\(path) is a directory; give the CSV file inside it")
        default:
            fclose(f)
            throw CSVError(
                code: "import.file", line: 0,
                message: "\(path) is a device, not a file; give a CSV file, or - for standard input through a pipe")
        }
        try self.init(file: f, memory: nil, encoding: requested)
    }

    /// Reads `bytes` as a file (the fuzz targets and their replay read this way).
    public convenience init(bytes: [UInt8], encoding requested: ImportEncoding) throws {
        let memory = UnsafeMutableRawPointer.allocate(byteCount: max(bytes.count, 1), alignment: 1)
        bytes.withUnsafeBytes { if let base = $0.baseAddress { memory.copyMemory(from: base, byteCount: bytes.count) } }
        guard let f = bytes.isEmpty ? fopen("/dev/null", "rb") : fmemopen(memory, bytes.count, "rb") else {
            memory.deallocate()
            throw CSVError(code: "import.file", line: 0, message: "cannot read the bytes given")
        }
        try self.init(file: f, memory: memory, encoding: requested)
    }

    private init(
        file f: UnsafeMutablePointer<FILE>, memory: UnsafeMutableRawPointer?, encoding requested: ImportEncoding
    ) throws {
        file = f
        self.memory = memory
        var head = [UInt8](repeating: 0, count: CSVReader.sniffBytes)
        let n = fread(&head, 1, head.count, f)
        prefix = Array(head[0..<n])
        bytesRead = n
        var info = stat()
        if fstat(fileno(f), &info) == 0, info.st_mode & S_IFMT == S_IFREG { size = Int(info.st_size) }
        // A workbook through a pipe: ZIP needs to seek, so it is named by its path (TableFile reads it then).
        if FileSignature.isZIP(prefix) || FileSignature.isLegacyExcel(prefix) {
            fclose(f)
            memory?.deallocate()
            throw CSVError(
                code: "import.file", line: 0,
                message:
                    "this is an Excel workbook, not CSV: give the .xlsx file by its path (standard input takes CSV only); an .xls file, save it as .xlsx or CSV",
                chinese: "这是 Excel 工作簿而不是 CSV：请直接给出 .xlsx 文件的路径（标准输入只接受 CSV）；.xls 文件请另存为 .xlsx 或 CSV")
        }
        var chosen = requested
        if requested == .auto {
            chosen = EncodingGuard.looksUTF8(prefix, complete: n < CSVReader.sniffBytes) ? .utf8 : .gbk
        }
        encoding = chosen
        guardian = EncodingGuard(encoding: chosen)
        if chosen == .gbk {
            do { decoder = try GB18030Decoder() } catch {
                fclose(f)
                memory?.deallocate()
                throw error
            }
        }
    }

    deinit {
        fclose(file)
        memory?.deallocate()
    }

    private func fill() throws -> Bool {
        if atEOF { return false }
        var chunk: [UInt8]
        if !prefix.isEmpty {
            chunk = prefix
            prefix = []
        } else {
            chunk = [UInt8](repeating: 0, count: 1 << 20)
            let n = fread(&chunk, 1, chunk.count, file)
            chunk.removeSubrange(n...)
            bytesRead += n
        }
        if position > 0 {
            buffer.removeFirst(position)
            position = 0
        }
        if chunk.isEmpty {
            atEOF = true
            try guardian.finish()
            if let decoder { try decoder.finish(line: line) }
            return false
        }
        try guardian.feed(chunk)
        if let decoder {
            buffer.append(contentsOf: try decoder.decode(chunk[...], line: line))
        } else {
            buffer.append(contentsOf: chunk)
        }
        if first {
            first = false
            if buffer.count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { position = 3 }
        }
        return true
    }

    private func peek() throws -> UInt8? {
        if position >= buffer.count { guard try fill(), position < buffer.count else { return nil } }
        return buffer[position]
    }

    /// The next non-blank record, or nil at the end of the file.
    public func next() throws -> CSVRecord? {
        while true {
            guard try peek() != nil else { return nil }
            let start = line
            var fields: [String] = []
            var field: [UInt8] = []
            var quoted = false, wasQuoted = false
            var recordBytes = 0
            func endField() throws {
                recordBytes += field.count
                guard fields.count < fieldLimit else {
                    throw CSVError(
                        code: "import.csv", line: start,
                        message:
                            "the record starting here has more than \(fieldLimit) fields; a row of an import file has one per column"
                    )
                }
                guard recordBytes <= CSVReader.maxRecordBytes else {
                    throw CSVError(
                        code: "import.csv", line: start,
                        message:
                            "the record starting here is longer than \(CSVReader.maxRecordBytes) bytes; a quote is probably not closed, or the file is not CSV"
                    )
                }
                fields.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
                wasQuoted = false
            }
            recordLoop: while let b = try peek() {
                position += 1
                if quoted {
                    if b == 0x22 {
                        if try peek() == 0x22 {
                            position += 1
                            field.append(0x22)
                        } else {
                            quoted = false
                        }
                    } else {
                        if b == 0x0A { line += 1 }
                        if b == 0x0D {
                            // CRLF or a lone CR inside quotes: one line break, kept as LF.
                            if try peek() == 0x0A { position += 1 }
                            line += 1
                            field.append(0x0A)
                        } else {
                            field.append(b)
                        }
                    }
                } else {
                    switch b {
                    case 0x2C: try endField()
                    case 0x0A:
                        line += 1
                        break recordLoop
                    case 0x0D:
                        if try peek() == 0x0A { position += 1 }
                        line += 1
                        break recordLoop
                    case 0x22 where field.isEmpty && !wasQuoted:
                        quoted = true
                        wasQuoted = true
                    default:
                        field.append(b)  // a stray quote inside an unquoted field is taken literally
                    }
                }
                if field.count > CSVReader.maxFieldBytes {
                    throw CSVError(
                        code: "import.csv", line: start,
                        message:
                            "a field longer than \(CSVReader.maxFieldBytes) bytes starts here; a quote is probably not closed"
                    )
                }
            }
            if quoted {
                throw CSVError(
                    code: "import.csv", line: start,
                    message: "a quoted field that starts on this line is never closed; add the closing quote (\")")
            }
            try endField()
            if fields.count == 1 && fields[0].trimmedASCIIWhitespace.isEmpty { continue }  // a blank line
            return CSVRecord(line: start, fields: fields)
        }
    }
}

/// Holds every line of a file to the encoding its beginning chose, by its physical line number.
struct EncodingGuard {
    let encoding: ImportEncoding
    private var validator = UTF8Validator()
    private var line = 1
    /// GBK: the current line's raw bytes (its first 4 KiB: enough to tell).
    private var current: [UInt8] = []

    init(encoding: ImportEncoding) { self.encoding = encoding }

    /// The encoding of the first line that is not plain ASCII decides: UTF-8 when that line is valid
    /// UTF-8 (its end may be cut off by the prefix), GBK otherwise; every later line is then held to it.
    static func looksUTF8(_ bytes: [UInt8], complete: Bool) -> Bool {
        var start = 0
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
            let line = bytes[start..<end]
            if line.contains(where: { $0 >= 0x80 }) {
                var v = UTF8Validator()
                guard v.firstInvalid(line) == nil else { return false }
                return v.isComplete || (end == bytes.count && !complete)
            }
            start = end + 1
        }
        return true
    }

    /// A line that is valid UTF-8 and holds a character of three bytes or more (Chinese in UTF-8):
    /// in a GBK file, such a line was saved as UTF-8. (Two-byte sequences alone prove nothing: the
    /// GBK for 联通 is valid UTF-8.)
    static func isUTF8Chinese(_ bytes: [UInt8]) -> Bool {
        guard bytes.contains(where: { $0 >= 0xE0 }) else { return false }
        var v = UTF8Validator()
        return v.firstInvalid(bytes[...]) == nil && v.isComplete
    }

    mutating func feed(_ chunk: [UInt8]) throws {
        switch encoding {
        case .gbk, .auto:
            for b in chunk {
                if b == 0x0A {
                    try endLine()
                } else if current.count < 4096 {
                    current.append(b)
                }
            }
        case .utf8:
            if let bad = validator.firstInvalid(chunk[...]) {
                throw mixed(
                    line: line + chunk[..<bad].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) },
                    found: "bytes that are not UTF-8")
            }
            line += chunk.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        }
    }

    mutating func finish() throws {
        switch encoding {
        case .utf8:
            guard validator.isComplete else { throw mixed(line: line, found: "a UTF-8 character cut off at the end") }
        default:
            try endLine()
        }
    }

    private mutating func endLine() throws {
        if Self.isUTF8Chinese(current) { throw mixed(line: line, found: "UTF-8 text") }
        current.removeAll(keepingCapacity: true)
        line += 1
    }

    private func mixed(line: Int, found: String) -> CSVError {
        let chosen = encoding == .utf8 ? "UTF-8" : "GBK"
        return CSVError(
            code: "import.encoding", line: line,
            message:
                "this line holds \(found), but the file began in \(chosen): it mixes encodings, and would be stored garbled. Save the whole file in one encoding (Excel: 另存为 CSV UTF-8) and send it again; nothing was imported"
        )
    }
}

/// Incremental UTF-8 validation across chunk boundaries.
struct UTF8Validator {
    private var pending = 0  // continuation bytes still expected
    private var lower: UInt8 = 0x80  // bounds for the next continuation byte (overlongs, surrogates)
    private var upper: UInt8 = 0xBF

    var isComplete: Bool { pending == 0 }

    /// The index of the first byte that cannot continue valid UTF-8, or nil.
    mutating func firstInvalid(_ bytes: ArraySlice<UInt8>) -> Int? {
        for i in bytes.indices {
            let b = bytes[i]
            if pending > 0 {
                guard b >= lower && b <= upper else { return i }
                lower = 0x80
                upper = 0xBF
                pending -= 1
                continue
            }
            switch b {
            case 0x00...0x7F: continue
            case 0xC2...0xDF: pending = 1
            case 0xE0:
                pending = 2
                lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: pending = 2
            case 0xED:
                pending = 2
                upper = 0x9F
            case 0xF0:
                pending = 3
                lower = 0x90
            case 0xF1...0xF3: pending = 3
            case 0xF4:
                pending = 3
                upper = 0x8F
            default: return i
            }
        }
        return nil
    }
}

/// GB18030 (a superset of GBK) to UTF-8 with iconv from the C library, chunk by
/// chunk: a multi-byte character split across chunks is carried to the next.
final class GB18030Decoder {
    private let cd: iconv_t
    private var carry: [UInt8] = []

    init() throws {
        let handle = iconv_open("UTF-8", "GB18030")
        guard handle != iconv_t(bitPattern: -1) else {
            throw CSVError(
                code: "import.encoding", line: 0,
                message:
                    "this system's C library cannot convert GB18030 (iconv); convert the file to UTF-8 and use --encoding utf-8"
            )
        }
        cd = handle!
    }

    deinit { iconv_close(cd) }

    func decode(_ chunk: ArraySlice<UInt8>, line: Int) throws -> [UInt8] {
        var input = carry + chunk
        carry = []
        var output = [UInt8](repeating: 0, count: input.count * 2 + 16)
        var inLeft = input.count
        var outLeft = output.count
        let produced: Int = try input.withUnsafeMutableBytes { inRaw in
            try output.withUnsafeMutableBytes { outRaw in
                var inPtr: UnsafeMutablePointer<CChar>? = inRaw.baseAddress!.assumingMemoryBound(to: CChar.self)
                var outPtr: UnsafeMutablePointer<CChar>? = outRaw.baseAddress!.assumingMemoryBound(to: CChar.self)
                // size_t (-1) comes through as -1: the output has room for the worst case (2x), so only
                // EINVAL (a character split at the chunk's end: carried) and EILSEQ (not GB18030) remain.
                if iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) == -1 && errno == EILSEQ {
                    throw CSVError(
                        code: "import.encoding", line: line,
                        message:
                            "the file is neither valid UTF-8 nor GBK/GB18030 near this line; save it as CSV UTF-8 (Excel: 另存为 CSV UTF-8) or GBK and send it again"
                    )
                }
                return outRaw.count - outLeft
            }
        }
        if inLeft > 0 { carry = Array(input.suffix(inLeft)) }
        return Array(output.prefix(produced))
    }

    func finish(line: Int) throws {
        if !carry.isEmpty {
            throw CSVError(
                code: "import.encoding", line: line,
                message: "the file ends in the middle of a GBK character; it is truncated or not GBK")
        }
    }
}
