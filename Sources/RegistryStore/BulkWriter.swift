import Dates
import Foundation
import Postgres
import Registration

/// Rows for one table of a bulk load, in COPY's text format (`appendRow`): valid only inside
/// `Store.copyRows`'s body.
public struct BulkRows {
    let writer: UnsafeMutablePointer<CopyWriter>

    /// One row: the table's columns in the order named, nil for NULL.
    public func appendRow(_ fields: [String?]) throws { try writer.pointee.appendRow(fields) }
}

/// The bulk writer: synthetic data (`seed`) written with COPY, the tables' keys and indexes rebuilt after.
extension Store {
    /// The tables a bulk load may write, in the order their references need.
    public static let bulkTables = [
        "institution", "physician", "registration", "filing", "studio", "nurse", "pilot",
        "nurse_registration", "nurse_filing", "credit_record", "event"
    ]

    /// Streams rows into one of `bulkTables` (COPY); returns how many. `columns` are the table's, comma-separated.
    public func copyRows(into table: String, columns: [String], _ body: (BulkRows) throws -> Void) throws -> Int {
        guard Store.bulkTables.contains(table) else {
            throw RegctlError("internal", "no bulk load into \(table); this is a bug", status: .internalError)
        }
        let list = try columns.map { try connection.escapeIdentifier($0) }.joined(separator: ", ")
        return try connection.copyIn("COPY \(identifier: table) (\(SQL(unsafeSQL: list))) FROM STDIN") { w in
            try withUnsafeMutablePointer(to: &w) { try body(BulkRows(writer: $0)) }
        }
    }

    /// Whether the registry holds no institution and no person (a bulk load fills an empty one).
    public func registryIsEmpty() throws -> Bool {
        try !connection.query(
            """
            SELECT EXISTS (SELECT 1 FROM institution) OR EXISTS (SELECT 1 FROM physician) OR EXISTS (SELECT 1 FROM nurse)
            """)[0].decode(0, as: Bool.self)
    }

    /// The counties (leaves of the region tree below the provinces) of the provinces whose codes start with
    /// `provincePrefixes` (all when empty), in code order, with their names and provinces.
    public func leafCounties(provincePrefixes: [String]) throws -> [(code: String, name: String, province: String)] {
        try connection.query(
            """
            SELECT r.code, r.name, left(r.code, 2) || '0000' AS province FROM region r
            WHERE r.level <> 'province' AND NOT EXISTS (SELECT 1 FROM region c WHERE c.parent = r.code)
              AND (cardinality(\(provincePrefixes)::text[]) = 0 OR left(r.code, 2) = ANY(\(provincePrefixes)))
            ORDER BY r.code
            """
        ).map {
            (
                try $0.decode("code", as: String.self), try $0.decode("name", as: String.self),
                try $0.decode("province", as: String.self)
            )
        }
    }

    /// The provinces' names by code.
    public func provinceNames() throws -> [String: String] {
        try Dictionary(
            uniqueKeysWithValues: connection.query("SELECT code, name FROM region WHERE level = 'province'")
                .map { (try $0.decode(0, as: String.self), try $0.decode(1, as: String.self)) })
    }

    /// Sets each certificate prefix's counter past the highest serial the physicians hold (after a bulk load).
    public func catchUpCertificateSerials() throws {
        try connection.execute(
            """
            INSERT INTO certificate_serial (prefix, last)
            SELECT left(certificate_no, 9), max(right(certificate_no, 6)::int) FROM physician
            WHERE certificate_no IS NOT NULL GROUP BY 1
            ON CONFLICT (prefix) DO UPDATE SET last = greatest(certificate_serial.last, excluded.last)
            """)
    }

    public func withoutIndexes<T>(tables: [String], _ body: () throws -> T) throws -> T {
        let db = connection
        let constraints = try db.query(
            """
            SELECT conrelid::regclass::text AS tab, conname::text AS name, contype::text AS kind, pg_get_constraintdef(oid) AS def
            FROM pg_constraint
            WHERE contype IN ('p', 'u', 'x', 'f')
              AND (conrelid::regclass::text = ANY(\(tables)) OR confrelid::regclass::text = ANY(\(tables)))
            ORDER BY contype = 'f' DESC, conrelid::regclass::text, conname
            """
        ).map {
            (
                table: try $0.decode("tab", as: String.self), name: try $0.decode("name", as: String.self),
                kind: try $0.decode("kind", as: String.self), definition: try $0.decode("def", as: String.self)
            )
        }
        let indexes = try db.query(
            """
            SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
            FROM pg_index i
            WHERE i.indrelid::regclass::text = ANY(\(tables))
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x'))
            ORDER BY 1
            """
        ).map { (name: try $0.decode("name", as: String.self), definition: try $0.decode("def", as: String.self)) }
        // Names and definitions come from the catalog, not from a user: safe to splice.
        for c in constraints {
            try db.execute(SQL(unsafeSQL: "ALTER TABLE \(c.table) DROP CONSTRAINT \(try db.escapeIdentifier(c.name))"))
        }
        for i in indexes { try db.execute(SQL(unsafeSQL: "DROP INDEX \(i.name)")) }
        // Synthetic rows are derived and stamped already: the triggers that derive columns, check
        // decisions and stamp events (which would look every row up without the indexes) stay quiet.
        try db.execute("SET LOCAL session_replication_role = replica")
        let result = try body()
        try db.execute("SET LOCAL session_replication_role = origin")
        try db.execute("SET LOCAL maintenance_work_mem = '1GB'")
        for c in constraints.reversed() where c.kind != "f" {
            try db.execute(
                SQL(
                    unsafeSQL:
                        "ALTER TABLE \(c.table) ADD CONSTRAINT \(try db.escapeIdentifier(c.name)) \(c.definition)"))
        }
        for i in indexes { try db.execute(SQL(unsafeSQL: i.definition)) }
        for c in constraints where c.kind == "f" {
            try db.execute(
                SQL(
                    unsafeSQL:
                        "ALTER TABLE \(c.table) ADD CONSTRAINT \(try db.escapeIdentifier(c.name)) \(c.definition)"))
        }
        for t in tables { try db.execute(SQL(unsafeSQL: "ANALYZE \(try db.escapeIdentifier(t))")) }
        return result
    }
}
