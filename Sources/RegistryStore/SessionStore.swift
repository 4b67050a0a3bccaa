import Dates
import Foundation
import Postgres
import Registration

/// A staff session of the network door, as a request finds it.
public struct StaffSession: Sendable {
    public let account: String
    /// The token every form of the session's pages carries (CSRF).
    public let csrf: String
    /// The account as the handler needs it to act, read with the session (one round trip for both).
    public let staff: Store.StaffAccount
}

/// Staff sessions and the login throttle of `regctl serve` (table `app_session`, `login_failure`),
/// run as the application login itself, outside any command. Only a token's SHA-256 reaches the database.
extension Store {
    /// The token's SHA-256, hex: what the table keys.
    static func tokenHash(_ token: String) -> String { SHA256.hex(Array(token.utf8)) }

    /// Records a new session for `account`.
    public func openSession(token: String, account: String, csrf: String) throws {
        try connection.execute(
            """
            INSERT INTO app_session (token_hash, account, csrf)
            VALUES (decode(\(Store.tokenHash(token)), 'hex'), \(account), \(csrf))
            """)
    }

    /// The live session of a token, touched: nil when there is none or it was idle longer than
    /// `idleSeconds` (then it is deleted). `last_seen` is written at most once a minute a session.
    public func session(token: String, idleSeconds: Int) throws -> StaffSession? {
        let hash = Store.tokenHash(token)
        guard
            let row = try connection.query(
                """
                SELECT a.account, a.csrf, a.last_seen > now() - make_interval(secs => \(idleSeconds)) AS live,
                       a.last_seen < now() - interval '60 seconds' AS stale,
                       s.id, s.role, s.region, s.institution, s.active, r.rolsuper
                FROM app_session a JOIN staff s ON s.id = a.account LEFT JOIN pg_roles r ON r.rolname = s.id
                WHERE a.token_hash = decode(\(hash), 'hex')
                """
            ).first
        else { return nil }
        guard try row.decode("live", as: Bool.self) else {
            try connection.execute("DELETE FROM app_session WHERE token_hash = decode(\(hash), 'hex')")
            return nil
        }
        if try row.decode("stale", as: Bool.self) {
            try connection.execute("UPDATE app_session SET last_seen = now() WHERE token_hash = decode(\(hash), 'hex')")
        }
        return StaffSession(
            account: try row.decode("account", as: String.self), csrf: try row.decode("csrf", as: String.self),
            staff: try Store.StaffAccount(row))
    }

    /// Ends one session (logout); false when there was none.
    @discardableResult
    public func endSession(token: String) throws -> Bool {
        try connection.execute("DELETE FROM app_session WHERE token_hash = decode(\(Store.tokenHash(token)), 'hex')")
            > 0
    }

    /// Ends every session of an account (`staff disable`, `staff password`); the count ended.
    @discardableResult
    public func endSessions(of account: String) throws -> Int {
        try connection.execute("DELETE FROM app_session WHERE account = \(account)")
    }

    /// Deletes sessions idle longer than `idleSeconds` (the server's sweep).
    @discardableResult
    public func sweepSessions(idleSeconds: Int) throws -> Int {
        try connection.execute(
            """
            DELETE FROM app_session WHERE last_seen < now() - make_interval(secs => \(idleSeconds));
            """)
    }

    /// Seconds until `keys` may try again: nil while every key has had fewer than `limit` failures in
    /// the last `windowSeconds`; the oldest failure of a window that has passed is forgotten.
    public func loginBlocked(keys: [String], limit: Int, windowSeconds: Int) throws -> Int? {
        let rows = try connection.query(
            """
            SELECT max(ceil(extract(epoch FROM first_at + make_interval(secs => \(windowSeconds)) - now())))::bigint AS wait
            FROM login_failure
            WHERE key = ANY(\(keys)::text[]) AND failures >= \(limit)
              AND first_at > now() - make_interval(secs => \(windowSeconds))
            """)
        return try rows.first?.decode("wait", as: Int?.self).map { max(1, $0) }
    }

    /// Counts a failed login against each key (a window starts at its first failure).
    public func recordLoginFailure(keys: [String], windowSeconds: Int) throws {
        try connection.execute(
            """
            INSERT INTO login_failure (key, failures, first_at)
            SELECT k, 1, now() FROM unnest(\(keys)::text[]) AS k
            ON CONFLICT (key) DO UPDATE SET
                failures = CASE WHEN login_failure.first_at > now() - make_interval(secs => \(windowSeconds))
                                THEN login_failure.failures + 1 ELSE 1 END,
                first_at = CASE WHEN login_failure.first_at > now() - make_interval(secs => \(windowSeconds))
                                THEN login_failure.first_at ELSE now() END
            """)
    }

    /// Forgets the failures of `keys` (a successful login clears its account's).
    public func clearLoginFailures(keys: [String]) throws {
        try connection.execute("DELETE FROM login_failure WHERE key = ANY(\(keys)::text[])")
    }

    /// Runs `body` in a transaction as the public: the role `regctl_public` (SET LOCAL: it ends with the
    /// transaction), which may run the public functions and read the region table, nothing else. The role is
    /// taken in BEGIN's own round trip (a public look-up is the busiest request of the door).
    public func publicTransaction<T>(today: CalendarDate, _ body: () throws -> T) throws -> T {
        self.actor = Actor(id: "public", role: .analyst)
        self.today = today
        // Its statements (the region's check, the places' names) are one index's each: planned once a
        // connection, as the public functions' are (migration 0015), not on every look-up.
        return try connection.transaction(
            prelude: """
                SELECT set_config('regctl.actor', 'public', true), set_config('role', 'regctl_public', true),
                       set_config('plan_cache_mode', 'force_generic_plan', true)
                """,
            body)
    }

    /// Whether the connection still works (a pooled store is replaced when it does not).
    public var isConnected: Bool { connection.isConnected }
}

/// A file the door keeps between requests (`app_file`).
public struct StoredFile: Sendable {
    public let id: UUID
    public let kind: String?
    public let name: String
    public let content: Data
}

extension Store {
    /// Keeps a file for `account` (an upload awaiting confirmation, an errors report); its id.
    public func storeFile(account: String, purpose: String, kind: String?, name: String, content: Data) throws -> UUID {
        let id = UUID()
        try connection.execute(
            """
            INSERT INTO app_file (id, account, purpose, kind, name, content)
            VALUES (\(id), \(account), \(purpose), \(kind), \(String(name.prefix(255))), decode(\(content.base64EncodedString()), 'base64'))
            """)
        try connection.execute("DELETE FROM app_file WHERE created_at < now() - interval '1 day'")
        return id
    }

    /// A kept file of `account`'s, or nil (another account's file is none).
    public func storedFile(_ id: UUID, account: String, purpose: String) throws -> StoredFile? {
        try connection.query(
            """
            SELECT id, kind, name, encode(content, 'base64') AS content FROM app_file
            WHERE id = \(id) AND account = \(account) AND purpose = \(purpose) AND created_at > now() - interval '1 day'
            """
        ).first.map { row in
            StoredFile(
                id: try row.decode("id", as: UUID.self), kind: try row.decode("kind", as: String?.self),
                name: try row.decode("name", as: String.self),
                content: Data(
                    base64Encoded: try row.decode("content", as: String.self), options: .ignoreUnknownCharacters)
                    ?? Data())
        }
    }

    /// Forgets a kept file (an upload once confirmed).
    public func deleteStoredFile(_ id: UUID, account: String) throws {
        try connection.execute("DELETE FROM app_file WHERE id = \(id) AND account = \(account)")
    }
}
