import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// How text is written for people's tools: `--encoding`. CSV goes in UTF-8 with a byte-order mark by default
/// (Excel on a Chinese Windows desktop reads UTF-8 without one as GBK: 杭州市 turns to 鏉�宸炲競); GB18030
/// for older Excel (CSV and tables; JSON and HTML are always UTF-8); plain UTF-8 for scripts.
public enum OutputEncoding: Sendable, Equatable {
    /// UTF-8, with a BOM for CSV.
    case excelUTF8
    /// UTF-8 as it is.
    case utf8
    /// GB18030 (a superset of GBK: every character has a code).
    case gb18030

    public func encode(_ text: String, format: OutputFormat) throws -> Data {
        switch self {
        case .excelUTF8: return Data(((format == .csv ? "\u{FEFF}" : "") + text).utf8)
        case .utf8: return Data(text.utf8)
        // JSON is UTF-8 by its standard (RFC 8259) and a page says `charset=utf-8`: both stay UTF-8.
        case .gb18030: return format == .json || format == .html ? Data(text.utf8) : try Self.gb18030(text)
        }
    }

    /// UTF-8 to GB18030 with the C library's iconv (Foundation on Linux has no GB18030 encoder).
    static func gb18030(_ text: String) throws -> Data {
        let handle = iconv_open("GB18030", "UTF-8")
        guard handle != iconv_t(bitPattern: -1) else { throw EncodingUnavailable() }
        defer { iconv_close(handle) }
        var input = Array(text.utf8).map { CChar(bitPattern: $0) }
        var output = [CChar](repeating: 0, count: input.count * 2 + 16)
        var inLeft = input.count, outLeft = output.count
        let written: Int = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                var inPointer: UnsafeMutablePointer<CChar>? = inBuffer.baseAddress
                var outPointer: UnsafeMutablePointer<CChar>? = outBuffer.baseAddress
                // Every Unicode scalar has a GB18030 code, at most 4 bytes for UTF-8's 1 to 4: the output fits.
                _ = iconv(handle, &inPointer, &inLeft, &outPointer, &outLeft)
                return outBuffer.count - outLeft
            }
        }
        guard inLeft == 0 else { throw EncodingUnavailable() }
        return Data(output.prefix(written).map { UInt8(bitPattern: $0) })
    }

    public struct EncodingUnavailable: Error {}
}
