import Postgres
import Registration

/// SQL that keeps rows whose region column (a county code, char(6)) lies in `code`
/// (a province, prefecture or county): a range of codes, so an index on the column serves it.
func regionFilter(_ column: SQL, _ code: RegionCode?) -> SQL {
    guard let code else { return "TRUE" }
    let v = code.value
    if code.isProvince {
        return "\(column) BETWEEN \(String(v.prefix(2)) + "0000")::bpchar AND \(String(v.prefix(2)) + "9999")::bpchar"
    }
    if v.hasSuffix("00") {
        return "\(column) BETWEEN \(String(v.prefix(4)) + "00")::bpchar AND \(String(v.prefix(4)) + "99")::bpchar"
    }
    return "\(column) = \(v)::bpchar"
}
