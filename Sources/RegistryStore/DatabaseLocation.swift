import Foundation
import Logging
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

    /// The URL with any password taken out, for messages and `db status`.
    public var redactedURL: String { Connection.redacted(connectionString) }

    /// The migrations this build of regctl carries.
    package static func migrator() throws -> Migrator {
        do {
            return Migrator(try MigrationFiles.all().map { Migration(name: $0.name, sql: $0.sql) })
        } catch {
            throw RegctlError(
                "internal.migrations",
                "cannot read the migration files (\(error)); reinstall regctl with its resources, or set REGCTL_SQL_DIR",
                status: .internalError)
        }
    }

    /// Connects, starting the embedded cluster when it is not running and migrating when the schema is behind.
    public func open(migrate: Bool = true) throws -> Store {
        Store(connection: try connect(migrate: migrate))
    }

    /// Where the server stands, for `db status` (starts nothing): its version and the migrations this
    /// build carries that it has not applied. Throws `auth.failed` or `db.unavailable` with the server's
    /// own words (`unreachable`) for the table.
    public func serverStatus() throws -> (version: Int, pending: [String]) {
        do {
            let connection = try Connection(connectionString)
            let pending = try Self.migrator().pending(on: connection)
            return (connection.serverVersion, pending.map(\.name))
        } catch let e as PostgresError where Self.isAuthenticationFailure(e) {
            throw Self.authenticationFailure(e)
        } catch let e as PostgresError {
            throw Unreachable(message: e.message)
        }
    }

    /// The server did not answer: its (libpq's) words, for the status table.
    public struct Unreachable: Error {
        public let message: String
    }

    /// Applies the migrations not yet applied; returns their names.
    public func migrate() throws -> [String] {
        try Self.migrator().migrate(on: try connect(migrate: false))
    }

    func connect(migrate: Bool = true) throws -> Connection {
        if isEmbedded {
            try cluster.start()
        }
        let connection: Connection
        do {
            connection = try Connection(connectionString)
        } catch let e as PostgresError where Self.isAuthenticationFailure(e) {
            // Not the advice for a stopped server: the server answered, and refused the login.
            throw Self.authenticationFailure(e)
        } catch let e as PostgresError {
            let advice =
                isEmbedded
                ? "Check the embedded server with: regctl db status (its log: \(cluster.logFile))."
                : "Check that the server is running and reachable, and that the URL, user and password are right."
            throw RegctlError("db.unavailable", "\(e.message). \(advice)", status: .unavailable)
        }
        if migrate {
            do {
                try Self.migrator().migrate(on: connection)
            } catch  where RegctlError.from(error) == RegctlError.readOnlyDatabase {
                // A standby replays its primary's schema; it cannot migrate itself.
                throw RegctlError(
                    "db.migration",
                    "the standby at \(redactedURL) has an older schema than this regctl: run any regctl command against the primary first (it migrates; the standby replays the change)",
                    status: .unavailable)
            }
        }
        return connection
    }

    /// The read database (`--read-database`, else `REGCTL_READ_URL`), opened without migrating, with
    /// `target_session_attrs=prefer-standby` unless the URL chooses: a standby among its hosts when one
    /// answers, else whichever does. Nil when none is named; when it cannot be reached, nil too (the primary
    /// answers, and a warning says so): a standby's outage never stops the reads.
    public static func openReader(
        url: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> Store? {
        guard let chosen = readURL(url, environment: environment) else { return nil }
        do {
            return try connectReader(chosen)
        } catch {
            Logger(label: "regctl.store").warning(
                "the read database \(Connection.redacted(chosen)) cannot be reached (\(RegctlError.from(error).message)); the primary answers"
            )
            return nil
        }
    }

    /// `url`, else `REGCTL_READ_URL`; nil when neither names one.
    public static func readURL(_ url: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
        -> String?
    {
        guard let chosen = url ?? environment["REGCTL_READ_URL"], !chosen.isEmpty else { return nil }
        return chosen
    }

    /// A connection to the read database `url`: `target_session_attrs=prefer-standby` unless the URL names
    /// its own.
    public static func connectReader(_ url: String) throws -> Store {
        let overrides = url.contains("target_session_attrs") ? [] : [("target_session_attrs", "prefer-standby")]
        return Store(connection: try Connection(url, overrides: overrides))
    }

    /// Whether `password` is the staff login `account`'s, asked of PostgreSQL itself: a connection attempt
    /// as that login (its SCRAM verifier, and pg_hba.conf's word on where it may come from), closed at
    /// once. False when the server refuses the login (a wrong password, a disabled account, a login that
    /// may not come from this host); `db.unavailable` when the server cannot be reached at all.
    public func checkPassword(account: String, password: String) throws -> Bool {
        do {
            _ = try Connection(
                connectionString, applicationName: "regctl-login",
                overrides: [("user", account), ("password", password)])
            return true
        } catch let e as PostgresError where Self.isAuthenticationFailure(e) {
            return false
        } catch let e as PostgresError {
            throw RegctlError("db.unavailable", "the database cannot be reached: \(e.message)", status: .unavailable)
        }
    }

    /// Connects without starting or migrating anything (the server's pool, `/readyz`).
    public func openExisting() throws -> Store {
        Store(connection: try connect(migrate: false))
    }

    /// The migrations this build carries that the database has not applied (`/readyz`: the schema is current).
    public static func pendingMigrations(_ store: Store) throws -> [String] {
        try migrator().pending(on: store.connection).map(\.name)
    }

    /// What a user is told when the server answered and refused the login.
    static func authenticationFailure(_ e: PostgresError) -> RegctlError {
        e.message.contains("is not permitted to log in")
            ? RegctlError(
                "auth.failed",
                "the server refused the login: it is not permitted to log in (a disabled account; ask an admin)",
                status: .authentication)
            : RegctlError(
                "auth.failed",
                "the server refused the login: check the user name and password (PGPASSWORD or ~/.pgpass); a disabled account may not log in (ask an admin)",
                status: .authentication)
    }

    /// libpq reports a refused login as a connection failure; its text says which.
    static func isAuthenticationFailure(_ e: PostgresError) -> Bool {
        e.sqlState == "28P01" || e.sqlState == "28000" || e.message.contains("authentication failed")
            || e.message.contains("no password supplied") || e.message.contains("is not permitted to log in")
    }

    /// Empties the database: drops every object in the public schema, then migrates afresh.
    public func reset() throws -> Store {
        let connection = try connect(migrate: false)
        // Only the schema's owner (the operator's login, a superuser) may rebuild it; a staff login is told so.
        let owner =
            try connection.query(
                """
                SELECT r.rolsuper OR pg_has_role(current_user, n.nspowner, 'MEMBER') FROM pg_roles r, pg_namespace n
                WHERE r.rolname = current_user AND n.nspname = 'public'
                """
            ).first?.decode(0, as: Bool.self) ?? false
        guard owner else {
            throw RegctlError(
                "permission.denied",
                "db reset rebuilds the schema, which only its owner may do: run it on the operator's login (the database owner), not a staff login",
                rule: "R-70")
        }
        try connection.transaction {
            try connection.executeScript(
                unsafeSQL:
                    "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public; GRANT USAGE ON SCHEMA public TO PUBLIC;"
            )
        }
        try Self.migrator().migrate(on: connection)
        return Store(connection: connection)
    }
}
