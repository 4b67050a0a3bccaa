import Foundation
import Postgres
import Registration

/// SQL that keeps rows whose region column (a county code, char(6)) lies in `code`
/// (a province, prefecture or county): a range of codes, so an index on the column serves it.
package func regionFilter(_ column: SQL, _ code: RegionCode?) -> SQL {
    guard let code else { return "TRUE" }
    let range = RegionRange(code)
    return range.low == range.high
        ? "\(column) = \(range.low)::bpchar" : "\(column) BETWEEN \(range.low)::bpchar AND \(range.high)::bpchar"
}

/// A region and the regions inside it as a range of codes (`330000` → 330000…339999, `330100` →
/// 330100…330199, a county itself), as `RegionCode.covers` defines them and the database's
/// `regctl_scope()` computes them for row-level security (the SQL copy; RegionAncestryTests holds the three to one
/// table of cases).
package struct RegionRange {
    package let low: String, high: String

    package init(_ code: RegionCode) {
        let v = code.value
        low = v
        if code.isProvince {
            high = String(v.prefix(2)) + "9999"
        } else if v.hasSuffix("00") {
            high = String(v.prefix(4)) + "99"
        } else {
            high = v
        }
    }
}

/// A page of a list: the rows whose name begins with `name` (when given), after the row `after` in the list's
/// order, at most `limit` of them.
public struct ListPage: Sendable {
    public var name: String?
    public var after: UUID?
    public var limit: Int

    public init(name: String? = nil, after: UUID? = nil, limit: Int) {
        self.name = name
        self.after = after
        self.limit = limit
    }

    /// `column` begins with the name asked for: a range the (name, id) index reads (the registry's collation
    /// orders by code point), and LIKE to say it exactly.
    func nameFilter(_ column: SQL) -> SQL {
        guard let name, !name.isEmpty else { return "TRUE" }
        let escaped = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
        return "(\(column) >= \(name) AND \(column) < \(name + "\u{10FFFF}") AND \(column) LIKE \(escaped + "%"))"
    }
}
