/// A pull reader of XML, for the parts of an Office Open XML workbook: it hands out one event at a time
/// (`next()`), reading its input in chunks, so a worksheet of a million rows is never in memory.
///
/// Written here rather than taken from Foundation: `XMLParser` pushes events to a delegate until the
/// document ends, so reading a sheet row by row, as an import does, would need a second thread and a
/// hand-off queue; and it would expand a DOCTYPE's entities, which a workbook never has and an attacker
/// would. This reader knows the five predefined entities and character references, skips comments and
/// processing instructions, reads CDATA, drops namespace prefixes (`x:row` is `row`), refuses a DOCTYPE,
/// and holds every token to a size limit.
public struct XMLPullReader {
    public enum Event: Equatable {
        /// An element starts; `empty` for `<c r="A1"/>`, which has no end event.
        case start(name: String, attributes: [String: String], empty: Bool)
        case end(name: String)
        /// Character data between tags (entities decoded; may be white space).
        case text(String)
    }

    /// Longest tag or run of text accepted: a cell holds at most 32,767 characters in Excel.
    public static let maxToken = 4 << 20

    private let source: () throws -> [UInt8]?
    private var buffer: [UInt8] = []
    private var position = 0
    private var finished = false

    /// `source` returns the next chunk of the document, or nil at its end.
    public init(source: @escaping () throws -> [UInt8]?) {
        self.source = source
    }

    /// Reads a document held in memory (small parts: the workbook, its relationships, the styles), handed out
    /// `chunk` bytes at a time (the whole at once by default; tests and the fuzz target cut it small).
    public init(bytes: [UInt8], chunk: Int = .max) {
        var offset = 0
        self.init(source: {
            guard offset < bytes.count else { return nil }
            let end = offset + min(chunk, bytes.count - offset)
            defer { offset = end }
            return Array(bytes[offset..<end])
        })
    }

    /// Makes sure `count` bytes are buffered from `position` on; false if the document ends first.
    private mutating func ensure(_ count: Int) throws -> Bool {
        while buffer.count - position < count {
            if finished { return false }
            if position > 0 {
                buffer.removeSubrange(0..<position)
                position = 0
            }
            guard let chunk = try source() else {
                finished = true
                return buffer.count - position >= count
            }
            buffer.append(contentsOf: chunk)
        }
        return true
    }

    /// The offset from `position` where `pattern` starts, reading on as needed; nil if the document ends.
    private mutating func find(_ pattern: [UInt8], from start: Int) throws -> Int? {
        var offset = start
        while true {
            let end = buffer.count - pattern.count
            var i = position + offset
            while i <= end {
                if buffer[i] == pattern[0] {
                    var matched = true
                    for k in 1..<pattern.count where buffer[i + k] != pattern[k] {
                        matched = false
                        break
                    }
                    if matched { return i - position }
                }
                i += 1
            }
            offset = max(start, buffer.count - position - pattern.count + 1)
            if offset > Self.maxToken { throw XMLPullError("an element or text is longer than 4 MiB") }
            if !(try ensure(buffer.count - position + 1)) { return nil }
        }
    }

    /// The next event, or nil at the end of the document.
    public mutating func next() throws -> Event? {
        while true {
            guard try ensure(1) else { return nil }
            if buffer[position] != UInt8(ascii: "<") {
                let end = try find([UInt8(ascii: "<")], from: 0) ?? (buffer.count - position)
                let text = try XMLPullReader.decode(buffer[position..<position + end])
                position += end
                return .text(text)
            }
            guard try ensure(2) else { throw XMLPullError("the document ends inside a tag") }
            switch buffer[position + 1] {
            case UInt8(ascii: "?"):
                try skip(past: Array("?>".utf8))
                continue
            case UInt8(ascii: "!"):
                if try starts(with: "<!--") {
                    try skip(past: Array("-->".utf8))
                    continue
                }
                if try starts(with: "<![CDATA[") {
                    guard let end = try find(Array("]]>".utf8), from: 9) else {
                        throw XMLPullError("the document ends inside CDATA")
                    }
                    let text = String(decoding: buffer[position + 9..<position + end], as: UTF8.self)
                    position += end + 3
                    return .text(text)
                }
                throw XMLPullError("a workbook part has a DOCTYPE or other declaration, which a workbook never has")
            case UInt8(ascii: "/"):
                guard let end = try find([UInt8(ascii: ">")], from: 2) else {
                    throw XMLPullError("the document ends inside a tag")
                }
                let name = XMLPullReader.localName(buffer[position + 2..<position + end])
                position += end + 1
                return .end(name: name)
            default:
                return try startTag()
            }
        }
    }

    private mutating func starts(with text: String) throws -> Bool {
        let bytes = Array(text.utf8)
        guard try ensure(bytes.count) else { return false }
        return buffer[position..<position + bytes.count].elementsEqual(bytes)
    }

    private mutating func skip(past pattern: [UInt8]) throws {
        guard let end = try find(pattern, from: 2) else { throw XMLPullError("the document ends inside a tag") }
        position += end + pattern.count
    }

    /// `<name a="v" b='w'>` or `<name/>`: quotes may hold `>`.
    private mutating func startTag() throws -> Event {
        var i = 1
        var quote: UInt8 = 0
        while true {
            if position + i >= buffer.count {
                if i > Self.maxToken { throw XMLPullError("a tag is longer than 4 MiB") }
                guard try ensure(i + 1) else { throw XMLPullError("the document ends inside a tag") }
            }
            let b = buffer[position + i]
            if quote != 0 {
                if b == quote { quote = 0 }
            } else if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") {
                quote = b
            } else if b == UInt8(ascii: ">") {
                break
            }
            i += 1
        }
        let tag = buffer[position + 1..<position + i]
        position += i + 1
        let empty = tag.last == UInt8(ascii: "/")
        let body = empty ? tag.dropLast() : tag
        var cursor = body.startIndex
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        while cursor < body.endIndex, !isSpace(body[cursor]) { cursor += 1 }
        let name = XMLPullReader.localName(body[body.startIndex..<cursor])
        var attributes: [String: String] = [:]
        while true {
            while cursor < body.endIndex, isSpace(body[cursor]) { cursor += 1 }
            guard cursor < body.endIndex else { break }
            let nameStart = cursor
            while cursor < body.endIndex, body[cursor] != UInt8(ascii: "="), !isSpace(body[cursor]) { cursor += 1 }
            let attribute = XMLPullReader.localName(body[nameStart..<cursor])
            while cursor < body.endIndex, isSpace(body[cursor]) { cursor += 1 }
            guard cursor < body.endIndex, body[cursor] == UInt8(ascii: "=") else {
                throw XMLPullError("attribute \(attribute) of <\(name)> has no value")
            }
            cursor += 1
            while cursor < body.endIndex, isSpace(body[cursor]) { cursor += 1 }
            guard cursor < body.endIndex, body[cursor] == UInt8(ascii: "\"") || body[cursor] == UInt8(ascii: "'")
            else { throw XMLPullError("attribute \(attribute) of <\(name)> is not quoted") }
            let q = body[cursor]
            cursor += 1
            let valueStart = cursor
            while cursor < body.endIndex, body[cursor] != q { cursor += 1 }
            guard cursor < body.endIndex else {
                throw XMLPullError("attribute \(attribute) of <\(name)> is not closed")
            }
            attributes[attribute] = try XMLPullReader.decode(body[valueStart..<cursor])
            cursor += 1
        }
        return .start(name: name, attributes: attributes, empty: empty)
    }

    /// `x:row` → `row`.
    static func localName(_ bytes: ArraySlice<UInt8>) -> String {
        let trimmed = bytes.prefix { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
        if let colon = trimmed.lastIndex(of: UInt8(ascii: ":")) {
            return String(decoding: trimmed[(colon + 1)...], as: UTF8.self)
        }
        return String(decoding: trimmed, as: UTF8.self)
    }

    /// Text with `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&#NN;` and `&#xHH;` decoded.
    static func decode(_ bytes: ArraySlice<UInt8>) throws -> String {
        guard bytes.contains(UInt8(ascii: "&")) else { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let b = bytes[i]
            guard b == UInt8(ascii: "&") else {
                out.append(b)
                i += 1
                continue
            }
            guard let semicolon = bytes[i..<min(bytes.endIndex, i + 12)].firstIndex(of: UInt8(ascii: ";")) else {
                throw XMLPullError("an & that starts no entity; a workbook writes it as &amp;")
            }
            let name = String(decoding: bytes[(i + 1)..<semicolon], as: UTF8.self)
            var scalar: Unicode.Scalar?
            switch name {
            case "amp": scalar = "&"
            case "lt": scalar = "<"
            case "gt": scalar = ">"
            case "quot": scalar = "\""
            case "apos": scalar = "'"
            default:
                if name.hasPrefix("#x") || name.hasPrefix("#X") {
                    scalar = UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
                } else if name.hasPrefix("#") {
                    scalar = UInt32(name.dropFirst(), radix: 10).flatMap(Unicode.Scalar.init)
                }
            }
            guard let scalar else { throw XMLPullError("unknown entity &\(name.prefix(10));") }
            out.append(contentsOf: Array(String(Character(scalar)).utf8))
            i = semicolon + 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// A workbook part that is not well-formed XML.
public struct XMLPullError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
