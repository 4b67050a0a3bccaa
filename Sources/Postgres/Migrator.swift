/// One numbered schema change: a name that sorts in order, and its SQL.
public struct Migration: Sendable {
    public let name: String
    public let sql: String
    public var checksum: String { SHA256.hex(sql.utf8) }

    public init(name: String, sql: String) {
        self.name = name
        self.sql = sql
    }
}

/// Why migrating stopped.
public enum MigrationError: Error, CustomStringConvertible, Sendable {
    /// A migration already applied has different text now.
    case changed(name: String, applied: String, now: String)
    /// The database has migrations this program does not know (it is newer).
    case unknown(names: [String])
    case failed(name: String, PostgresError)

    public var description: String {
        switch self {
        case .changed(let name, let applied, let now):
            return
                "migration \(name) was applied with checksum \(applied.prefix(12))…, but its file now has \(now.prefix(12))…: an applied migration must never be edited. Restore the file and put the change in a new numbered migration."
        case .unknown(let names):
            return
                "the database has migrations this regctl does not know (\(names.joined(separator: ", "))): it was migrated by a newer regctl. Use that version."
        case .failed(let name, let error):
            // The whole script is the statement: its text would bury the message.
            var shown = error
            shown.query = nil
            return "migration \(name) failed and was rolled back: \(shown)"
        }
    }
}

/// Applies numbered migrations in order, each in its own transaction, and
/// records each with its SHA-256 in `regctl_migrations`.
public struct Migrator: Sendable {
    public let migrations: [Migration]

    public init(_ migrations: [Migration]) {
        self.migrations = migrations.sorted { $0.name < $1.name }
    }

    static let table: SQL = """
        CREATE TABLE IF NOT EXISTS regctl_migrations (
            name       text PRIMARY KEY,
            checksum   text NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now()
        )
        """

    /// The migrations not yet applied; throws when an applied one was edited or is unknown.
    public func pending(on connection: Connection) throws -> [Migration] {
        let exists =
            try connection.query("SELECT to_regclass('regctl_migrations') IS NOT NULL").first?.decode(0, as: Bool.self)
            ?? false
        guard exists else { return migrations }
        var applied: [String: String] = [:]
        for row in try connection.query("SELECT name, checksum FROM regctl_migrations") {
            applied[try row.decode(0, as: String.self)] = try row.decode(1, as: String.self)
        }
        let known = Set(migrations.map(\.name))
        let unknown = applied.keys.filter { !known.contains($0) }.sorted()
        if !unknown.isEmpty { throw MigrationError.unknown(names: unknown) }
        var pending: [Migration] = []
        for m in migrations {
            if let checksum = applied[m.name] {
                if checksum != m.checksum {
                    throw MigrationError.changed(name: m.name, applied: checksum, now: m.checksum)
                }
            } else {
                pending.append(m)
            }
        }
        return pending
    }

    /// Applies what is pending; returns the names applied. Concurrent runs wait
    /// for each other on an advisory lock and apply each migration once.
    @discardableResult
    public func migrate(on connection: Connection) throws -> [String] {
        guard try !pending(on: connection).isEmpty else { return [] }
        // Under the same lock as each migration: two processes on a fresh database would otherwise race
        // to create the table (23505 on pg_type's name index).
        try connection.transaction {
            try connection.execute("SELECT pg_advisory_xact_lock(7365821)")
            try connection.execute(Migrator.table)
        }
        var applied: [String] = []
        for m in migrations {
            let done: Bool = try connection.transaction {
                try connection.execute("SELECT pg_advisory_xact_lock(7365821)")
                if let row = try connection.query("SELECT checksum FROM regctl_migrations WHERE name = \(m.name)").first
                {
                    let checksum = try row.decode(0, as: String.self)
                    if checksum != m.checksum {
                        throw MigrationError.changed(name: m.name, applied: checksum, now: m.checksum)
                    }
                    return false
                }
                do {
                    try connection.executeScript(unsafeSQL: m.sql)
                } catch let e as PostgresError {
                    throw MigrationError.failed(name: m.name, e)
                }
                try connection.execute(
                    "INSERT INTO regctl_migrations (name, checksum) VALUES (\(m.name), \(m.checksum))")
                return true
            }
            if done { applied.append(m.name) }
        }
        return applied
    }
}
