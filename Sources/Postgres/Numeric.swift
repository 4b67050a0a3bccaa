import Foundation

/// A `numeric` value kept exactly as the server has it, at any precision.
///
/// `Decimal` holds 38 significant digits; `numeric` holds up to 131,072 before
/// the point. This type keeps the decimal text, so nothing is rounded on the
/// way through; convert with `decimal` when arithmetic is needed.
public struct PostgresNumeric: Hashable, Sendable, CustomStringConvertible, PostgresEncodable {
    /// Canonical decimal text: optional `-`, digits, optional `.` and digits; or `NaN`, `Infinity`, `-Infinity`.
    public let description: String

    public init?(_ text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        if ["NaN", "Infinity", "-Infinity"].contains(t) {
            description = t
            return
        }
        var body = Substring(t)
        var negative = false
        if body.first == "-" || body.first == "+" {
            negative = body.first == "-"
            body = body.dropFirst()
        }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty || (parts.count == 2 && !parts[1].isEmpty),
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } })
        else { return nil }
        var intPart = String(parts[0].drop { $0 == "0" })
        if intPart.isEmpty { intPart = "0" }
        let frac = parts.count == 2 ? String(parts[1]) : ""
        let isZero = intPart == "0" && frac.allSatisfy { $0 == "0" }
        description = (negative && !isZero ? "-" : "") + intPart + (frac.isEmpty ? "" : "." + frac)
    }

    public init(_ decimal: Decimal) {
        self.init(decimal.description)!
    }

    /// The value as `Decimal`; nil for NaN and infinities, rounded past 38 digits.
    public var decimal: Decimal? { Decimal(string: description, locale: Locale(identifier: "en_US_POSIX")) }

    public static var postgresType: UInt32 { PostgresType.numeric }
    public var postgresText: String { description }

    /// Decodes the binary `numeric` wire form: ndigits, weight, sign, dscale, base-10000 digits.
    init(binary b: UnsafeRawBufferPointer) throws {
        guard b.count >= 8 else { throw PostgresError(kind: .decoding, message: "numeric value too short") }
        let ndigits = Int(b.int16(at: 0))
        let weight = Int(b.int16(at: 2))
        let sign = b.uint16(at: 4)
        let dscale = Int(b.int16(at: 6))
        switch sign {
        case 0xC000:
            description = "NaN"
            return
        case 0xD000:
            description = "Infinity"
            return
        case 0xF000:
            description = "-Infinity"
            return
        default: break
        }
        guard b.count >= 8 + 2 * ndigits else {
            throw PostgresError(kind: .decoding, message: "numeric value truncated")
        }
        func digit(_ index: Int) -> Int { index >= 0 && index < ndigits ? Int(b.int16(at: 8 + 2 * index)) : 0 }
        func pad4(_ d: Int) -> String {
            let s = String(d)
            return String(repeating: "0", count: 4 - s.count) + s
        }
        var intPart = ""
        if weight >= 0 {
            for p in stride(from: weight, through: 0, by: -1) {
                let d = digit(weight - p)
                intPart += intPart.isEmpty ? String(d) : pad4(d)
            }
        }
        if intPart.isEmpty || intPart.allSatisfy({ $0 == "0" }) { intPart = "0" }
        var frac = ""
        var p = -1
        while frac.count < dscale {
            frac += pad4(digit(weight - p))
            p -= 1
        }
        frac = String(frac.prefix(dscale))
        let isZero = ndigits == 0
        description = (sign == 0x4000 && !isZero ? "-" : "") + intPart + (frac.isEmpty ? "" : "." + frac)
    }
}

extension UnsafeRawBufferPointer {
    func int16(at offset: Int) -> Int16 { Int16(bitPattern: uint16(at: offset)) }
    func uint16(at offset: Int) -> UInt16 { UInt16(self[offset]) << 8 | UInt16(self[offset + 1]) }
    func int32(at offset: Int) -> Int32 { Int32(bitPattern: uint32(at: offset)) }
    func uint32(at offset: Int) -> UInt32 {
        UInt32(self[offset]) << 24 | UInt32(self[offset + 1]) << 16 | UInt32(self[offset + 2]) << 8
            | UInt32(self[offset + 3])
    }
    func int64(at offset: Int) -> Int64 {
        Int64(bitPattern: UInt64(uint32(at: offset)) << 32 | UInt64(uint32(at: offset + 4)))
    }
}
