import Dates
import Foundation
import Logging
import Postgres
import Registration

/// Who runs a command: the database login, the staff account it acts for, and the application role
/// whose privileges and row-level policies bind everything the command reads and writes (R-70).
extension Store {
    /// The login (`session_user`): its name, whether it is a superuser, and whether it runs regctl for
    /// others (a member of `regctl_app`, or a superuser).
    public func login() throws -> Login {
        let l = try connection.login()
        return Login(name: l.name, superuser: l.superuser, actsForOthers: l.actsForOthers)
    }

    public struct Login: Sendable, Equatable {
        public let name: String
        public let superuser: Bool
        public let actsForOthers: Bool
    }

    /// The staff account `name` as the handler needs it to act: its role, scope, and whether it is
    /// active and a database superuser (which row-level security would not bind). Nil when there is none.
    public func staffAccount(_ name: String) throws -> (actor: Actor, active: Bool, superuser: Bool)? {
        guard
            let row = try connection.query(
                """
                SELECT s.id, s.role, s.region, s.institution::text, s.active, r.rolsuper
                FROM staff s LEFT JOIN pg_roles r ON r.rolname = s.id WHERE s.id = \(name)
                """
            ).first
        else { return nil }
        let actor = Actor(
            id: name, role: try row.decode("role", as: StaffRole.self),
            region: try row.decode("region", as: RegionCode?.self),
            institution: try row.decode("institution", as: String?.self))
        return (actor, try row.decode("active", as: Bool.self), try row.decode("rolsuper", as: Bool?.self) == true)
    }

    /// Starts acting for `actor` on `today` (the store's reads and locks use both). With `role`, the
    /// transaction takes the application role of the actor's kind, so that its privileges and the policies
    /// of its scope apply; `regctl.actor` names the account. Both are `SET LOCAL`: they end with the
    /// transaction, whatever happens, and a pooled connection never keeps them.
    public func act(as actor: Actor, today: CalendarDate, role: Bool) throws {
        self.actor = actor
        self.today = today
        try act(named: actor.id, role: role ? "regctl_app_" + actor.role.rawValue : nil)
    }

    /// Names the account a refusal is recorded for when none could be resolved (the login's own right).
    public func act(named id: String) throws {
        try act(named: id, role: nil)
    }

    private func act(named id: String, role: String?) throws {
        if let role {
            try connection.query("SELECT set_config('regctl.actor', \(id), true), set_config('role', \(role), true)")
        } else {
            try connection.query("SELECT set_config('regctl.actor', \(id), true)")
        }
    }

    /// Runs `body` in one transaction (a savepoint inside one already open): committed when it returns,
    /// rolled back when it throws.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try connection.transaction(body)
    }
}

/// R-71: the append-only event log.
extension Store {
    /// Appends a command's event: `outcome` nil for accepted, else the refusal's code (or the failure's,
    /// when `failed`). `arguments` is the JSON object of its arguments, bounded by the caller.
    public func appendEvent(
        actor: String, command: String, arguments: String, outcome: String?, failed: Bool = false,
        subjects: [UUID], details: String?
    ) throws {
        try connection.execute(
            """
            INSERT INTO event (id, actor, command, arguments, outcome, error_code, subjects, details)
            VALUES (\(UUID()), \(actor), \(command), \(arguments)::jsonb, \(outcome == nil ? "accepted" : failed ? "failed" : "refused"),
                    \(outcome), \(subjects)::uuid[], \(details)::jsonb)
            """)
    }

    /// Appends the events of an import's accepted rows in bulk (COPY, or the staged insert under
    /// row-level security): the same events the commands write.
    public func appendEvents(_ events: [NewEvent]) throws {
        try SecureCopy.copy(
            connection, into: "event", columns: "id, actor, command, arguments, outcome, error_code, subjects, details",
            rows: events.map {
                [
                    UUID().text, $0.actor, $0.command, $0.arguments, "accepted", nil,
                    "{" + $0.subjects.map(\.text).joined(separator: ",") + "}", $0.details
                ]
            })
    }

    /// Seals committed events into the hash chain (R-71), as the login, after a command: a sealer
    /// already at work makes this return at once, and what it leaves the next command seals.
    public func sealEvents() {
        do {
            try connection.query("SELECT regctl_seal_events(1000)")
        } catch {
            Logger(label: "regctl.store").warning("events not sealed this time: \(RegctlError.from(error))")
        }
    }
}

/// An accepted command's event, for `appendEvents`.
public struct NewEvent: Sendable {
    public let actor: String
    public let command: String
    /// The JSON object of its arguments, bounded.
    public let arguments: String
    public let subjects: [UUID]
    public let details: String?

    public init(actor: String, command: String, arguments: String, subjects: [UUID], details: String?) {
        self.actor = actor
        self.command = command
        self.arguments = arguments
        self.subjects = subjects
        self.details = details
    }
}
