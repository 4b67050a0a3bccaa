import Dates
import Foundation
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
        try c.store.addStaff(id: id, name: displayName, role: role, region: region, institution: inst?.id)
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
        guard try c.store.disableStaff(id) else {
            throw Store.notFound("staff account", id, hint: "see regctl staff list")
        }
        if try c.store.roleExists(id) { try c.store.setLogin(id, password: nil) }
        // Its sessions at the network door end with it: a token in hand stops working now.
        try c.store.endSessions(of: id)
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
        guard let account = try c.store.staffRole(id) else {
            throw Store.notFound("staff account", id, hint: "see regctl staff list")
        }
        guard account.active else {
            throw RegctlError("staff.disabled", "staff account \(id) is disabled; a disabled account gets no password")
        }
        // A new password ends the account's sessions at the network door (a stolen session ends with it).
        try c.store.endSessions(of: id)
        return try StaffLogin.grantLogin(id, role: account.role, password: password, c)
    }
}

/// Staff accounts as PostgreSQL roles.
public enum StaffLogin {
    /// The form of an account id (a PostgreSQL role name regctl makes): letters, digits, '.', '_' and '-',
    /// starting with a letter or digit, at most 63 characters. The network door's login asks it too.
    public static func isAccountID(_ id: String) -> Bool {
        id.range(of: "^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$", options: .regularExpression) != nil
    }

    static func checkID(_ id: String) throws {
        guard isAccountID(id) else {
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
        try c.store.setLogin(id, password: password)
        guard given == nil else { return CommandOutput(id: id) }
        // The id alone on its line, as every creating command prints it (CLI.md); the password under it.
        return CommandOutput(
            .created(
                id: id, fields: [("login", .text(id)), ("password", .text(password))],
                shownOnce: "password: " + password),
            notes: [
                Phrase(
                    en:
                        "the password is shown this once: give it to \(id) over a safe channel (they connect with postgres://\(id)@HOST/DB)",
                    zh: "密码只显示这一次：请通过安全渠道交给 \(id)（登录方式 postgres://\(id)@主机/数据库）")
            ])
    }
}

/// `staff list`.
public struct StaffList: Command {
    public static let name = "staff.list"
    public init(_ a: Arguments) throws {}

    public func run(_ c: CommandContext) throws -> CommandOutput {
        let rows = try c.store.staff().map { s -> [Cell] in
            [
                .text(s.id), .text(s.name), .text(s.role.rawValue), Cell(s.region?.value), Cell(s.regionName),
                Cell(s.institutionName), .bool(s.active)
            ]
        }
        return CommandOutput(
            table: ResultTable(
                columns: ["id", "name", "role", "region", "region_name", "institution", "active"], rows: rows))
    }
}
