import Dates
import Foundation
import Postgres
import Registration

/// `staff add`: an admin creates a staff account (R-70 scopes: a region for registrars and analysts, an
/// institution for HR) and its PostgreSQL role: a login, member of the group role of its kind
/// (`regctl_registrar` …), whose privileges and row-level policies are then what the database lets it do.
/// The password is the one given (`--password-stdin`, or `password` in exec) or generated and shown once.
public struct StaffAdd: Command {
    public static let name = "staff.add"
    let id: String, displayName: String, role: StaffRole, region: RegionCode?, institution: String?, password: String?

    public init(_ a: Arguments) throws {
        id = try a.string("id")
        displayName = try a.name("name")
        role = try a.choice("role", StaffRole.self)
        region = try a.optionalRegion("region")
        institution = try a.optionalString("institution")
        password = try StaffLogin.password(a)
        switch role {
        case .registrar, .analyst:
            guard region != nil else {
                throw Arguments.usage("input.missing", "region", "a \(role.rawValue) needs the region they act in")
            }
            guard institution == nil else {
                throw Arguments.usage("input.value", "institution", "only an hr account names an institution")
            }
        case .hr:
            guard institution != nil else {
                throw Arguments.usage("input.missing", "institution", "an hr account needs its institution")
            }
            guard region == nil else {
                throw Arguments.usage(
                    "input.value", "region", "an hr account is scoped by its institution, not a region")
            }
        case .admin:
            guard region == nil, institution == nil else {
                throw Arguments.usage("input.value", "region", "an admin has no scope to give")
            }
        }
        try StaffLogin.checkID(id)
    }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        try Access.requireAdmin(c.actor, to: "add staff accounts")
        if let region { _ = try c.store.requireRegion(region, field: "region") }
        let inst = try institution.map { try c.store.institution($0) }
        try c.connection.execute(
            """
            INSERT INTO staff (id, name, role, region, institution)
            VALUES (\(id), \(displayName), \(role.rawValue), \(region?.value), \(inst?.id))
            """)
        return try StaffLogin.grantLogin(id, role: role, password: password, c)
    }
}

/// `staff disable --id ID`: the account may no longer act nor log in.
public struct StaffDisable: Command {
    public static let name = "staff.disable"
    let id: String
    public init(_ a: Arguments) throws { id = try a.string("id") }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        try Access.requireAdmin(c.actor, to: "disable staff accounts")
        guard try c.connection.execute("UPDATE staff SET active = false WHERE id = \(id)") == 1 else {
            throw Store.notFound("staff account", id, hint: "see regctl staff list")
        }
        if try c.connection.query("SELECT 1 FROM pg_roles WHERE rolname = \(id)").count == 1 {
            try StaffLogin.withRetry(c) { try c.connection.query("SELECT regctl_account_login(\(id), NULL, false)") }
        }
        return CommandOutput(fields: [("id", .text(id)), ("active", .bool(false))])
    }
}

/// `staff password --id ID`: a new password (given or generated) for an account's login, which is
/// enabled again if the account is active. For a forgotten password, or accounts recorded before
/// staff became database roles.
public struct StaffPassword: Command {
    public static let name = "staff.password"
    let id: String, password: String?
    public init(_ a: Arguments) throws {
        id = try a.string("id")
        password = try StaffLogin.password(a)
    }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        try Access.requireAdmin(c.actor, to: "set staff passwords")
        guard let row = try c.connection.query("SELECT role, active FROM staff WHERE id = \(id)").first else {
            throw Store.notFound("staff account", id, hint: "see regctl staff list")
        }
        guard try row.decode(1, as: Bool.self) else {
            throw RegctlError("staff.disabled", "staff account \(id) is disabled; a disabled account gets no password")
        }
        return try StaffLogin.grantLogin(id, role: try row.decode(0, as: StaffRole.self), password: password, c)
    }
}

/// Staff accounts as PostgreSQL roles.
enum StaffLogin {
    static func checkID(_ id: String) throws {
        guard id.range(of: "^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$", options: .regularExpression) != nil else {
            throw Arguments.usage(
                "input.value", "id",
                "\(Quoted.value(id)) is not an account id: letters, digits, '.', '_' and '-', starting with a letter or digit"
            )
        }
        guard !id.lowercased().hasPrefix("regctl_"), !id.lowercased().hasPrefix("pg_") else {
            throw Arguments.usage(
                "input.value", "id",
                "\(Quoted.value(id)) is reserved (regctl_… and pg_… name the database's own roles); choose another id"
            )
        }
    }

    static func password(_ a: Arguments) throws -> String? {
        guard let p = try a.optionalString("password") else { return nil }
        guard p.count >= 12 else {
            throw Arguments.usage(
                "input.password", "password",
                "a password has at least 12 characters; or leave it out and one is generated")
        }
        return p
    }

    /// 20 characters from 62, from the system's random source (about 119 bits).
    static func generatePassword() -> String {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789")
        var rng = SystemRandomNumberGenerator()
        return String((0..<20).map { _ in alphabet[Int(rng.next(upperBound: UInt64(alphabet.count)))] })
    }

    /// Makes the account's login (or takes over one of that name that another database of the cluster
    /// made) through `regctl_account_login`, the schema owner's one path to role statements: a plain
    /// login, member of its kind's group and nothing else. The password (given, else generated and
    /// returned in the output this once) reaches the server only as its SCRAM verifier; a name that is
    /// already a role with more rights (a superuser, say) is refused.
    static func grantLogin(_ id: String, role: StaffRole, password given: String?, _ c: CommandContext) throws
        -> CommandOutput
    {
        let password = given ?? generatePassword()
        let verifier = try c.connection.passwordVerifier(password, role: id)
        do {
            try withRetry(c) { try c.connection.query("SELECT regctl_account_login(\(id), \(verifier), true)") }
        } catch let e as PostgresError where e.sqlState == "RGX01" {
            throw RegctlError(
                "staff.exists",
                "\(Quoted.value(id)) is already a database role with other rights (a superuser, or a role others belong to); choose another id"
            )
        }
        guard given == nil else { return CommandOutput(id: id) }
        // The id alone on its line, as every creating command prints it (CLI.md); the password under it.
        var output = CommandOutput(
            id: id, fields: [("login", .text(id)), ("password", .text(password))],
            notes: [
                "the password is shown this once: give it to \(id) over a safe channel (they connect with postgres://\(id)@HOST/DB)"
            ])
        output.shownOnce = "password: " + password
        return output
    }

    /// Role statements change the cluster's shared catalog: two databases of one cluster adding the
    /// same account at once collide there. Each try runs in a savepoint and is retried.
    static func withRetry(_ c: CommandContext, _ body: () throws -> Void) throws {
        for attempt in 1...8 {
            try c.connection.execute("SAVEPOINT regctl_role")
            do {
                try body()
                try c.connection.execute("RELEASE SAVEPOINT regctl_role")
                return
            } catch let e as PostgresError
                where attempt < 8 && ["42710", "23505", "XX000", "40001"].contains(e.sqlState ?? "")
            {
                try c.connection.execute("ROLLBACK TO SAVEPOINT regctl_role")
                usleep(useconds_t(20_000 * attempt))
            }
        }
    }
}

/// `staff list`.
public struct StaffList: Command {
    public static let name = "staff.list"
    public init(_ a: Arguments) throws {}

    public func run(_ c: CommandContext) throws -> CommandOutput {
        let rows = try c.connection.query(
            """
            SELECT s.id, s.name, s.role, s.region::text, r.name AS region_name, i.name AS institution, s.active
            FROM staff s LEFT JOIN region r ON r.code = s.region LEFT JOIN institution i ON i.id = s.institution ORDER BY s.id
            """
        ).map { row -> [Cell] in
            [
                .text(try row.decode("id", as: String.self)), .text(try row.decode("name", as: String.self)),
                .text(try row.decode("role", as: String.self)), Cell(try row.decode("region", as: String?.self)),
                Cell(try row.decode("region_name", as: String?.self)),
                Cell(try row.decode("institution", as: String?.self)),
                .bool(try row.decode("active", as: Bool.self))
            ]
        }
        return CommandOutput(
            table: ResultTable(
                columns: ["id", "name", "role", "region", "region_name", "institution", "active"], rows: rows))
    }
}
