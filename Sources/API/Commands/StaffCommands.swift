import Dates
import Foundation
import Postgres
import Registration

/// `staff add`: an admin creates a staff account (R-70 scopes: a region for registrars and analysts, an institution for HR).
public struct StaffAdd: Command {
    public static let name = "staff.add"
    let id: String, displayName: String, role: StaffRole, region: RegionCode?, institution: String?

    public init(_ a: Arguments) throws {
        id = try a.string("id")
        displayName = try a.string("name")
        role = try a.choice("role", StaffRole.self)
        region = try a.optionalRegion("region")
        institution = try a.optionalString("institution")
        switch role {
        case .registrar, .analyst:
            guard region != nil else { throw Arguments.usage("input.missing", "region", "a \(role.rawValue) needs the region they act in") }
            guard institution == nil else { throw Arguments.usage("input.value", "institution", "only an hr account names an institution") }
        case .hr:
            guard institution != nil else { throw Arguments.usage("input.missing", "institution", "an hr account needs its institution") }
            guard region == nil else { throw Arguments.usage("input.value", "region", "an hr account is scoped by its institution, not a region") }
        case .admin:
            guard region == nil, institution == nil else { throw Arguments.usage("input.value", "region", "an admin has no scope to give") }
        }
        guard id.range(of: "^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$", options: .regularExpression) != nil else {
            throw Arguments.usage("input.value", "id", "'\(id)' is not an account id: letters, digits, '.', '_' and '-', starting with a letter or digit")
        }
    }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        try Access.requireAdmin(c.actor, to: "add staff accounts")
        if let region { _ = try Store.requireRegion(region, flag: "--region", c) }
        let inst = try institution.map { try Store.institution($0, c) }
        try c.connection.execute("""
            INSERT INTO staff (id, name, role, region, institution)
            VALUES (\(id), \(displayName), \(role.rawValue), \(region?.value), \(inst?.id))
            """)
        return CommandOutput(id: id)
    }
}

/// `staff list`.
public struct StaffList: Command {
    public static let name = "staff.list"
    public init(_ a: Arguments) throws {}

    public func run(_ c: CommandContext) throws -> CommandOutput {
        let rows = try c.connection.query("""
            SELECT s.id, s.name, s.role, s.region::text, r.name AS region_name, i.name AS institution, s.active
            FROM staff s LEFT JOIN region r ON r.code = s.region LEFT JOIN institution i ON i.id = s.institution ORDER BY s.id
            """).map { row -> [Cell] in
            [.text(try row.decode("id", as: String.self)), .text(try row.decode("name", as: String.self)),
             .text(try row.decode("role", as: String.self)), Cell(try row.decode("region", as: String?.self)),
             Cell(try row.decode("region_name", as: String?.self)), Cell(try row.decode("institution", as: String?.self)),
             .bool(try row.decode("active", as: Bool.self))]
        }
        return CommandOutput(table: ResultTable(columns: ["id", "name", "role", "region", "region_name", "institution", "active"], rows: rows))
    }
}

/// `events list`: the log of accepted and refused commands. ID numbers are masked except for admin.
public struct EventsList: Command {
    public static let name = "events.list"
    let subject: String?, actorFilter: String?, since: CalendarDate?, outcome: String?, limit: Int

    public init(_ a: Arguments) throws {
        subject = try a.optionalString("subject")
        actorFilter = try a.optionalString("actor")
        since = try a.optionalDate("since")
        outcome = try a.optionalString("outcome")
        limit = try a.optionalInt("limit") ?? 1000
        if let outcome, !["accepted", "refused"].contains(outcome) {
            throw Arguments.usage("input.outcome", "outcome", "'\(outcome)' is not accepted or refused")
        }
    }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        var subjectID: UUID?
        if let subject {
            if let u = UUID(uuidString: subject) { subjectID = u }
            else if let p = try? Store.physician(subject, c) { subjectID = p.id }
            else { subjectID = try Store.institution(subject, c).id }
        }
        // Non-admins see their own events.
        let actor = c.actor.role == .admin ? actorFilter : c.actor.id
        let rows = try c.connection.query("""
            SELECT e.at, e.actor, e.command, e.outcome, e.error_code, e.arguments::text AS arguments,
                   array_to_string(e.subjects, ' ') AS subjects
            FROM event e
            WHERE (\(actor)::text IS NULL OR e.actor = \(actor))
              AND (\(subjectID)::uuid IS NULL OR e.subjects @> ARRAY[\(subjectID)::uuid])
              AND (\(since)::date IS NULL OR e.at >= (\(since)::date)::timestamp AT TIME ZONE 'Asia/Shanghai')
              AND (\(outcome)::text IS NULL OR e.outcome = \(outcome))
            ORDER BY e.at, e.id LIMIT \(limit)
            """).map { row -> [Cell] in
            let at = try row.decode("at", as: Date.self)
            var args = try row.decode("arguments", as: String.self)
            if c.actor.role != .admin { args = maskIDNumbers(args) }
            return [.text(Self.shanghaiTimestamp(at)), .text(try row.decode("actor", as: String.self)),
                    .text(try row.decode("command", as: String.self)), .text(try row.decode("outcome", as: String.self)),
                    Cell(try row.decode("error_code", as: String?.self)), .text(args),
                    .text(try row.decode("subjects", as: String.self))]
        }
        return CommandOutput(table: ResultTable(columns: ["at", "actor", "command", "outcome", "error_code", "arguments", "subjects"], rows: rows))
    }

    static func shanghaiTimestamp(_ d: Date) -> String {
        let shifted = d.addingTimeInterval(8 * 3600)
        let day = CalendarDate.today(now: d)
        let secs = Int(shifted.timeIntervalSince1970.rounded(.down)) % 86_400
        return String(format: "%@ %02d:%02d:%02d", day.description, secs / 3600, secs / 60 % 60, secs % 60)
    }
}

/// Replaces every resident ID number in a text with its masked form.
func maskIDNumbers(_ text: String) -> String {
    guard let re = try? NSRegularExpression(pattern: "(?<![0-9])([0-9]{6})[0-9]{8}([0-9]{3}[0-9Xx])(?![0-9])") else { return text }
    return re.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: "$1********$2")
}
