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

    /// After the row `after` in (name, id) order, of `table` (a person table: `physician`, `nurse`).
    func afterFilter(_ alias: String, in table: String) -> SQL {
        guard let after else { return "TRUE" }
        return
            "(\(identifier: alias).name, \(identifier: alias).id) > (SELECT name, id FROM \(identifier: table) WHERE id = \(after))"
    }

    /// This page of the people registered in a prefecture or county, as a source aliased `alias`: the people of
    /// the registrations at its institutions (tens of thousands at most) are read by key, the page chosen on
    /// the table, and only its rows go through the masking view `view`. Walking all of a person table by name
    /// until a page falls in one prefecture took 0.6 s for physicians and 25 s for nurses on the national data
    /// under row-level security; the masking view's per-row test took 0.8 s over a prefecture's 16,000.
    /// `OFFSET 0` fences keep the planner from walking the name index instead.
    func ofRegion(
        _ region: RegionCode, people table: String, view: String, registrations: String, person: String,
        live: SQL, as alias: String
    ) -> SQL {
        """
        (SELECT v.* FROM (SELECT q.id FROM (SELECT k.id, k.name FROM (SELECT DISTINCT r.\(identifier: person) AS person
                                                                     FROM \(identifier: registrations) r JOIN institution i ON i.id = r.institution
                                                                     WHERE \(regionFilter("i.region", region)) AND \(live) OFFSET 0) m
                                            JOIN \(identifier: table) k ON k.id = m.person OFFSET 0) q
                          WHERE \(nameFilter("q.name")) AND \(afterFilter("q", in: table))
                          ORDER BY q.name, q.id LIMIT \(limit)) c
         JOIN \(identifier: view) v ON v.id = c.id OFFSET 0) \(identifier: alias)
        """
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
