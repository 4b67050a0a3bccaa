import Foundation
import Postgres

/// Bulk writes under row-level security. PostgreSQL refuses `COPY … FROM` into a table whose
/// policies bind the current role; the rows then go through a temporary table and one
/// `INSERT … SELECT`, which the policies check row by row (WITH CHECK). Roles the policies do
/// not bind (the embedded cluster's superuser) copy directly.
package enum SecureCopy {
    package static func copy(_ c: Connection, into table: String, columns: String, rows: [[String?]]) throws {
        guard !rows.isEmpty else { return }
        let bound = try c.query("SELECT row_security_active(\(table))")[0].decode(0, as: Bool.self)
        let list = SQL(unsafeSQL: columns)
        guard bound else {
            _ = try c.copyIn("COPY \(identifier: table) (\(list)) FROM STDIN") { w in
                for r in rows { try w.appendRow(r) }
            }
            return
        }
        let staging = "regctl_staging_" + table
        try c.execute(
            "CREATE TEMPORARY TABLE IF NOT EXISTS \(identifier: staging) (LIKE \(identifier: table) INCLUDING DEFAULTS) ON COMMIT DROP"
        )
        _ = try c.copyIn("COPY \(identifier: staging) (\(list)) FROM STDIN") { w in for r in rows { try w.appendRow(r) }
        }
        try c.execute("INSERT INTO \(identifier: table) (\(list)) SELECT \(list) FROM \(identifier: staging)")
        try c.execute("TRUNCATE \(identifier: staging)")
    }
}
