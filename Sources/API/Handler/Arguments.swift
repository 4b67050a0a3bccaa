import Dates
import Foundation
import Registration

/// One argument's value, from a command line or a JSON line.
public enum ArgumentValue: Sendable, Equatable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case list([String])

    var json: String {
        switch self {
        case .string(let s): return JSONText.quote(s)
        case .int(let i): return String(i)
        case .bool(let b): return b ? "true" : "false"
        case .list(let l): return "[" + l.map(JSONText.quote).joined(separator: ", ") + "]"
        }
    }
}

/// A command's arguments by snake_case name, with typed readers whose errors carry the field
/// (`contract_no`; the CLI shows `--contract-no`) and are usage errors (exit 64).
public struct Arguments: Sendable, Equatable {
    public private(set) var values: [String: ArgumentValue]

    public init(_ values: [String: ArgumentValue] = [:]) {
        self.values = values
    }

    public subscript(name: String) -> ArgumentValue? {
        get { values[name] }
        set { values[name] = newValue }
    }

    /// A malformed value: the message says what is wrong with it; the field says which (each front end
    /// names it its own way: `RegctlError.commandLineDescription` as a flag).
    static func usage(_ code: String, _ name: String, _ message: String, chinese: String? = nil) -> RegctlError {
        RegctlError(code, message, status: .usage, field: name, chinese: chinese)
    }

    /// The longest text any argument takes (a reason, a document number); names are shorter (`name`).
    public static let maximumText = 1000

    /// Text, trimmed. The one form every text from outside passes (flags, exec, CSV cells): no NUL
    /// (PostgreSQL text holds none; one here is a paste or a file gone wrong), at most 1,000
    /// characters. Names are stricter (`name`: one line, no control character). Valid UTF-8 is checked
    /// where bytes become text: the CLI's arguments (`InputForm.argumentsAreUTF8`), an exec line, a
    /// CSV file's decoding.
    public func optionalString(_ name: String) throws -> String? {
        switch values[name] {
        case nil: return nil
        case .string(let s)?: return try Self.text(s, name)
        case .int(let i)?: return String(i)
        default: throw Self.usage("input.value", name, "expected text")
        }
    }

    static func text(_ raw: String, _ name: String) throws -> String {
        guard !raw.utf8.contains(0) else {
            throw Self.usage("input.value", name, "contains a NUL character (\\0); remove it and give the text again")
        }
        let s = raw.trimmedASCIIWhitespace
        // Counting characters walks grapheme clusters: only a text of over 1,000 bytes can be over 1,000 characters.
        guard s.utf8.count <= maximumText || s.count <= maximumText else {
            throw Self.usage("input.value", name, "is \(s.count) characters long; at most \(maximumText)")
        }
        return s
    }

    /// A person's, institution's, studio's or account's name: required, one line, at most 100 characters.
    public func name(_ name: String) throws -> String {
        let s = try string(name)
        if let bad = s.unicodeScalars.first(where: TerminalWidth.isControl) {
            let what =
                bad == "\n" || bad == "\r" || bad == "\u{2028}" || bad == "\u{2029}"
                ? "a line break" : bad == "\t" ? "a tab" : "a control character"
            throw Self.usage(
                "input.name", name,
                "contains \(what) (U+\(String(format: "%04X", bad.value))); a name is one line, without control characters"
            )
        }
        guard s.utf8.count <= 100 || s.count <= 100 else {
            throw Self.usage("input.name", name, "is \(s.count) characters long; a name has at most 100")
        }
        return s
    }

    public func string(_ name: String) throws -> String {
        guard let s = try optionalString(name), !s.isEmpty else {
            throw Self.usage("input.missing", name, "is required")
        }
        return s
    }

    public func optionalInt(_ name: String) throws -> Int? {
        switch values[name] {
        case nil: return nil
        case .int(let i)?: return i
        case .string(let s)?:
            guard !s.trimmedASCIIWhitespace.isEmpty else {
                throw Self.usage("input.number", name, "is empty; give a whole number, or leave the argument out")
            }
            guard let i = Int(s.trimmedASCIIWhitespace) else {
                throw Self.usage("input.number", name, "\(Quoted.value(s)) is not a whole number")
            }
            return i
        default: throw Self.usage("input.number", name, "expected a whole number")
        }
    }

    public func int(_ name: String) throws -> Int {
        guard let i = try optionalInt(name) else { throw Self.usage("input.missing", name, "is required") }
        return i
    }

    public func bool(_ name: String) throws -> Bool {
        switch values[name] {
        case nil: return false
        case .bool(let b)?: return b
        case .string(let s)?:
            switch s.lowercased() {
            case "true", "yes", "1", "是": return true
            case "false", "no", "0", "否", "": return false
            default: throw Self.usage("input.value", name, "\(Quoted.value(s)) is not true or false")
            }
        default: throw Self.usage("input.value", name, "expected true or false")
        }
    }

    /// R-04: `YYYY-MM-DD` (also `YYYY/M/D`).
    public func optionalDate(_ name: String) throws -> CalendarDate? {
        guard let s = try optionalString(name) else { return nil }
        // `--on ''` is a mistake (an unset shell variable), not "today": an empty date is refused.
        guard !s.isEmpty else {
            throw Self.usage("input.date", name, "is empty; give a date (YYYY-MM-DD), or leave the argument out")
        }
        guard let d = CalendarDate(parsing: s) else {
            throw Self.usage(
                "input.date", name, "\(Quoted.value(s)) is not a date; write YYYY-MM-DD, such as 2026-03-01")
        }
        return d
    }

    public func date(_ name: String) throws -> CalendarDate {
        guard let d = try optionalDate(name) else {
            throw Self.usage("input.missing", name, "is required (a date, YYYY-MM-DD)")
        }
        return d
    }

    /// A list: a JSON array, or text separated by commas, `;` or `、`.
    public func optionalList(_ name: String) throws -> [String]? {
        switch values[name] {
        case nil: return nil
        case .list(let l)?:
            guard l.count <= 64 else { throw Self.usage("input.value", name, "has \(l.count) items; at most 64") }
            return try l.map { try Self.text($0, name) }
        case .string(let raw)?:
            let s = try Self.text(raw, name)
            return s.split(whereSeparator: { $0 == "," || $0 == ";" || $0 == "，" || $0 == "；" || $0 == "、" })
                .map { $0.trimmedASCIIWhitespace }.filter { !$0.isEmpty }
        default: throw Self.usage("input.value", name, "expected a list")
        }
    }

    /// One of an enum's raw values (or what `parse` accepts), with the choices in the error.
    public func choice<T: RawRepresentable & CaseIterable>(
        _ name: String, _ type: T.Type, parse: (String) -> T? = { T(rawValue: $0) }
    ) throws -> T where T.RawValue == String {
        let s = try string(name)
        guard let v = parse(s) else {
            throw Self.usage(
                "input.\(name.replacingOccurrences(of: "_", with: "-"))", name,
                "\(Quoted.value(s)) is not one of: \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return v
    }

    /// A word of the domain's vocabulary: its code, its Chinese name or a synonym (`DomainTerm.init(text:)`),
    /// at every door alike.
    /// The refusal lists the choices in both languages.
    public func choice<T: DomainTerm>(_ name: String, _ type: T.Type) throws -> T {
        let s = try string(name)
        guard let v = T(text: s) else {
            throw Self.usage(
                "input.\(name.replacingOccurrences(of: "_", with: "-"))", name,
                "\(Quoted.value(s)) is not one of: \(T.allCases.map(\.rawValue).joined(separator: ", "))",
                chinese: "\(Quoted.value(s)) 不在可选范围内，可选：\(T.allCases.map(\.chineseName).joined(separator: "、"))")
        }
        return v
    }

    public func optionalChoice<T: DomainTerm>(_ name: String, _ type: T.Type) throws -> T? {
        values[name] == nil ? nil : try choice(name, type)
    }

    public func optionalChoice<T: RawRepresentable & CaseIterable>(_ name: String, _ type: T.Type) throws -> T?
    where T.RawValue == String {
        values[name] == nil ? nil : try choice(name, type)
    }

    /// A 6-digit region code (its existence is checked against the region table by the store).
    public func optionalRegion(_ name: String) throws -> RegionCode? {
        guard let s = try optionalString(name) else { return nil }
        guard !s.isEmpty else {
            throw Self.usage("input.region", name, "is empty; give a 6-digit region code, or leave the argument out")
        }
        guard let r = RegionCode(s) else {
            throw Self.usage(
                "input.region", name,
                "\(Quoted.value(s)) is not a region code; give 6 digits (GB/T 2260), such as 330106"
            )
        }
        return r
    }

    public func region(_ name: String) throws -> RegionCode {
        guard let r = try optionalRegion(name) else {
            throw Self.usage("input.missing", name, "is required (a 6-digit region code)")
        }
        return r
    }

    /// The arguments as a JSON object, for the event log. A password is never written there.
    public var json: String {
        var out = "{"
        for (i, (key, value)) in values.filter({ $0.key != "password" }).sorted(by: { $0.key < $1.key }).enumerated() {
            if i > 0 { out += ", " }
            out += JSONText.quote(key)
            out += ": "
            out += value.json
        }
        return out + "}"
    }

    /// As the event log keeps them (R-71): a NUL character (which jsonb cannot hold) shown as ␀, a text over 1 KiB cut to its first whole characters within
    /// 1,000 bytes and a marker with its length; at most 64 arguments and 64 list items. The database
    /// refuses an event whose arguments are larger (event_arguments_bounded).
    public var bounded: Arguments {
        func cut(_ text: String) -> String {
            guard text.utf8.count > 1024 else { return text }
            var kept = ""
            var bytes = 0
            for ch in text {
                let n = String(ch).utf8.count
                if bytes + n > 1000 { break }
                kept.append(ch)
                bytes += n
            }
            return kept + "…[cut: \(text.utf8.count) bytes]"
        }
        func small(_ v: ArgumentValue) -> Bool {
            switch v {
            case .string(let s): return s.utf8.count <= 1024
            case .list(let l): return l.count <= 64 && l.reduce(0) { $0 + $1.utf8.count } <= 1024
            default: return true
            }
        }
        func visible(_ text: String) -> String {
            text.utf8.contains(0) ? text.replacingOccurrences(of: "\u{0}", with: "\u{2400}") : text
        }
        func hasNUL(_ v: ArgumentValue) -> Bool {
            switch v {
            case .string(let s): return s.utf8.contains(0)
            case .list(let l): return l.contains { $0.utf8.contains(0) }
            default: return false
            }
        }
        if values.count <= 64
            && values.allSatisfy({
                $0.key.utf8.count <= 1024 && !$0.key.utf8.contains(0) && small($0.value) && !hasNUL($0.value)
            })
        {
            return self
        }
        var out: [String: ArgumentValue] = [:]
        for key in values.keys.sorted().prefix(64) {
            switch values[key]! {
            case .string(let s): out[cut(visible(key))] = .string(cut(visible(s)))
            case .list(let l):
                var kept: [String] = []
                var bytes = 0
                for item in l.map({ cut(visible($0)) }) where kept.count < 64 && bytes + item.utf8.count <= 1000 {
                    kept.append(item)
                    bytes += item.utf8.count
                }
                out[cut(visible(key))] = .list(kept.count == l.count ? kept : kept + ["…[cut: \(l.count) items]"])
            case let other: out[cut(visible(key))] = other
            }
        }
        return Arguments(out)
    }
}
