import CLibPQ

/// An error from the database or from the layer over it, with every field the server sent.
///
/// `description` shows the query text (with its `$n` placeholders) but never the
/// bound values: they may be personal data (ID numbers) or secrets.
public struct PostgresError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Equatable {
        /// The server refused a statement (it sent an ErrorResponse).
        case server
        /// No connection could be made, or it was lost.
        case connection
        /// A value could not be decoded into the Swift type asked for.
        case decoding
        /// The layer was misused (parameters in COPY, …).
        case usage
    }

    public var kind: Kind
    public var sqlState: String?
    public var message: String
    public var detail: String?
    public var hint: String?
    public var constraint: String?
    public var table: String?
    public var column: String?
    public var schema: String?
    /// The statement text as sent, placeholders and all.
    public var query: String?

    public init(kind: Kind, message: String, sqlState: String? = nil, query: String? = nil) {
        self.kind = kind
        self.message = message
        self.sqlState = sqlState
        self.query = query
    }

    /// Copies every diagnostic field out of a result before it is cleared.
    init(result: OpaquePointer?, connection: OpaquePointer?, query: String?) {
        func field(_ code: Int32) -> String? {
            guard let result, let p = PQresultErrorField(result, code) else { return nil }
            return String(cString: p)
        }
        var message = field(REGCTL_PG_DIAG_MESSAGE_PRIMARY)
        if message == nil {
            if let result, let p = PQresultErrorMessage(result), p.pointee != 0 {
                message = String(cString: p)
            } else if let connection, let p = PQerrorMessage(connection), p.pointee != 0 {
                message = String(cString: p)
            }
        }
        let state = field(REGCTL_PG_DIAG_SQLSTATE)
        self.init(
            kind: state == nil ? .connection : .server,
            message: (message ?? "unknown error").trimmingTrailingNewlines, sqlState: state, query: query)
        detail = field(REGCTL_PG_DIAG_MESSAGE_DETAIL)
        hint = field(REGCTL_PG_DIAG_MESSAGE_HINT)
        constraint = field(REGCTL_PG_DIAG_CONSTRAINT_NAME)
        table = field(REGCTL_PG_DIAG_TABLE_NAME)
        column = field(REGCTL_PG_DIAG_COLUMN_NAME)
        schema = field(REGCTL_PG_DIAG_SCHEMA_NAME)
    }

    /// What may be shown to a user or written to an ordinary log: the SQLSTATE, the constraint, the table
    /// and column, and the query text with its `$n` placeholders. Never the server's message, detail or
    /// hint: they quote the values (`Key (id_number)=(33010619900101123X) already exists`), which may be
    /// personal data or secrets. (postgres-nio's `PSQLError` keeps its description as bare for the same
    /// reason.) A connection or decoding error's message is libpq's or ours and names no value, so it stays.
    public var description: String { render(serverText: kind != .server) }

    /// Everything the server said, values and all: for the debug log only (`REGCTL_LOG_LEVEL=debug`).
    public var fullDescription: String { render(serverText: true, detailAndHint: true) }

    private func render(serverText: Bool, detailAndHint: Bool = false) -> String {
        var s = "PostgreSQL"
        if let sqlState { s += " \(sqlState)" }
        if serverText { s += ": \(message)" }
        if detailAndHint, let detail { s += "; detail: \(detail)" }
        if detailAndHint, let hint { s += "; hint: \(hint)" }
        if let constraint { s += "; constraint: \(constraint)" }
        if let table { s += "; table: \(table)" }
        if let column { s += "; column: \(column)" }
        if let query { s += "; query: \(query)" }
        return s
    }

    /// SQLSTATE class 08 or a dead connection: retrying on a new connection may help.
    public var isConnectionFailure: Bool {
        kind == .connection || (sqlState?.hasPrefix("08") ?? false)
    }
}

extension String {
    var trimmingTrailingNewlines: String {
        var s = self
        while s.last == "\n" || s.last == " " { s.removeLast() }
        return s
    }
}
