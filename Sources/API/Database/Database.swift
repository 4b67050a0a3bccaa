import Foundation
import Migrations
import Postgres

/// Which database regctl talks to, and opening it ready for use (started and migrated).
public struct DatabaseLocation: Sendable {
    /// An explicit libpq URL or connection string; nil means the embedded cluster.
    public let url: String?
    public let cluster: LocalCluster

    /// `--database`, else `DATABASE_URL`, else the embedded cluster under `REGCTL_HOME`.
    public init(url: String?, environment: [String: String] = ProcessInfo.processInfo.environment) {
        let chosen = url ?? environment["DATABASE_URL"]
        self.url = (chosen?.isEmpty ?? true) ? nil : chosen
        self.cluster = LocalCluster(home: LocalCluster.defaultHome(environment: environment))
    }

    public var isEmbedded: Bool { url == nil }

    /// The URL to connect to (the embedded cluster's socket URL when none was given).
    public var connectionString: String { url ?? cluster.url() }

    /// The migrations this build of regctl carries.
    public static func migrator() throws -> Migrator {
        do {
            return Migrator(try MigrationFiles.all().map { Migration(name: $0.name, sql: $0.sql) })
        } catch {
            throw RegctlError("internal.migrations", "cannot read the migration files (\(error)); reinstall regctl with its resources, or set REGCTL_SQL_DIR", status: .internalError)
        }
    }

    /// Connects, starting the embedded cluster when it is not running and migrating when the schema is behind.
    public func open(migrate: Bool = true) throws -> Connection {
        if isEmbedded {
            try cluster.start()
        }
        let connection: Connection
        do {
            connection = try Connection(connectionString)
        } catch let e as PostgresError where e.message.contains("authentication failed") || e.message.contains("no password supplied") || e.message.contains("is not permitted to log in") {
            throw RegctlError("auth.failed", "\(e.message). Check the user name and password (PGPASSWORD or ~/.pgpass); a disabled account may not log in (ask an admin).",
                              status: .authentication)
        } catch let e as PostgresError {
            let advice = isEmbedded
                ? "Check the embedded server with: regctl db status (its log: \(cluster.logFile))."
                : "Check that the server is running and reachable, and that the URL, user and password are right."
            throw RegctlError("db.unavailable", "\(e.message). \(advice)", status: .unavailable)
        }
        if migrate {
            try Self.migrator().migrate(on: connection)
        }
        return connection
    }

    /// Empties the database: drops every object in the public schema, then migrates afresh.
    public func reset() throws -> Connection {
        let connection = try open(migrate: false)
        try connection.transaction {
            try connection.executeScript(unsafeSQL: "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public; GRANT USAGE ON SCHEMA public TO PUBLIC;")
        }
        try Self.migrator().migrate(on: connection)
        return connection
    }
}
