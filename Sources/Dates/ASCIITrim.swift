import Foundation

extension String {
    /// The text without leading and trailing white space (Unicode's White_Space: ASCII spaces and line
    /// ends, and an ideographic space 　 from a Chinese keyboard, as Foundation's
    /// `.whitespacesAndNewlines`). The common case (ASCII at both ends) works on UTF-8 bytes; text with
    /// non-ASCII at an end looks at the scalars at its ends only. Foundation's `trimmingCharacters(in:)`
    /// goes through NSString on Linux and dominated a million-row import (a fifth of a physicians
    /// import's time, every name being Chinese).
    public var trimmedASCIIWhitespace: String {
        let u = utf8
        guard let firstByte = u.first, let lastByte = u.last else { return "" }
        if firstByte >= 0x80 || lastByte >= 0x80 { return trimmedUnicodeWhitespace }
        func space(_ b: UInt8) -> Bool { b == 0x20 || (0x09...0x0D).contains(b) }
        guard let first = u.firstIndex(where: { !space($0) }) else { return "" }
        if u[first] >= 0x80 { return trimmedUnicodeWhitespace }
        let last = u.lastIndex(where: { !space($0) })!
        if u[last] >= 0x80 { return trimmedUnicodeWhitespace }
        if first == u.startIndex && u.index(after: last) == u.endIndex { return self }
        return String(self[first...last])
    }

    private var trimmedUnicodeWhitespace: String {
        let scalars = unicodeScalars
        // Unicode's White_Space property (a stable set of 25 code points, spelled out: the property lookup was a
        // twentieth of an import's time on Chinese names); Foundation's set counts the zero-width space too.
        func white(_ s: Unicode.Scalar) -> Bool {
            switch s.value {
            case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200B, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: true
            default: false
            }
        }
        guard let first = scalars.firstIndex(where: { !white($0) }) else { return "" }
        guard let last = scalars.lastIndex(where: { !white($0) }) else { return "" }
        if first == scalars.startIndex && scalars.index(after: last) == scalars.endIndex { return self }
        return String(scalars[first...last])
    }
}

extension Substring {
    public var trimmedASCIIWhitespace: String { String(self).trimmedASCIIWhitespace }
}
