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
