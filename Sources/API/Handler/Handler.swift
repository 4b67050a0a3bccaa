import Dates
import Foundation
import Logging
import Postgres
import Registration

/// Runs commands: resolves the actor, opens a transaction, runs the command
/// (access, facts, rules, writes), appends its event, commits. A refused
/// command leaves nothing but its event (R-71).
public struct Handler {
    public let connection: Connection
    public let today: CalendarDate
    let logger = Logger(label: "regctl.handler")

    public init(connection: Connection, today: CalendarDate? = nil) {
        self.connection = connection
        self.today = today ?? Handler.today()
    }

    /// R-04: `REGCTL_TODAY`, else the clock's Asia/Shanghai day.
    public static func today(environment: [String: String] = ProcessInfo.processInfo.environment) -> CalendarDate {
        if let s = environment["REGCTL_TODAY"], let d = CalendarDate(parsing: s) { return d }
        return CalendarDate.today()
    }

    /// Runs a command by name with its arguments, as `--as` (or the login's identity when nil). Its
    /// event is sealed into the chain right after, unless `seal` is false (a stream seals in batches).
    public func execute(_ name: String, _ arguments: Arguments, as actorName: String?, seal: Bool = true) throws
        -> CommandOutput
    {
        guard let type = CommandRegistry.type(named: name) else {
            throw RegctlError(
                "exec.malformed",
                "no command is called \(Quoted.value(name)); commands are the CLI's words joined by a dot, such as filing.add",
                status: .usage)
        }
        let actor: Actor
        do {
            actor = try resolveActor(actorName)
        } catch {
            let failure = Handler.translate(error)
            try record(name, arguments, actor: nil, requested: actorName, refusedWith: failure)
            throw failure
        }
        defer { if seal { sealEvents() } }
        do {
            let command = try type.init(arguments)
            let context = CommandContext(connection: connection, actor: actor, today: today)
            return try connection.transaction {
                try act(as: actor, role: !type.runsAsLogin)
                var output = try command.run(context)
                // `--section` picks one table of a report, for every report alike.
                if let report = output.report {
                    output.report = try report.selecting(try arguments.optionalString("section"))
                }
                try EventLog.append(
                    connection, actor: actor.id, command: name, arguments: arguments, outcome: nil,
                    subjects: context.touched, details: context.details)
                return output
            }
        } catch {
            let failure = Handler.translate(error)
            try record(name, arguments, actor: actor, requested: actorName, refusedWith: failure)
            throw failure
        }
    }

    /// The refusal's event (or the failure's, outcome `failed`, for exit 70), in a transaction of its own
    /// after the command's was rolled back. When no account could be resolved, the event names the one
    /// asked for (or the login), and is written with the login's own right to record refusals
    /// (regctl_app). An event that cannot be written is itself an error (R-71): the user is told the
    /// refusal and that it went unrecorded, never left believing the log holds it.
    func record(
        _ name: String, _ arguments: Arguments, actor: Actor?, requested: String?, refusedWith failure: RegctlError
    ) throws {
        guard failure.status == .refused || failure.status == .usage || failure.status == .internalError else { return }
        guard let login = try? connection.login(), login.actsForOthers else {
            logger.info("refusal of \(name) not recorded: a staff login records no events")
            return
        }
        do {
            try connection.transaction {
                if let actor {
                    try act(as: actor, role: true)
                } else {
                    try act(named: requested ?? login.name, role: nil)
                }
                try EventLog.append(
                    connection, actor: actor?.id ?? requested ?? login.name, command: name, arguments: arguments,
                    outcome: failure.code, failed: failure.status == .internalError, subjects: [], details: nil)
            }
        } catch {
            logger.error("could not record the refusal of \(name): \(Handler.translate(error))")
            throw RegctlError(
                "event.unrecorded",
                "\(failure.message) [\(failure.code)]; and this refusal could not be written to the event log (R-71): \(RegctlError.from(error).message). Tell the operator; the command changed nothing",
                rule: "R-71", status: .internalError)
        }
    }

    /// Errors users see: rule violations keep their code; what the database's last
    /// line of defence caught (a race two commands ran) becomes the rule's own code. The server's own
    /// text (which quotes values) goes to the debug log only.
    static func translate(_ error: Error) -> RegctlError {
        if let e = error as? PostgresError, e.kind == .server {
            Logger(label: "regctl.database").debug("\(e.fullDescription)")
        }
        switch error {
        case let v as RuleViolation:
            return RegctlError(v.code, v.message, rule: v.rule, field: v.field)
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
        default:
            return RegctlError.from(error)
        }
    }

    /// The account a command acts for. `--as` names it; without it, the installation's own admin
    /// (a superuser login with no account). Only a login that runs regctl for others (a member of
    /// `regctl_app`, or a superuser) runs commands: a staff member's own login reads its scope in SQL
    /// and writes nothing (R-70), so regctl refuses it and says where commands run.
    public func resolveActor(_ name: String?) throws -> Actor {
        let login = try connection.login()
        guard login.actsForOthers else {
            throw RegctlError(
                "permission.denied",
                """
                \(login.name) is a staff login: it reads its scope in SQL (psql, a BI tool) and runs no commands. \
                Commands run on the registry's application login, as your account: ask the operator, who runs regctl --as \(login.name) …
                """, rule: "R-70")
        }
        let target = name ?? login.name
        guard
            let row = try connection.query(
                """
                SELECT s.id, s.role, s.region::text, s.institution::text, s.active, r.rolsuper
                FROM staff s LEFT JOIN pg_roles r ON r.rolname = s.id WHERE s.id = \(target)
                """
            ).first
        else {
            if target == login.name && login.superuser { return Actor(id: login.name, role: .admin) }
            if name == nil {
                throw RegctlError(
                    "permission.denied",
                    "\(login.name) runs regctl for others and is no account itself: name the account you act for with --as ACCOUNT (or REGCTL_AS)",
                    rule: "R-70")
            }
            throw RegctlError(
                "permission.denied",
                "there is no staff account \(Quoted.value(target)); an admin adds it with: regctl staff add --id \(target) …",
                rule: "R-70")
        }
        guard try row.decode("active", as: Bool.self) else {
            throw RegctlError("permission.denied", "staff account \(target) is disabled; ask an admin", rule: "R-70")
        }
        guard try row.decode("rolsuper", as: Bool?.self) != true else {
            throw RegctlError(
                "permission.denied",
                "staff account \(target) is a database superuser, which row-level security does not bind; an admin makes it an ordinary role (ALTER ROLE … NOSUPERUSER)",
                rule: "R-70")
        }
        let role = try row.decode("role", as: StaffRole.self)
        return Actor(
            id: target, role: role, region: try row.decode("region", as: String?.self).flatMap(RegionCode.init),
            institution: try row.decode("institution", as: String?.self))
    }

    /// Makes the current transaction act for `actor`: `regctl.actor` names the account, and the role is
    /// the application role of its kind, so that its privileges and the policies of its scope apply to
    /// everything the command reads and writes. Both are `SET LOCAL`: they end with the transaction,
    /// whatever happens, and a pooled connection never keeps them.
    func act(as actor: Actor, role: Bool) throws {
        try act(named: actor.id, role: role ? "regctl_app_" + actor.role.rawValue : nil)
    }

    func act(named id: String, role: String?) throws {
        if let role {
            try connection.query("SELECT set_config('regctl.actor', \(id), true), set_config('role', \(role), true)")
        } else {
            try connection.query("SELECT set_config('regctl.actor', \(id), true)")
        }
    }

    /// Seals committed events into the hash chain (R-71), as the login, after a command: a sealer
    /// already at work makes this return at once, and what it leaves the next command seals.
    public func sealEvents() {
        do {
            try connection.query("SELECT regctl_seal_events(1000)")
        } catch {
            logger.warning("events not sealed this time: \(error)")
        }
    }
}

/// R-71: the append-only event log.
public enum EventLog {
    /// `outcome` nil for accepted, else the refusal's code (or the failure's, when `failed`).
    static func append(
        _ connection: Connection, actor: String, command: String, arguments: Arguments, outcome: String?,
        failed: Bool = false,
        subjects: [UUID], details: String?
    ) throws {
        try connection.execute(
            """
            INSERT INTO event (id, actor, command, arguments, outcome, error_code, subjects, details)
            VALUES (\(UUID()), \(actor), \(command), \(arguments.bounded.json)::jsonb, \(outcome == nil ? "accepted" : failed ? "failed" : "refused"),
                    \(outcome), \(subjects.map { $0.uuidString.lowercased() })::uuid[], \(details)::jsonb)
            """)
    }
}
