import Postgres
import Registration

/// SQL that keeps rows whose region column lies in `code` (a province, prefecture or county).
func regionFilter(_ column: SQL, _ code: RegionCode?) -> SQL {
    guard let code else { return "TRUE" }
    if code.isProvince { return "left(\(column), 2) = \(String(code.value.prefix(2)))" }
    if code.value.hasSuffix("00") { return "left(\(column), 4) = \(String(code.value.prefix(4)))" }
    return "\(column) = \(code.value)"
}
