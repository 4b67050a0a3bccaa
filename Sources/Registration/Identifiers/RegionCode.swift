import Dates
import Foundation

/// A GB/T 2260 region code: six digits, whose first two name the
/// province and first four the prefecture. Whether the code exists is the
/// region table's to say; this type checks its form.
public struct RegionCode: Hashable, Sendable, CustomStringConvertible, Comparable {
    public let value: String

    public init?(_ text: String) {
        let t = text.trimmedASCIIWhitespace
        guard t.utf8.count == 6, t.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        value = t
    }

    /// The province's code (`330106` → `330000`).
    public var province: RegionCode { RegionCode(String(value.prefix(2)) + "0000")! }
    /// The prefecture's code (`330106` → `330100`).
    public var prefecture: RegionCode { RegionCode(String(value.prefix(4)) + "00")! }
    public var isProvince: Bool { value.hasSuffix("0000") }

    /// True when `other` is this region or lies inside it. Copied, on purpose, as a range of codes where an
    /// index must serve it: RegistryStore's `RegionRange` and the database's `regctl_scope()` (row-level
    /// security); RegionAncestryTests holds the three to one table of cases.
    public func covers(_ other: RegionCode) -> Bool {
        if value == other.value { return true }
        if isProvince { return other.value.hasPrefix(value.prefix(2)) }
        if value.hasSuffix("00") { return other.value.hasPrefix(value.prefix(4)) }
        return false
    }

    public var description: String { value }
    public static func < (a: RegionCode, b: RegionCode) -> Bool { a.value < b.value }
}
