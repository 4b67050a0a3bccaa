import Foundation

extension String {
    /// The text without leading and trailing white space. The common case (ASCII at both
    /// ends) works on UTF-8 bytes: Foundation's `trimmingCharacters(in:)` goes through
    /// NSString on Linux and dominated a million-row import. Text with non-ASCII at an end
    /// (an ideographic space 　 from a Chinese keyboard) takes Foundation's full path.
    public var trimmedASCIIWhitespace: String {
        let u = utf8
        guard let firstByte = u.first, let lastByte = u.last else { return "" }
        if firstByte >= 0x80 || lastByte >= 0x80 { return trimmingCharacters(in: .whitespacesAndNewlines) }
        func space(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        guard let first = u.firstIndex(where: { !space($0) }) else { return "" }
        if u[first] >= 0x80 { return trimmingCharacters(in: .whitespacesAndNewlines) }
        let last = u.lastIndex(where: { !space($0) })!
        if u[last] >= 0x80 { return trimmingCharacters(in: .whitespacesAndNewlines) }
        if first == u.startIndex && u.index(after: last) == u.endIndex { return self }
        return String(self[first...last])
    }
}

extension Substring {
    public var trimmedASCIIWhitespace: String { String(self).trimmedASCIIWhitespace }
}
