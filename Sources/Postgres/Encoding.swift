import Foundation
import Dates

/// Well-known type OIDs of the built-in types the layer encodes and decodes.
public enum PostgresType {
    public static let unknown: UInt32 = 0
    public static let bool: UInt32 = 16
    public static let bytea: UInt32 = 17
    public static let name: UInt32 = 19
    public static let int8: UInt32 = 20
    public static let int2: UInt32 = 21
    public static let int4: UInt32 = 23
    public static let text: UInt32 = 25
    public static let oid: UInt32 = 26
    public static let json: UInt32 = 114
    public static let float4: UInt32 = 700
    public static let float8: UInt32 = 701
    public static let bpchar: UInt32 = 1042
    public static let varchar: UInt32 = 1043
    public static let date: UInt32 = 1082
    public static let timestamp: UInt32 = 1114
    public static let timestamptz: UInt32 = 1184
    public static let numeric: UInt32 = 1700
    public static let uuid: UInt32 = 2950
    public static let jsonb: UInt32 = 3802
    public static let int2Array: UInt32 = 1005
    public static let int4Array: UInt32 = 1007
    public static let textArray: UInt32 = 1009
    public static let bpcharArray: UInt32 = 1014
    public static let varcharArray: UInt32 = 1015
    public static let int8Array: UInt32 = 1016
    public static let dateArray: UInt32 = 1182
    public static let uuidArray: UInt32 = 2951
}

/// One bound parameter as sent: its type OID and its text form (nil for NULL).
public struct PostgresParameter: Sendable {
    public var type: UInt32
    public var text: String?

    public init(type: UInt32, text: String?) {
        self.type = type
        self.text = text
    }
}

/// A Swift value that can be bound as a statement parameter.
public protocol PostgresEncodable {
    /// The type the parameter is declared as; `0` lets the server infer it from context.
    static var postgresType: UInt32 { get }
    /// The value's text form in PostgreSQL's input syntax.
    var postgresText: String { get }
}

extension PostgresEncodable {
    public var postgresParameter: PostgresParameter {
        PostgresParameter(type: Self.postgresType, text: postgresText)
    }
}

/// A value with a text raw value binds as that text (as GRDB and postgres-nio bind them): conform and it
/// works, for enums stored by their raw values.
extension PostgresEncodable where Self: RawRepresentable, RawValue == String {
    public static var postgresType: UInt32 { 0 }
    public var postgresText: String { rawValue }
}

extension Optional: PostgresEncodable where Wrapped: PostgresEncodable {
    public static var postgresType: UInt32 { Wrapped.postgresType }
    public var postgresText: String { self?.postgresText ?? "" }
    public var postgresParameter: PostgresParameter {
        PostgresParameter(type: Wrapped.postgresType, text: self?.postgresText)
    }
}

extension String: PostgresEncodable {
    // Unknown, like a quoted literal: the server takes the column's type (text,
    // char(n), a date column fed an ISO string, …) instead of refusing a mismatch.
    public static var postgresType: UInt32 { PostgresType.unknown }
    public var postgresText: String { self }
}

extension Substring: PostgresEncodable {
    public static var postgresType: UInt32 { PostgresType.unknown }
    public var postgresText: String { String(self) }
}

extension Int: PostgresEncodable {
    public static var postgresType: UInt32 { PostgresType.int8 }
    public var postgresText: String { String(self) }
}

extension Int64: PostgresEncodable {
    public static var postgresType: UInt32 { PostgresType.int8 }
    public var postgresText: String { String(self) }
}

extension Int32: PostgresEncodable {
    public static var postgresType: UInt32 { PostgresType.int4 }
    public var postgresText: String { String(self) }
}

extension Bool: PostgresEncodable {
    public static var postgresType: UInt32 { PostgresType.bool }
    public var postgresText: String { self ? "t" : "f" }
}

extension Double: PostgresEncodable {
    public static var postgresType: UInt32 { PostgresType.float8 }
    public var postgresText: String {
        if isNaN { return "NaN" }
        if isInfinite { return self > 0 ? "Infinity" : "-Infinity" }
        return "\(self)"  // Swift prints the shortest text that reads back to the same Double
    }
}

extension UUID: PostgresEncodable {
    public static var postgresType: UInt32 { PostgresType.uuid }
    /// Lower-case hex with dashes, written from the bytes (ids go by the ten thousand in array parameters).
    public var postgresText: String {
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        return withUnsafeBytes(of: uuid) { bytes in
            String(unsafeUninitializedCapacity: 36) { out in
                var n = 0
                for (i, b) in bytes.enumerated() {
                    if i == 4 || i == 6 || i == 8 || i == 10 {
                        out[n] = 0x2D
                        n += 1
                    }
                    out[n] = hex[Int(b >> 4)]
                    out[n + 1] = hex[Int(b & 0x0F)]
                    n += 2
                }
                return n
            }
        }
    }
}

extension Decimal: PostgresEncodable {
    public static var postgresType: UInt32 { PostgresType.numeric }
    public var postgresText: String { PostgresNumeric(self).description }
}

extension CalendarDate: PostgresEncodable {
    public static var postgresType: UInt32 { PostgresType.date }
    public var postgresText: String { description }
}

extension Date: PostgresEncodable {
    public static var postgresType: UInt32 { PostgresType.timestamptz }
    /// UTC with microseconds, PostgreSQL's precision.
    public var postgresText: String {
        let micros = Int64((timeIntervalSince1970 * 1_000_000).rounded())
        var seconds = micros / 1_000_000
        var fraction = micros % 1_000_000
        if fraction < 0 {
            fraction += 1_000_000
            seconds -= 1
        }
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let day = CalendarDate(daysSince2000: Int32(days - 10_957))
        return String(
            format: "%@ %02lld:%02lld:%02lld.%06lld+00", day.description,
            secondOfDay / 3600, (secondOfDay / 60) % 60, secondOfDay % 60, fraction)
    }
}

/// Array literal syntax `{…}` with every element quoted, built as bytes (an import binds arrays of
/// twenty thousand ids a statement).
func arrayLiteral(_ elements: [String?]) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(2 + elements.reduce(0) { $0 + ($1?.utf8.count ?? 4) + 3 })
    out.append(0x7B)  // {
    for (i, e) in elements.enumerated() {
        if i > 0 { out.append(0x2C) }  // ,
        guard let e else {
            out.append(contentsOf: "NULL".utf8)
            continue
        }
        out.append(0x22)  // "
        for b in e.utf8 {
            if b == 0x22 || b == 0x5C { out.append(0x5C) }  // \ before " and \
            out.append(b)
        }
        out.append(0x22)
    }
    out.append(0x7D)  // }
    return String(decoding: out, as: UTF8.self)
}

extension Array: PostgresEncodable where Element: PostgresArrayElement {
    public static var postgresType: UInt32 { Element.postgresArrayType }
    public var postgresText: String { arrayLiteral(map { $0.arrayElementText }) }
}

/// A type whose values can be elements of a bound array parameter.
public protocol PostgresArrayElement {
    static var postgresArrayType: UInt32 { get }
    var arrayElementText: String? { get }
}

extension String: PostgresArrayElement {
    public static var postgresArrayType: UInt32 { PostgresType.textArray }
    public var arrayElementText: String? { self }
}

extension Int: PostgresArrayElement {
    public static var postgresArrayType: UInt32 { PostgresType.int8Array }
    public var arrayElementText: String? { String(self) }
}

extension Int32: PostgresArrayElement {
    public static var postgresArrayType: UInt32 { PostgresType.int4Array }
    public var arrayElementText: String? { String(self) }
}

extension UUID: PostgresArrayElement {
    public static var postgresArrayType: UInt32 { PostgresType.uuidArray }
    public var arrayElementText: String? { postgresText }
}

extension CalendarDate: PostgresArrayElement {
    public static var postgresArrayType: UInt32 { PostgresType.dateArray }
    public var arrayElementText: String? { description }
}

extension Optional: PostgresArrayElement where Wrapped: PostgresArrayElement {
    public static var postgresArrayType: UInt32 { Wrapped.postgresArrayType }
    public var arrayElementText: String? { self?.arrayElementText }
}
