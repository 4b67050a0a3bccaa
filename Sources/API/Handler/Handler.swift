import Dates
import Foundation
import Logging
import Registration

/// Runs commands: resolves the actor, opens a transaction, runs the command
/// (access, facts, rules, writes), appends its event, commits. A refused
/// command leaves nothing but its event.
public struct Handler {
    public let store: Store
    public let today: CalendarDate
    /// One logger for every handler: making one asks the log system's factory for a handler each time,
    /// and the network door makes a Handler per request.
    static let sharedLogger = Logger(label: "regctl.handler")
    var logger: Logger { Handler.sharedLogger }

    /// A hot standby for the commands that only read (`--read-database`, `REGCTL_READ_URL`), or nil: they
    /// run there, and their events are written on `store`.
    public let reader: Store?
    /// The primary, reached when `store` itself turns out to be a standby (a URL that named one): a read's
    /// event and a refusal's are written there.
    public let primary: PrimaryLink?

    public init(store: Store, reader: Store? = nil, primary: PrimaryLink? = nil, today: CalendarDate? = nil) {
        self.store = store
        self.reader = reader
        self.primary = primary
        self.today = today ?? Handler.today()
    }

    /// `REGCTL_TODAY`, else the clock's Asia/Shanghai day. Read with getenv: every command of the
    /// network door asks, and `ProcessInfo.environment` copies the whole environment into a dictionary
    /// each time (a twentieth of the server's time under load).
    public static func today() -> CalendarDate {
        if let raw = getenv("REGCTL_TODAY"), let d = CalendarDate(parsing: String(cString: raw)) { return d }
        return CalendarDate.today()
    }

    /// Runs a command by name with its arguments, as `--as` (or the login's identity when nil). Its
    /// event is sealed into the chain right after, unless `seal` is false (a stream seals in batches).
    public func execute(
        _ name: String, _ arguments: Arguments, as actorName: String?, seal: Bool = true,
        account known: Store.StaffAccount? = nil
    ) throws -> CommandOutput {
        guard let type = CommandRegistry.type(named: name) else {
            throw RegctlError(
                "exec.malformed",
                "no command is called \(Quoted.value(name)); commands are the CLI's words joined by a dot, such as filing.add",
                status: .usage)
        }
        let actor: Actor
        do {
            actor = try resolveActor(actorName, known: known)
        } catch {
            let failure = Handler.translate(error)
            try record(name, arguments, actor: nil, requested: actorName, refusedWith: failure)
            throw failure
        }
        defer { if seal { sealEvents() } }
        do {
            let command = try type.init(arguments)
            if type.readsOnly, let reader {
                return try executeRead(command, name, arguments, as: actor, on: reader)
            }
            do {
                return try store.transaction {
                    let (output, context) = try run(command, arguments, as: actor, on: store, role: !type.runsAsLogin)
                    try Handler.appendAccepted(name, arguments, actor: actor, context, on: store)
                    return output
                }
            } catch  where type.readsOnly && Handler.translate(error) == RegctlError.readOnlyDatabase {
                // The database named is a standby: the read is answered there, its event written on the primary.
                return try executeRead(command, name, arguments, as: actor, on: store)
            }
        } catch {
            let failure = Handler.translate(error)
            try record(name, arguments, actor: actor, requested: actorName, refusedWith: failure)
            throw failure
        }
    }

    /// Runs `command` for `actor` on `target` inside its open transaction: acting as the actor's role, then the
    /// command's own work. Returns its output (one report section when `--section` asks) and its context.
    private func run(_ command: any Command, _ arguments: Arguments, as actor: Actor, on target: Store, role: Bool)
        throws -> (CommandOutput, CommandContext)
    {
        try target.act(as: actor, today: today, role: role)
        // HR's institution by name and credit code, for what a refusal says (its role reads its own row).
        var acting = actor
        if acting.role == .hr, let institution = acting.institution {
            acting.institutionLabel = try target.institutionLabel(institution)
        }
        let context = CommandContext(store: target, actor: acting, today: today)
        var output = try command.run(context)
        // `--section` picks one table of a report, for every report alike.
        if case .report(let report) = output.body {
            output.body = .report(try report.selecting(try arguments.optionalString("section")))
        }
        return (output, context)
    }

    /// A command that only reads, answered by the standby `reader` (its transaction there is read-only by
    /// nature): what it shows says how fresh the standby's data is, and its event is written on the primary,
    /// like every other command's. Should the standby be unreachable, the primary answers.
    private func executeRead(
        _ command: any Command, _ name: String, _ arguments: Arguments, as actor: Actor, on reader: Store
    ) throws -> CommandOutput {
        var (output, context): (CommandOutput, CommandContext)
        do {
            (output, context) = try reader.transaction {
                var (output, context) = try run(command, arguments, as: actor, on: reader, role: true)
                if let asOf = try reader.replayedAt() {
                    output.notes.append(
                        Phrase(
                            en: "answered by a standby: its data is as of \(asOf)",
                            zh: "由备库答复：数据截至 \(asOf)"))
                    if case .report(var report) = output.body {
                        report.summary.append(("data_as_of", .text(asOf)))
                        output.body = .report(report)
                    }
                }
                return (output, context)
            }
        } catch  where reader !== store && !reader.isConnected {
            logger.warning("the read database cannot be reached; \(name) is answered by the primary")
            (output, context) = try store.transaction {
                try run(command, arguments, as: actor, on: store, role: true)
            }
        }
        try onPrimary { primary in
            try primary.transaction {
                try primary.act(as: actor, today: today, role: true)
                try Handler.appendAccepted(name, arguments, actor: actor, context, on: primary)
            }
        }
        return output
    }

    /// An accepted command's event: its arguments (bounded), the records it touched, its details.
    private static func appendAccepted(
        _ name: String, _ arguments: Arguments, actor: Actor, _ context: CommandContext, on target: Store
    ) throws {
        try target.appendEvent(
            actor: actor.id, command: name, arguments: arguments.bounded.json, outcome: nil,
            subjects: context.touched, details: context.details)
    }

    /// Runs `body` (which writes an event) on `store`, or, when that is a standby, on the primary it follows.
    func onPrimary<T>(_ body: (Store) throws -> T) throws -> T {
        do {
            return try body(store)
        } catch  where Handler.translate(error) == RegctlError.readOnlyDatabase {
            guard let primary else { throw error }
            return try body(try primary.store())
        }
    }

    /// Runs a public look-up for anyone (the network door's public pages and API): as the database role
    /// `regctl_public`, which may run the public functions and read regions and nothing else, with no account
    /// and no event (an anonymous read of public data; the server counts it in its metrics and access log).
    /// Any other command is refused.
    public func executePublic(_ name: String, _ arguments: Arguments) throws -> CommandOutput {
        guard let type = CommandRegistry.type(named: name), type.isPublic else {
            throw RegctlError(
                "permission.denied", "\(Quoted.value(name)) is not a public look-up; log in to run it", rule: "R-70")
        }
        do {
            let command = try type.init(arguments)
            return try store.publicTransaction(today: today) {
                let context = CommandContext(store: store, actor: store.actor, today: today)
                var output = try command.run(context)
                if case .report(let report) = output.body {
                    output.body = .report(try report.selecting(try arguments.optionalString("section")))
                }
                return output
            }
        } catch {
            throw Handler.translate(error)
        }
    }

    /// The refusal's event (or the failure's, outcome `failed`, for exit 70), in a transaction of its own
    /// after the command's was rolled back. When no account could be resolved, the event names the one
    /// asked for (or the login), and is written with the login's own right to record refusals
    /// (regctl_app). An event that cannot be written is itself an error: the user is told the
    /// refusal and that it went unrecorded, never left believing the log holds it.
    func record(
        _ name: String, _ arguments: Arguments, actor: Actor?, requested: String?, refusedWith failure: RegctlError
    ) throws {
        guard
            failure.status == .refused || failure.status == .usage || failure.status == .internalError
                || failure.code == RegctlError.readOnlyDatabase.code
        else { return }
        guard let login = try? store.login(), login.actsForOthers else {
            logger.info("refusal of \(name) not recorded: a staff login records no events")
            return
        }
        do {
            try onPrimary { target in
                try target.transaction {
                    if let actor {
                        try target.act(as: actor, today: today, role: true)
                    } else {
                        try target.act(named: requested ?? login.name)
                    }
                    try target.appendEvent(
                        actor: actor?.id ?? requested ?? login.name, command: name,
                        arguments: arguments.bounded.json, outcome: failure.code,
                        failed: failure.status == .internalError, subjects: [], details: nil)
                }
            }
        } catch {
            logger.error("could not record the refusal of \(name): \(Handler.translate(error))")
            throw RegctlError(
                "event.unrecorded",
                "\(failure.message) [\(failure.code)]; and this refusal could not be written to the event log (R-71): \(RegctlError.from(error).message). Tell the operator; the command changed nothing",
                rule: "R-71", status: .internalError)
        }
    }

    /// Errors users see: rule violations keep their code and field; everything else as the store
    /// translates it (`RegctlError.from`: what the database's last line of defence caught becomes the
    /// rule's own code, and the server's own text, which quotes values, goes to the debug log only).
    static func translate(_ error: Error) -> RegctlError {
        switch error {
        case let v as RuleViolation:
            return RegctlError(v.code, v.message, rule: v.rule, field: v.field)
        default:
            return RegctlError.from(error)
        }
    }

    /// The account a command acts for. `--as` names it; without it, the installation's own admin
    /// (a superuser login with no account). Only a login that runs regctl for others (a member of
    /// `regctl_app`, or a superuser) runs commands: a staff member's own login reads its scope in SQL
    /// and writes nothing, so regctl refuses it and says where commands run.
    /// `known`: the account as the caller already read it (the network door reads it with the session, in
    /// one round trip); the same checks apply to it.
    public func resolveActor(_ name: String?, known: Store.StaffAccount? = nil) throws -> Actor {
        let login = try store.login()
        guard login.actsForOthers else {
            throw RegctlError(
                "permission.denied",
                """
                \(login.name) is a staff login: it reads its scope in SQL (psql, a BI tool) and runs no commands. \
                Commands run on the registry's application login, as your account: ask the operator, who runs regctl --as \(login.name) …
                """, rule: "R-70")
        }
        let target = name ?? login.name
        guard let account = try known.flatMap({ $0.actor.id == target ? $0 : nil }) ?? store.staffAccount(target) else {
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
        guard account.active else {
            throw RegctlError("permission.denied", "staff account \(target) is disabled; ask an admin", rule: "R-70")
        }
        guard !account.superuser else {
            throw RegctlError(
                "permission.denied",
                "staff account \(target) is a database superuser, which row-level security does not bind; an admin makes it an ordinary role (ALTER ROLE … NOSUPERUSER)",
                rule: "R-70")
        }
        return account.actor
    }

    /// Seals committed events into the hash chain, on the primary.
    public func sealEvents() {
        if let primary = primary?.opened {
            primary.sealEvents()
        } else {
            store.sealEvents()
        }
    }
}

/// The primary, opened when first needed and kept (an exec stream's lines share it): for a handler whose
/// database turned out to be a standby.
public final class PrimaryLink {
    let open: () throws -> Store
    /// The primary's store, once opened.
    public private(set) var opened: Store?

    public init(_ open: @escaping () throws -> Store) { self.open = open }

    func store() throws -> Store {
        if let opened, opened.isConnected { return opened }
        do {
            let store = try open()
            opened = store
            return store
        } catch {
            throw RegctlError(
                "database.read-only",
                "\(RegctlError.readOnlyDatabase.message). No primary could be reached for the event log either: \(RegctlError.from(error).message)",
                status: .unavailable)
        }
    }
}
