import Dates
import Foundation
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
    public var description: String { "line \(line): \(message)" }
}

/// A streaming RFC 4180 reader: quoted fields may hold commas, quotes and line
/// breaks; CRLF, LF and lone CR end records; a UTF-8 BOM is skipped; blank lines
/// are skipped. Reads the file in 1 MiB chunks, so memory stays flat.
public final class CSVReader {
    public let encoding: ImportEncoding
    private let file: UnsafeMutablePointer<FILE>
    private var decoder: GB18030Decoder?
    private var buffer: [UInt8] = []
    private var position = 0
    private var atEOF = false
    private var line = 1
    private var first = true
    /// Longest field accepted: a guard against a runaway quote swallowing the file.
    public static let maxFieldBytes = 1 << 20

    /// Opens `path`; `auto` decides the encoding by scanning the file once.
    public init(path: String, encoding requested: ImportEncoding) throws {
        guard let f = fopen(path, "rb") else {
            throw CSVError(code: "import.file", line: 0, message: "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        file = f
        var chosen = requested
        if requested == .auto {
            chosen = try CSVReader.isUTF8(file: f) ? .utf8 : .gbk
            rewind(f)
        }
        encoding = chosen
        if chosen == .gbk { decoder = try GB18030Decoder() }
    }

    deinit { fclose(file) }

    /// True when the file (after an optional BOM) is valid UTF-8.
    static func isUTF8(file: UnsafeMutablePointer<FILE>) throws -> Bool {
        var validator = UTF8Validator()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = fread(&chunk, 1, chunk.count, file)
            if n == 0 { break }
            if !validator.feed(chunk[0..<n]) { return false }
        }
        return validator.isComplete
    }

    private func fill() throws -> Bool {
        if atEOF { return false }
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        let n = fread(&chunk, 1, chunk.count, file)
        if position > 0 { buffer.removeFirst(position); position = 0 }
        if n == 0 {
            atEOF = true
            if let decoder { try decoder.finish(line: line) }
            return false
        }
        if let decoder {
            buffer.append(contentsOf: try decoder.decode(chunk[0..<n], line: line))
        } else {
            buffer.append(contentsOf: chunk[0..<n])
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
            func endField() { fields.append(String(decoding: field, as: UTF8.self)); field.removeAll(keepingCapacity: true); wasQuoted = false }
            recordLoop: while let b = try peek() {
                position += 1
                if quoted {
                    if b == 0x22 {
                        if try peek() == 0x22 { position += 1; field.append(0x22) } else { quoted = false }
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
                    case 0x2C: endField()
                    case 0x0A: line += 1; break recordLoop
                    case 0x0D:
                        if try peek() == 0x0A { position += 1 }
                        line += 1
                        break recordLoop
                    case 0x22 where field.isEmpty && !wasQuoted:
                        quoted = true; wasQuoted = true
                    default:
                        field.append(b) // a stray quote inside an unquoted field is taken literally
                    }
                }
                if field.count > CSVReader.maxFieldBytes {
                    throw CSVError(code: "import.csv", line: start, message: "a field longer than \(CSVReader.maxFieldBytes) bytes starts here; a quote is probably not closed")
                }
            }
            if quoted {
                throw CSVError(code: "import.csv", line: start, message: "a quoted field that starts on this line is never closed; add the closing quote (\")")
            }
            endField()
            if fields.count == 1 && fields[0].trimmedASCIIWhitespace.isEmpty { continue } // a blank line
            return CSVRecord(line: start, fields: fields)
        }
    }
}

/// Incremental UTF-8 validation across chunk boundaries.
struct UTF8Validator {
    private var pending = 0          // continuation bytes still expected
    private var lower: UInt8 = 0x80  // bounds for the next continuation byte (overlongs, surrogates)
    private var upper: UInt8 = 0xBF

    var isComplete: Bool { pending == 0 }

    mutating func feed(_ bytes: ArraySlice<UInt8>) -> Bool {
        for b in bytes {
            if pending > 0 {
                guard b >= lower && b <= upper else { return false }
                lower = 0x80; upper = 0xBF
                pending -= 1
                continue
            }
            switch b {
            case 0x00...0x7F: continue
            case 0xC2...0xDF: pending = 1
            case 0xE0: pending = 2; lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: pending = 2
            case 0xED: pending = 2; upper = 0x9F
            case 0xF0: pending = 3; lower = 0x90
            case 0xF1...0xF3: pending = 3
            case 0xF4: pending = 3; upper = 0x8F
            default: return false
            }
        }
        return true
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
            throw CSVError(code: "import.encoding", line: 0, message: "this system's C library cannot convert GB18030 (iconv); convert the file to UTF-8 and use --encoding utf-8")
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
                    throw CSVError(code: "import.encoding", line: line, message: "the file is neither valid UTF-8 nor GBK/GB18030 near this line; save it as CSV UTF-8 (Excel: 另存为 CSV UTF-8) or GBK and send it again")
                }
                return outRaw.count - outLeft
            }
        }
        if inLeft > 0 { carry = Array(input.suffix(inLeft)) }
        return Array(output.prefix(produced))
    }

    func finish(line: Int) throws {
        if !carry.isEmpty {
            throw CSVError(code: "import.encoding", line: line, message: "the file ends in the middle of a GBK character; it is truncated or not GBK")
        }
    }
}
