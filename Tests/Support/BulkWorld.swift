import Foundation
import Dates
import Postgres

/// A registry seeded with COPY for import tests: `physicians` physicians registered (active,
/// home, 浙江) at five public hospitals in 西湖区, `clinics` social outpatient departments in
/// 西湖区, one clinic in 南京, registrar `zj-reg` (330000) and HR `hr-1` of clinic 1; and
/// `existing` filings `PRE-k` (physician k, clinic k) from 2026-01-01 to 2026-12-31.
public enum BulkWorld {
    public static func physicianID(_ i: Int) -> String {
        let born = CalendarDate(parsing: "1960-01-01")!.adding(days: i / 1000).description.replacingOccurrences(
            of: "-", with: "")
        return Make.residentID(region: "330106", born: born, sequence: i % 1000)
    }
    public static func clinicCode(_ j: Int) -> String {
        Make.creditCode(region: "330106", serial: 10_000 + j, kind: "91")
    }
    public static func hospitalCode(_ h: Int) -> String { Make.creditCode(region: "330106", serial: 20_000 + h) }
    /// The id of physician i's registration (at hospital 1 + i % 5, in 330000).
    public static func registrationID(_ i: Int) -> String { uuid(7, i) }
    public static let nanjingClinic = Make.creditCode(region: "320106", serial: 30_000, kind: "91")

    /// Deterministic, random-looking ids (as real v4 ids are): sequential ones give
    /// btree_gist's uuid keys a degenerate tree and the exclusion constraint crawls.
    static func uuid(_ kind: Int, _ n: Int) -> String {
        let h = Array(SHA256.hex("\(kind)-\(n)".utf8).prefix(32))
        return String(h[0..<8]) + "-" + String(h[8..<12]) + "-" + String(h[12..<16]) + "-" + String(h[16..<20]) + "-"
            + String(h[20..<32])
    }

    public static func seed(_ c: Connection, physicians: Int, clinics: Int, existing: Int = 0) throws {
        try c.copyIn(
            "COPY institution (id, province, uscc, name, region, ownership, for_profit, category, beds) FROM STDIN"
        ) { w in
            for h in 1...5 {
                try w.appendRow([
                    uuid(9, h), "330000", hospitalCode(h), "医院\(h)", "330106", "public", "f", "general-hospital", "500"
                ])
            }
            for j in 1...clinics {
                try w.appendRow([
                    uuid(9, 100 + j), "330000", clinicCode(j), "门诊部\(j)", "330106", "social", "t",
                    "outpatient-department", "5"
                ])
            }
            try w.appendRow([uuid(9, 99), "320000", nanjingClinic, "南京诊所", "320106", "social", "f", "clinic", "0"])
        }
        try c.execute("INSERT INTO staff (id, name, role, region) VALUES ('zj-reg', '登记员', 'registrar', '330000')")
        try c.execute(
            "INSERT INTO staff (id, name, role, institution) VALUES ('hr-1', '人事', 'hr', \(UUID(uuidString: uuid(9, 101))!))"
        )
        try c.query("SELECT ensure_staff_roles()")  // written by hand, so their database roles too
        try c.copyIn(
            "COPY physician (id, id_number, name, sex, birth_date, qualification_no, level, category) FROM STDIN"
        ) { w in
            for i in 1...physicians {
                let id = physicianID(i)
                let born = "\(id.dropFirst(6).prefix(4))-\(id.dropFirst(10).prefix(2))-\(id.dropFirst(12).prefix(2))"
                try w.appendRow([
                    uuid(8, i), id, "医师\(i)", Int(String(Array(id)[16]))! % 2 == 1 ? "M" : "F", born, "Q\(i)",
                    "physician", "clinical"
                ])
            }
        }
        try c.copyIn(
            "COPY registration (id, province, physician, region, institution, category, scopes, status, is_home, applied_on, decided_on, effective_on) FROM STDIN"
        ) { w in
            for i in 1...physicians {
                try w.appendRow([
                    uuid(7, i), "330000", uuid(8, i), "330000", uuid(9, 1 + i % 5), "clinical", "{内科}", "active", "t",
                    "2024-12-01", "2025-01-01", "2025-01-01"
                ])
            }
        }
        if existing > 0 {
            try c.copyIn(
                "COPY filing (id, province, registration, physician, institution, contract_no, valid_from, valid_to, host_county, host_ownership, home_ownership, category) FROM STDIN"
            ) { w in
                for k in 1...existing {
                    try w.appendRow([
                        uuid(6, k), "330000", uuid(7, k), uuid(8, k), uuid(9, 100 + 1 + (k - 1) % clinics), "PRE-\(k)",
                        "2026-01-01", "2026-12-31",
                        "330106", "social", "public", "clinical"
                    ])
                }
            }
        }
        try c.execute("ANALYZE")
    }

    /// The filings as natural keys, for comparing two databases.
    public static func filingState(_ c: Connection) throws -> [String] {
        try c.query(
            """
            SELECT p.id_number::text || '|' || i.uscc::text || '|' || f.contract_no || '|' || f.valid_from || '|' || f.valid_to || '|' ||
                   f.status || '|' || coalesce(f.ended_on::text, '') || '|' || coalesce(f.scope, '')
            FROM filing f JOIN physician p ON p.id = f.physician JOIN institution i ON i.id = f.institution ORDER BY 1
            """
        ).map { try $0.decode(0, as: String.self) }
    }
}
