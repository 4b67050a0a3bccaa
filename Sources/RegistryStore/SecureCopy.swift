import Foundation
import Postgres

/// Bulk writes under row-level security. PostgreSQL refuses `COPY … FROM` into a table whose
/// policies bind the current role; the rows then go through a temporary table and one
/// `INSERT … SELECT`, which the policies check row by row (WITH CHECK). Roles the policies do
/// not bind (the embedded cluster's superuser) copy directly.
enum SecureCopy {
    static func copy(_ c: Connection, into table: String, columns: String, rows: [[String?]]) throws {
        guard !rows.isEmpty else { return }
        let bound = try c.query("SELECT row_security_active(\(table))")[0].decode(0, as: Bool.self)
        let list = SQL(unsafeSQL: columns)
        guard bound else {
            _ = try c.copyIn("COPY \(identifier: table) (\(list)) FROM STDIN") { w in
                for r in rows { try w.appendRow(r) }
            }
            return
        }
        // Text columns: a role that may insert but not read every column (the masking of R-72) cannot copy
        // the table's definition (`LIKE` reads it); the insert casts each text to its column's type.
        let staging = "regctl_staging_" + table
        let names = columns.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let definition = try names.map { "\(try c.escapeIdentifier($0)) text" }.joined(separator: ", ")
        try c.execute(
            "CREATE TEMPORARY TABLE IF NOT EXISTS \(identifier: staging) (\(SQL(unsafeSQL: definition))) ON COMMIT DROP"
        )
        _ = try c.copyIn("COPY \(identifier: staging) (\(list)) FROM STDIN") { w in for r in rows { try w.appendRow(r) }
        }
        // Each text cast to its column's type, as the catalog (readable by every role) gives it.
        var types: [String: String] = [:]
        for row in try c.query(
            """
            SELECT attname::text, format_type(atttypid, atttypmod) FROM pg_attribute
            WHERE attrelid = \(table)::regclass AND attnum > 0 AND NOT attisdropped
            """)
        {
            types[try row.decode(0, as: String.self)] = try row.decode(1, as: String.self)
        }
        let casts = try names.map { name -> String in
            guard let type = types[name] else {
                throw RegctlError("internal", "\(table) has no column \(name); this is a bug", status: .internalError)
            }
            return "\(try c.escapeIdentifier(name))::\(type)"
        }.joined(separator: ", ")
        // Column names and types come from the catalog, not from a user: safe to splice.
        try c.execute(
            "INSERT INTO \(identifier: table) (\(list)) SELECT \(SQL(unsafeSQL: casts)) FROM \(identifier: staging)")
        try c.execute("TRUNCATE \(identifier: staging)")
    }
}
