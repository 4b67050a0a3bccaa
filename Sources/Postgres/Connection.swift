import CLibPQ
import Foundation

/// One libpq connection (`PGconn`), finished when the object goes.
///
/// Not `Sendable`: one connection is used by one task at a time, and the type
/// system keeps it so. Statements are prepared once per connection and cached.
public final class Connection {
    let handle: OpaquePointer
    private var preparedStatements: [String: String] = [:]
    private var nextStatementNumber = 0
    private var transactionDepth = 0
    /// Prepared statements kept before the cache is emptied (dynamic SQL must not grow it without bound).
    public var preparedStatementLimit = 512
    /// Told of every statement `query` ran and its seconds (benchmarks find a command's slowest statement with it).
    public var statementObserver: ((SQL, Double) -> Void)?

    /// Connects with a URI (`postgresql://…`) or a `key=value` connection string. `overrides` (such as
    /// `user` and `password`) replace the string's own values: they reach libpq as parameters, never spliced
    /// into the string.
    public init(_ connectionString: String, applicationName: String = "regctl", overrides: [(String, String)] = [])
        throws
    {
        let keywords = ["dbname", "fallback_application_name", "client_encoding"] + overrides.map(\.0)
        let values = [connectionString, applicationName, "UTF8"] + overrides.map(\.1)
        let cKeywords = keywords.map { strdup($0) } + [nil]
        let cValues = values.map { strdup($0) } + [nil]
        defer {
            cKeywords.forEach { free($0) }
            cValues.forEach { free($0) }
        }
        let conn = cKeywords.map { UnsafePointer($0) }.withUnsafeBufferPointer { k in
            cValues.map { UnsafePointer($0) }.withUnsafeBufferPointer { v in
                PQconnectdbParams(k.baseAddress, v.baseAddress, 1)
            }
        }
        guard let conn else {
            throw PostgresError(kind: .connection, message: "out of memory while connecting")
        }
        guard PQstatus(conn) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(conn)).trimmingTrailingNewlines
            PQfinish(conn)
            throw PostgresError(
                kind: .connection,
                message: "cannot connect to \(Connection.redacted(connectionString)): \(message)")
        }
        handle = conn
        PQsetNoticeProcessor(conn, { _, _ in }, nil)  // NOTICEs are not results; keep stderr for our own messages
    }

    deinit {
        PQfinish(handle)
    }

    /// The connection string with any password taken out, for messages and logs.
    public static func redacted(_ connectionString: String) -> String {
        var error: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(connectionString, &error) else {
            if let error { PQfreemem(error) }
            return "(a connection string that does not parse)"
        }
        defer { PQconninfoFree(options) }
        var parts: [String] = []
        var p = options
        while let keyword = p.pointee.keyword {
            let key = String(cString: keyword)
            if let val = p.pointee.val, key != "password" {
                parts.append("\(key)=\(String(cString: val))")
            }
            p += 1
        }
        return parts.isEmpty ? "(defaults)" : parts.joined(separator: " ")
    }

    /// `PQserverVersion`: 150018 for 15.18.
    public var serverVersion: Int { Int(PQserverVersion(handle)) }

    /// True inside `transaction { }`.
    public var isInTransaction: Bool { transactionDepth > 0 }

    /// Whether the connection is still good (libpq's status after the last call).
    public var isConnected: Bool { PQstatus(handle) == CONNECTION_OK }

    /// The login (`session_user`), whether it is a superuser, and whether it may act for others:
    /// a member of `operatorRole` (the application role granted to the logins that run regctl for
    /// others; a superuser is one). Asked once.
    public func login(operatorRole: String = "regctl_app") throws -> Login {
        if let cachedLogin { return cachedLogin }
        let row = try query(
            """
            SELECT session_user::text, r.rolsuper,
                   r.rolsuper OR coalesce(pg_has_role(session_user, (SELECT oid FROM pg_roles WHERE rolname = \(operatorRole)), 'MEMBER'), false)
            FROM pg_roles r WHERE r.rolname = session_user
            """)[0]
        let found = Login(
            name: try row.decode(0, as: String.self), superuser: try row.decode(1, as: Bool.self),
            actsForOthers: try row.decode(2, as: Bool.self))
        cachedLogin = found
        return found
    }
    private var cachedLogin: Login?

    /// Who a connection logged in as.
    public struct Login: Sendable, Equatable {
        public let name: String
        public let superuser: Bool
        /// A member of the application role: may name the account it acts for.
        public let actsForOthers: Bool
    }

    /// A password as the SCRAM-SHA-256 verifier the server stores (`PQencryptPasswordConn`): the
    /// clear text never travels to the server, so it cannot reach its log or statistics.
    public func passwordVerifier(_ password: String, role: String) throws -> String {
        guard let p = PQencryptPasswordConn(handle, password, role, "scram-sha-256") else {
            throw PostgresError(
                kind: .usage,
                message:
                    "cannot encrypt the password: \(String(cString: PQerrorMessage(handle)).trimmingTrailingNewlines)")
        }
        defer { PQfreemem(p) }
        return String(cString: p)
    }

    /// Quotes a literal with libpq's `PQescapeLiteral` (for statements that take no parameters, such as ALTER ROLE).
    public func escapeLiteral(_ text: String) throws -> String {
        try escaped(text, "literal") { PQescapeLiteral(handle, $0, $1) }
    }

    /// Quotes an identifier with libpq's `PQescapeIdentifier`.
    public func escapeIdentifier(_ name: String) throws -> String {
        try escaped(name, "identifier") { PQescapeIdentifier(handle, $0, $1) }
    }

    private func escaped(_ text: String, _ what: String, _ escape: (String, Int) -> UnsafeMutablePointer<CChar>?) throws
        -> String
    {
        guard let p = escape(text, text.utf8.count) else {
            throw PostgresError(
                kind: .usage,
                message: "cannot quote \(what): \(String(cString: PQerrorMessage(handle)).trimmingTrailingNewlines)")
        }
        defer { PQfreemem(p) }
        return String(cString: p)
    }

    // MARK: statements

    /// Runs a statement (prepared and cached) and returns its rows.
    @discardableResult
    public func query(_ sql: SQL) throws -> Rows {
        let text = try sql.render(escapeIdentifier: escapeIdentifier)
        if let observer = statementObserver {
            let started = DispatchTime.now().uptimeNanoseconds
            defer { observer(sql, Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9) }
            return try runQuery(text: text, sql: sql)
        }
        return try runQuery(text: text, sql: sql)
    }

    private func runQuery(text: String, sql: SQL) throws -> Rows {
        do {
            return try runPrepared(text: text, sql: sql)
        } catch let error as PostgresError
            where error.sqlState == "0A000" && PQtransactionStatus(handle) == PQTRANS_IDLE
        {
            // "cached plan must not change result type": the table changed under a
            // prepared statement. Outside a transaction nothing was lost; prepare anew once.
            forgetPrepared()
            return try runPrepared(text: text, sql: sql)
        }
    }

    /// Runs a statement and returns how many rows it changed.
    @discardableResult
    public func execute(_ sql: SQL) throws -> Int {
        try query(sql).affected
    }

    /// Runs several statements in one string (a migration), with the simple query protocol. No parameters.
    public func executeScript(unsafeSQL text: String) throws {
        guard let r = PQexec(handle, text) else {
            throw PostgresError(
                kind: .connection, message: String(cString: PQerrorMessage(handle)).trimmingTrailingNewlines)
        }
        _ = try check(ResultHandle(r), query: text)
    }

    private func cacheKey(_ text: String, _ sql: SQL) -> String {
        text + "\u{0}" + sql.parameters.map { String($0.type) }.joined(separator: ",")
    }

    private func runPrepared(text: String, sql: SQL) throws -> Rows {
        let key = cacheKey(text, sql)
        let name: String
        if let cached = preparedStatements[key] {
            name = cached
        } else {
            if preparedStatements.count >= preparedStatementLimit { forgetPrepared() }
            nextStatementNumber += 1
            name = "regctl_\(nextStatementNumber)"
            let types = sql.parameters.map { $0.type }
            guard let r = PQprepare(handle, name, text, Int32(types.count), types.isEmpty ? nil : types) else {
                throw PostgresError(
                    kind: .connection, message: String(cString: PQerrorMessage(handle)).trimmingTrailingNewlines,
                    query: text)
            }
            _ = try check(ResultHandle(r), query: text)
            preparedStatements[key] = name
        }
        let result = withParameters(sql.parameters) { values, count in
            PQexecPrepared(handle, name, count, values, nil, nil, 1)
        }
        guard let result else {
            throw PostgresError(
                kind: .connection, message: String(cString: PQerrorMessage(handle)).trimmingTrailingNewlines,
                query: text)
        }
        do {
            return try check(ResultHandle(result), query: text)
        } catch let e as PostgresError where e.sqlState == "0A000" {
            preparedStatements[key] = nil
            throw e
        }
    }

    /// Empties the statement cache, on the server too (when the connection can still say so).
    func forgetPrepared() {
        if !preparedStatements.isEmpty, PQtransactionStatus(handle) == PQTRANS_IDLE,
            let r = PQexec(handle, "DEALLOCATE ALL")
        {
            PQclear(r)
        }
        preparedStatements.removeAll()
    }

    /// Hands libpq the parameter values as C strings for the duration of `body`.
    func withParameters<R>(
        _ parameters: [PostgresParameter], _ body: (UnsafePointer<UnsafePointer<CChar>?>?, Int32) -> R
    ) -> R {
        if parameters.isEmpty { return body(nil, 0) }
        let copies: [UnsafeMutablePointer<CChar>?] = parameters.map { p in p.text.map { strdup($0) } ?? nil }
        defer { copies.forEach { free($0) } }
        let values = copies.map { UnsafePointer($0) }
        return values.withUnsafeBufferPointer { body($0.baseAddress, Int32(parameters.count)) }
    }

    /// Turns an error result into a thrown `PostgresError`, a good one into `Rows`.
    func check(_ result: ResultHandle, query: String?) throws -> Rows {
        switch PQresultStatus(result.pointer) {
        case PGRES_TUPLES_OK, PGRES_COMMAND_OK, PGRES_EMPTY_QUERY, PGRES_SINGLE_TUPLE:
            return Rows(result)
        default:
            throw PostgresError(result: result.pointer, connection: handle, query: query)
        }
    }

    // MARK: transactions

    /// Runs `body` in a transaction, or in a savepoint when already inside one.
    /// Commits (or releases) when it returns; rolls back when it throws.
    @discardableResult
    /// `prelude`: fixed statements (no values) sent with BEGIN in the same round trip, such as the settings a
    /// kind of transaction always starts with.
    public func transaction<T>(prelude: StaticString? = nil, _ body: () throws -> T) throws -> T {
        let depth = transactionDepth
        let savepoint = "regctl_sp_\(depth)"
        let start = depth == 0 ? "BEGIN" : "SAVEPOINT \(savepoint)"
        try executeScript(unsafeSQL: prelude.map { start + "; " + $0.description } ?? start)
        transactionDepth += 1
        defer { transactionDepth = depth }
        let value: T
        do {
            value = try body()
        } catch {
            // A failed rollback (the connection died) must not hide the error that caused it.
            if depth == 0 {
                try? executeScript(unsafeSQL: "ROLLBACK")
            } else {
                try? executeScript(unsafeSQL: "ROLLBACK TO SAVEPOINT \(savepoint); RELEASE SAVEPOINT \(savepoint)")
            }
            throw error
        }
        if PQtransactionStatus(handle) == PQTRANS_INERROR {
            // A statement failed and its error was caught: COMMIT would silently roll back.
            try? executeScript(
                unsafeSQL: depth == 0
                    ? "ROLLBACK" : "ROLLBACK TO SAVEPOINT \(savepoint); RELEASE SAVEPOINT \(savepoint)")
            throw PostgresError(
                kind: .usage,
                message:
                    "a statement in the transaction failed and its error was caught; the transaction was rolled back",
                sqlState: "25P02")
        }
        try executeScript(unsafeSQL: depth == 0 ? "COMMIT" : "RELEASE SAVEPOINT \(savepoint)")
        return value
    }
}
