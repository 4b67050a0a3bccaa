import Dates
import Foundation
import Testing

/// The importer's trim is Foundation's `.whitespacesAndNewlines` trim, done faster: the same answer on
/// every case, ASCII or not at either end.
@Suite struct TrimTests {
    static let cases = [
        "", " ", "\t\r\n", "abc", "  abc  ", "\u{3000}张三\u{3000}", "张三", " 张三", "张三 ", "\u{00A0}x\u{00A0}",
        "\u{200B}x\u{200B}", "\u{2028}x\u{2029}", " \u{301}abc", "abc\u{301} ", "👩‍⚕️ ", "\u{85}x\u{85}", "\u{1680}x",
        "x\u{202F}", "\u{FEFF}x", "a b", "\u{3000}", " \u{3000} ", "\u{0B}x\u{0C}", "\u{1F}x"
    ]

    @Test(arguments: cases) func sameAsFoundation(text: String) {
        #expect(
            text.trimmedASCIIWhitespace == text.trimmingCharacters(in: .whitespacesAndNewlines),
            "\(Array(text.unicodeScalars))")
    }
}

extension TrimTests {
    /// The spelled-out set of white space is Foundation's, on every scalar there is (at either end of a
    /// non-ASCII text, the path Chinese names take).
    @Test func everyScalarAsFoundation() {
        var differ: [UInt32] = []
        for value in UInt32(0x80)...0x10FFFF {
            guard let s = Unicode.Scalar(value) else { continue }
            let text = "张\(s)"
            if text.trimmedASCIIWhitespace != text.trimmingCharacters(in: .whitespacesAndNewlines) {
                differ.append(value)
            }
        }
        #expect(differ.isEmpty, "\(differ.prefix(10).map { String($0, radix: 16) })")
    }
}
