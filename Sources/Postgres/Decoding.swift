import Foundation
import Dates

/// One field of a result row in binary wire form; `bytes` is nil for SQL NULL.
///
/// Valid only while its result is alive: decode it, do not keep it.
public struct PostgresValue {
    public let type: UInt32
    public let bytes: UnsafeRawBufferPointer?
    public let column: String

    func nonNull<T>(_: T.Type) throws -> UnsafeRawBufferPointer {
        guard let bytes else {
            throw PostgresError(
                kind: .decoding, message: "column \(column) is NULL; decode it as \(T.self)? to accept NULL")
        }
        return bytes
    }

    func mismatch<T>(_: T.Type) -> PostgresError {
        PostgresError(
            kind: .decoding, message: "column \(column) has type OID \(type), which does not decode as \(T.self)")
    }

    var isTextLike: Bool {
        switch type {
        case PostgresType.text, PostgresType.varchar, PostgresType.bpchar, PostgresType.name,
            PostgresType.json, PostgresType.unknown, 705:
            return true
        default:
            // Types the layer has no decoder for (enums, citext, domains over text) are
            // sent as their text in binary form too: take them as text.
            return type >= 16384
        }
    }
}

/// A Swift type that a result column decodes into.
public protocol PostgresDecodable {
    static func decode(_ value: PostgresValue) throws -> Self
}

/// An enum over text decodes itself from its raw value (as GRDB's and postgres-nio's do); a value the
/// enum does not know is a decoding error naming the column, never a crash.
extension PostgresDecodable where Self: RawRepresentable, Self.RawValue == String {
    public static func decode(_ value: PostgresValue) throws -> Self {
        let text = try String.decode(value)
        guard let v = Self(rawValue: text) else {
            throw PostgresError(
                kind: .decoding, message: "column \(value.column) holds '\(text.prefix(40))', which is no \(Self.self)")
        }
        return v
    }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public static func decode(_ value: PostgresValue) throws -> Wrapped? {
        value.bytes == nil ? nil : try Wrapped.decode(value)
    }
}

extension String: PostgresDecodable {
    public static func decode(_ value: PostgresValue) throws -> String {
        let b = try value.nonNull(String.self)
        if value.type == PostgresType.jsonb, b.count >= 1 {
            return String(decoding: UnsafeRawBufferPointer(rebasing: b.dropFirst()), as: UTF8.self)
        }
        if value.type == PostgresType.numeric { return try PostgresNumeric(binary: b).description }
        if value.type == PostgresType.uuid { return try UUID.decode(value).postgresText }
        if value.type == PostgresType.date { return try CalendarDate.decode(value).description }
        guard value.isTextLike else { throw value.mismatch(String.self) }
        return String(decoding: b, as: UTF8.self)
    }
}

extension Int64: PostgresDecodable {
    public static func decode(_ value: PostgresValue) throws -> Int64 {
        let b = try value.nonNull(Int64.self)
        switch (value.type, b.count) {
        case (PostgresType.int8, 8): return b.int64(at: 0)
        case (PostgresType.int4, 4): return Int64(b.int32(at: 0))
        case (PostgresType.int2, 2): return Int64(b.int16(at: 0))
        case (PostgresType.oid, 4): return Int64(b.uint32(at: 0))
        default: throw value.mismatch(Int64.self)
        }
    }
}

extension Int: PostgresDecodable {
    public static func decode(_ value: PostgresValue) throws -> Int { Int(try Int64.decode(value)) }
}

extension Int32: PostgresDecodable {
    public static func decode(_ value: PostgresValue) throws -> Int32 {
        let wide = try Int64.decode(value)
        guard let v = Int32(exactly: wide) else { throw value.mismatch(Int32.self) }
        return v
    }
}

extension Bool: PostgresDecodable {
    public static func decode(_ value: PostgresValue) throws -> Bool {
        let b = try value.nonNull(Bool.self)
        guard value.type == PostgresType.bool, b.count == 1 else { throw value.mismatch(Bool.self) }
        return b[0] != 0
    }
}

extension Double: PostgresDecodable {
    public static func decode(_ value: PostgresValue) throws -> Double {
        let b = try value.nonNull(Double.self)
        switch (value.type, b.count) {
        case (PostgresType.float8, 8): return Double(bitPattern: UInt64(bitPattern: b.int64(at: 0)))
        case (PostgresType.float4, 4): return Double(Float(bitPattern: b.uint32(at: 0)))
        case (PostgresType.numeric, _):
            let n = try PostgresNumeric(binary: b)
            guard let d = Double(n.description) else { throw value.mismatch(Double.self) }
            return d
        case (PostgresType.int8, _), (PostgresType.int4, _), (PostgresType.int2, _):
            return Double(try Int64.decode(value))
        default: throw value.mismatch(Double.self)
        }
    }
}

extension PostgresNumeric: PostgresDecodable {
    public static func decode(_ value: PostgresValue) throws -> PostgresNumeric {
        let b = try value.nonNull(PostgresNumeric.self)
        switch value.type {
        case PostgresType.numeric: return try PostgresNumeric(binary: b)
        case PostgresType.int8, PostgresType.int4, PostgresType.int2:
            return PostgresNumeric(String(try Int64.decode(value)))!
        default: throw value.mismatch(PostgresNumeric.self)
        }
    }
}

extension Decimal: PostgresDecodable {
    public static func decode(_ value: PostgresValue) throws -> Decimal {
        guard let d = try PostgresNumeric.decode(value).decimal else { throw value.mismatch(Decimal.self) }
        return d
    }
}

extension UUID: PostgresDecodable {
    public static func decode(_ value: PostgresValue) throws -> UUID {
        let b = try value.nonNull(UUID.self)
        if value.isTextLike, let u = UUID(uuidString: String(decoding: b, as: UTF8.self)) { return u }
        guard value.type == PostgresType.uuid, b.count == 16 else { throw value.mismatch(UUID.self) }
        return UUID(
            uuid: (
                b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
                b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]
            ))
    }
}

extension CalendarDate: PostgresDecodable {
    public static func decode(_ value: PostgresValue) throws -> CalendarDate {
        let b = try value.nonNull(CalendarDate.self)
        guard value.type == PostgresType.date, b.count == 4 else { throw value.mismatch(CalendarDate.self) }
        let days = b.int32(at: 0)
        guard days != Int32.max, days != Int32.min else {
            throw PostgresError(kind: .decoding, message: "column \(value.column) is an infinite date")
        }
        return CalendarDate(daysSince2000: days)
    }
}

extension Date: PostgresDecodable {
    /// `timestamptz` (and `timestamp`, read as UTC): microseconds since 2000-01-01 UTC.
    public static func decode(_ value: PostgresValue) throws -> Date {
        let b = try value.nonNull(Date.self)
        guard value.type == PostgresType.timestamptz || value.type == PostgresType.timestamp, b.count == 8 else {
            throw value.mismatch(Date.self)
        }
        let micros = b.int64(at: 0)
        // Split whole seconds from microseconds so large values keep their precision.
        let seconds = Double(micros / 1_000_000) + Double(micros % 1_000_000) / 1_000_000
        return Date(timeIntervalSince1970: 946_684_800 + seconds)
    }
}

extension Array: PostgresDecodable where Element: PostgresDecodable {
    /// A one-dimensional array (an empty array decodes as `[]`).
    public static func decode(_ value: PostgresValue) throws -> [Element] {
        let b = try value.nonNull([Element].self)
        guard b.count >= 12 else { throw value.mismatch([Element].self) }
        let dimensions = Int(b.int32(at: 0))
        let elementType = b.uint32(at: 8)
        if dimensions == 0 { return [] }
        guard dimensions == 1, b.count >= 20 else {
            throw PostgresError(
                kind: .decoding,
                message: "column \(value.column) is a \(dimensions)-dimensional array; only one dimension decodes")
        }
        let count = Int(b.int32(at: 12))
        var offset = 20
        var out: [Element] = []
        out.reserveCapacity(count)
        for _ in 0..<count {
            guard offset + 4 <= b.count else { throw value.mismatch([Element].self) }
            let length = Int(b.int32(at: offset))
            offset += 4
            if length < 0 {
                out.append(try Element.decode(PostgresValue(type: elementType, bytes: nil, column: value.column)))
            } else {
                guard offset + length <= b.count else { throw value.mismatch([Element].self) }
                let slice = UnsafeRawBufferPointer(rebasing: b[offset..<(offset + length)])
                out.append(try Element.decode(PostgresValue(type: elementType, bytes: slice, column: value.column)))
                offset += length
            }
        }
        return out
    }
}
