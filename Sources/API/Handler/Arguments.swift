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

/// A command's arguments by snake_case name, with typed readers whose errors
/// name the flag (`--contract-no`) and are usage errors (exit 64).
public struct Arguments: Sendable, Equatable {
    public private(set) var values: [String: ArgumentValue]

    public init(_ values: [String: ArgumentValue] = [:]) {
        self.values = values
    }

    public subscript(name: String) -> ArgumentValue? {
        get { values[name] }
        set { values[name] = newValue }
    }

    /// `contract_no` → `--contract-no`.
    public static func flag(_ name: String) -> String { "--" + name.replacingOccurrences(of: "_", with: "-") }

    /// A value as an error message quotes it (`Quoted.value`).
    public static func shown(_ value: String) -> String { Quoted.value(value) }

    static func usage(_ code: String, _ name: String, _ message: String) -> RegctlError {
        RegctlError(code, "\(flag(name)): \(message)", status: .usage, field: name)
    }

    public func optionalString(_ name: String) throws -> String? {
        switch values[name] {
        case nil: return nil
        case .string(let s)?:
            // PostgreSQL text holds no NUL character; one here is a paste or a file gone wrong.
            guard !s.utf8.contains(0) else { throw Self.usage("input.value", name, "contains a NUL character (\\0); remove it and give the text again") }
            return s.trimmedASCIIWhitespace
        case .int(let i)?: return String(i)
        default: throw Self.usage("input.value", name, "expected text")
        }
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
            guard let i = Int(s.trimmedASCIIWhitespace) else { throw Self.usage("input.number", name, "\(Self.shown(s)) is not a whole number") }
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
            default: throw Self.usage("input.value", name, "\(Self.shown(s)) is not true or false")
            }
        default: throw Self.usage("input.value", name, "expected true or false")
        }
    }

    /// R-04: `YYYY-MM-DD` (also `YYYY/M/D`).
    public func optionalDate(_ name: String) throws -> CalendarDate? {
        guard let s = try optionalString(name), !s.isEmpty else { return nil }
        guard let d = CalendarDate(parsing: s) else {
            throw Self.usage("input.date", name, "\(Self.shown(s)) is not a date; write YYYY-MM-DD, such as 2026-03-01")
        }
        return d
    }

    public func date(_ name: String) throws -> CalendarDate {
        guard let d = try optionalDate(name) else { throw Self.usage("input.missing", name, "is required (a date, YYYY-MM-DD)") }
        return d
    }

    /// A list: a JSON array, or text separated by commas, `;` or `、`.
    public func optionalList(_ name: String) throws -> [String]? {
        switch values[name] {
        case nil: return nil
        case .list(let l)?:
            guard !l.contains(where: { $0.utf8.contains(0) }) else { throw Self.usage("input.value", name, "contains a NUL character (\\0); remove it and give the text again") }
            return l.map { $0.trimmedASCIIWhitespace }
        case .string(let s)?:
            guard !s.utf8.contains(0) else { throw Self.usage("input.value", name, "contains a NUL character (\\0); remove it and give the text again") }
            return s.split(whereSeparator: { $0 == "," || $0 == ";" || $0 == "，" || $0 == "；" || $0 == "、" })
                .map { $0.trimmedASCIIWhitespace }.filter { !$0.isEmpty }
        default: throw Self.usage("input.value", name, "expected a list")
        }
    }

    /// One of an enum's raw values (or what `parse` accepts), with the choices in the error.
    public func choice<T: RawRepresentable & CaseIterable>(_ name: String, _ type: T.Type, parse: (String) -> T? = { T(rawValue: $0) }) throws -> T where T.RawValue == String {
        let s = try string(name)
        guard let v = parse(s) else {
            throw Self.usage("input.\(name.replacingOccurrences(of: "_", with: "-"))", name, "\(Self.shown(s)) is not one of: \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return v
    }

    public func optionalChoice<T: RawRepresentable & CaseIterable>(_ name: String, _ type: T.Type) throws -> T? where T.RawValue == String {
        values[name] == nil ? nil : try choice(name, type)
    }

    /// A 6-digit region code (its existence is checked against the region table by the store).
    public func optionalRegion(_ name: String) throws -> RegionCode? {
        guard let s = try optionalString(name), !s.isEmpty else { return nil }
        guard let r = RegionCode(s) else {
            throw Self.usage("input.region", name, "\(Self.shown(s)) is not a region code; give 6 digits (GB/T 2260), such as 330106")
        }
        return r
    }

    public func region(_ name: String) throws -> RegionCode {
        guard let r = try optionalRegion(name) else { throw Self.usage("input.missing", name, "is required (a 6-digit region code)") }
        return r
    }

    /// The arguments as a JSON object, for the event log. A password is never written there.
    public var json: String {
        "{" + values.keys.sorted().filter { $0 != "password" }.map { "\(JSONText.quote($0)): \(values[$0]!.json)" }.joined(separator: ", ") + "}"
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
        func visible(_ text: String) -> String { text.utf8.contains(0) ? text.replacingOccurrences(of: "\u{0}", with: "\u{2400}") : text }
        func hasNUL(_ v: ArgumentValue) -> Bool {
            switch v {
            case .string(let s): return s.utf8.contains(0)
            case .list(let l): return l.contains { $0.utf8.contains(0) }
            default: return false
            }
        }
        if values.count <= 64 && values.allSatisfy({ $0.key.utf8.count <= 1024 && !$0.key.utf8.contains(0) && small($0.value) && !hasNUL($0.value) }) { return self }
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
