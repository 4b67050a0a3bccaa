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
