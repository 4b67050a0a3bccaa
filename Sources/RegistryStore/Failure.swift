import Logging
import Postgres
@_exported import Rendering

/// How a command ended, as the process exit status (sysexits where one fits).
public enum ExitStatus: Int32, Sendable {
    case done = 0
    /// A rule, a missing record or a permission refused the command.
    case refused = 1
    /// An import finished with rejected rows.
    case importRejected = 3
    /// Unknown command, bad flag, malformed value.
    case usage = 64
    /// The database cannot be reached or started.
    case unavailable = 69
    /// A bug: an internal error.
    case internalError = 70
    /// Authentication failed: a wrong password, a login that may not log in.
    case authentication = 77
}

/// An error a user sees: a stable dotted code, a message saying what to do, the rule it enforces.
public struct RegctlError: Error, CustomStringConvertible, Sendable, Equatable {
    public let code: String
    public let message: String
    public let rule: String?
    public let status: ExitStatus
    /// The argument at fault (snake_case), when one is: an import names its column from it.
    public let field: String?
    /// The message in Chinese, when the catalogue's sentence for the code cannot say enough (a header's
    /// problems and the columns expected); otherwise the catalogue's sentence is used.
    public let chinese: String?

    public init(
        _ code: String, _ message: String, rule: String? = nil, status: ExitStatus = .refused, field: String? = nil,
        chinese: String? = nil
    ) {
        self.code = code
        self.message = message
        self.chinese = chinese
        self.rule = rule
        // CLI.md: a malformed value is a usage error (64), for every flag alike, wherever it was found.
        self.status = code.hasPrefix("input.") && status == .refused ? .usage : status
        self.field = field
    }

    public var description: String { "error[\(code)]: \(message)" }

    /// As the command line says it: the field as its flag (`error[input.date]: --on: …`).
    public var commandLineDescription: String { commandLineDescription(in: .english) }

    /// As the command line says it in `catalogue`'s language (`错误[input.date]：--on：日期格式不正确…`).
    public func commandLineDescription(in catalogue: Catalogue) -> String {
        let flag = field.map { "--" + $0.replacingOccurrences(of: "_", with: "-") } ?? ""
        let text = catalogue.message(code: code, english: message, chinese: chinese)
        if catalogue.language == .zh {
            return "错误[\(code)]：" + (flag.isEmpty ? "" : flag + "：") + text
        }
        return "error[\(code)]: " + (flag.isEmpty ? "" : flag + ": ") + text
    }

    /// `{"code", "message", "rule", "field"}` (rule and field when known): the error of an exec answer,
    /// and what `--format json` writes on stderr inside `{"error": …}`.
    public var json: String { json(in: .english) }

    /// The same with the message in `catalogue`'s language (the code and keys never change).
    public func json(in catalogue: Catalogue) -> String {
        let text = catalogue.message(code: code, english: message, chinese: chinese)
        var fields = ["\"code\":\(JSONText.quote(code))", "\"message\":\(JSONText.quote(text))"]
        if let rule { fields.append("\"rule\":\(JSONText.quote(rule))") }
        if let field { fields.append("\"field\":\(JSONText.quote(field))") }
        return "{" + fields.joined(separator: ",") + "}"
    }

    /// A write that reached a standby: the server takes reads only.
    public static let readOnlyDatabase = RegctlError(
        "database.read-only",
        "the server this command reached is a standby, which takes no writes: send commands that write to the primary (--database or DATABASE_URL naming it, or several hosts with target_session_attrs=read-write, which finds it), or, if the primary is gone for good, promote the standby (regctl db promote)",
        status: .unavailable)

    /// Maps any error to what the user is told: our own errors as they are,
    /// database trouble as `db.*` (exit 69), anything else as a bug (exit 70).
    public static func from(_ error: Error) -> RegctlError {
        if let e = error as? PostgresError, e.kind == .server {
            Logger(label: "regctl.database").debug("\(e.fullDescription)")
        }
        switch error {
        case let e as RegctlError:
            return e
        case let e as ClusterError where e.isUsage:
            return RegctlError("db.standby", e.message, status: .usage)
        case let e as ClusterError:
            return RegctlError("db.unavailable", e.message, status: .unavailable)
        case let e as PostgresError where e.constraint.flatMap(ConstraintMeaning.of) != nil:
            // A race the database's last line caught: the rule's own code.
            return ConstraintMeaning.of(e.constraint!)!
        case let e as PostgresError where e.sqlState == "40001" || e.sqlState == "40P01":
            return RegctlError(
                "conflict.retry", "another command changed the same records at the same moment; run the command again")
        case let e as PostgresError where e.sqlState == "42501":
            // The database's own access control (privileges, row-level security): the last line behind R-70.
            return RegctlError(
                "permission.denied",
                "the database refused to let this account \(e.table.map { "write \($0)" } ?? "do this"); the account's scope does not cover this record (ask a registrar of its region or an admin)",
                rule: "R-70")
        case let e as PostgresError where e.sqlState == "23503":
            // A foreign key: the record referred to is gone (removed by a command that ran at the same moment).
            return RegctlError(
                "not-found",
                "a record this command refers to\(e.table.map { " (from \($0))" } ?? "") does not exist; check the identifiers and run the command again"
            )
        case let e as PostgresError where e.sqlState == "25006":
            // read_only_sql_transaction: the server is a hot standby (or the transaction was read-only).
            return RegctlError.readOnlyDatabase
        case let e as MigrationError:
            return RegctlError("db.migration", e.description, status: .unavailable)
        case let e as PostgresError where e.isConnectionFailure:
            return RegctlError(
                "db.unavailable",
                "\(e.message). Check that the server is running and the URL is right (regctl db status; DATABASE_URL or --database).",
                status: .unavailable)
        case let e as PostgresError:
            return RegctlError(
                "internal.database",
                "the database refused a statement regctl sent; this is a bug, please report it with this message: \(e)",
                status: .internalError)
        default:
            return RegctlError(
                "internal", "unexpected error; this is a bug, please report it with this message: \(error)",
                status: .internalError)
        }
    }
}
