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

    /// A staff account as the handler needs it to act: its actor (role, scope), whether it is active and
    /// whether its login is a database superuser (which row-level security would not bind).
    public struct StaffAccount: Sendable {
        public let actor: Actor
        public let active: Bool
        public let superuser: Bool

        /// From a row of `staff` (`id`, `role`, `region`, `institution`, `active`) with `pg_roles.rolsuper`.
        init(_ row: Row) throws {
            actor = Actor(
                id: try row.decode("id", as: String.self), role: try row.decode("role", as: StaffRole.self),
                region: try row.decode("region", as: RegionCode?.self),
                institution: try row.decode("institution", as: UUID?.self))
            active = try row.decode("active", as: Bool.self)
            superuser = try row.decode("rolsuper", as: Bool?.self) == true
        }
    }

    public struct Login: Sendable, Equatable {
        public let name: String
        public let superuser: Bool
        public let actsForOthers: Bool
    }

    /// The staff account `name` as the handler needs it to act: its role, scope, and whether it is
    /// active and a database superuser (which row-level security would not bind). Nil when there is none.
    public func staffAccount(_ name: String) throws -> StaffAccount? {
        guard
            let row = try connection.query(
                """
                SELECT s.id, s.role, s.region, s.institution, s.active, r.rolsuper
                FROM staff s LEFT JOIN pg_roles r ON r.rolname = s.id WHERE s.id = \(name)
                """
            ).first
        else { return nil }
        return try StaffAccount(row)
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
            VALUES (\(UUID.random()), \(actor), \(command), \(arguments)::jsonb, \(outcome == nil ? "accepted" : failed ? "failed" : "refused"),
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
                    UUID.random().postgresText, $0.actor, $0.command, $0.arguments, "accepted", nil,
                    "{" + $0.subjects.map(\.postgresText).joined(separator: ",") + "}", $0.details
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

/// A line of `staff list`.
public struct StaffListing: Sendable {
    public let id: String
    public let name: String
    public let role: StaffRole
    public let region: RegionCode?
    public let regionName: String?
    public let institutionName: String?
    public let active: Bool
}

/// Staff accounts and their PostgreSQL logins (R-70).
extension Store {
    public func addStaff(id: String, name: String, role: StaffRole, region: RegionCode?, institution: UUID?) throws {
        try connection.execute(
            """
            INSERT INTO staff (id, name, role, region, institution)
            VALUES (\(id), \(name), \(role), \(region), \(institution))
            """)
    }

    /// Marks the account inactive; false when there is no such account.
    public func disableStaff(_ id: String) throws -> Bool {
        try connection.execute("UPDATE staff SET active = false WHERE id = \(id)") == 1
    }

    /// Whether a database role of this name exists (in the cluster, whichever database made it).
    public func roleExists(_ id: String) throws -> Bool {
        try connection.query("SELECT 1 FROM pg_roles WHERE rolname = \(id)").count == 1
    }

    /// The account's kind and whether it is active; nil when there is none.
    public func staffRole(_ id: String) throws -> (role: StaffRole, active: Bool)? {
        try connection.query("SELECT role, active FROM staff WHERE id = \(id)").first.map {
            (try $0.decode(0, as: StaffRole.self), try $0.decode(1, as: Bool.self))
        }
    }

    /// Makes (or takes over) the account's login through `regctl_account_login`, the schema owner's one path
    /// to role statements: a plain login, member of its kind's group and nothing else. The password reaches
    /// the server only as its SCRAM verifier (`PQencryptPasswordConn`). Without a password the login is
    /// disabled. A name that is already a role with more rights (a superuser, say) is `staff.exists`.
    public func setLogin(_ id: String, password: String?) throws {
        let verifier = try password.map { try connection.passwordVerifier($0, role: id) }
        do {
            try withRoleRetry {
                try connection.query("SELECT regctl_account_login(\(id), \(verifier), \(password != nil))")
            }
        } catch let e as PostgresError where e.sqlState == "RGX01" {
            throw RegctlError(
                "staff.exists",
                "\(Quoted.value(id)) is already a database role with other rights (a superuser, or a role others belong to); choose another id"
            )
        }
    }

    /// Role statements change the cluster's shared catalog: two databases of one cluster adding the
    /// same account at once collide there. Each try runs in a savepoint and is retried.
    private func withRoleRetry(_ body: () throws -> Void) throws {
        for attempt in 1...8 {
            try connection.execute("SAVEPOINT regctl_role")
            do {
                try body()
                try connection.execute("RELEASE SAVEPOINT regctl_role")
                return
            } catch let e as PostgresError
                where attempt < 8 && ["42710", "23505", "XX000", "40001"].contains(e.sqlState ?? "")
            {
                try connection.execute("ROLLBACK TO SAVEPOINT regctl_role")
                usleep(useconds_t(20_000 * attempt))
            }
        }
    }

    public func staff() throws -> [StaffListing] {
        try connection.query(
            """
            SELECT s.id, s.name, s.role, s.region, r.name AS region_name, i.name AS institution, s.active
            FROM staff s LEFT JOIN region r ON r.code = s.region LEFT JOIN institution i ON i.id = s.institution ORDER BY s.id
            """
        ).map { row in
            StaffListing(
                id: try row.decode("id", as: String.self), name: try row.decode("name", as: String.self),
                role: try row.decode("role", as: StaffRole.self),
                region: try row.decode("region", as: RegionCode?.self),
                regionName: try row.decode("region_name", as: String?.self),
                institutionName: try row.decode("institution", as: String?.self),
                active: try row.decode("active", as: Bool.self))
        }
    }
}
