import Dates
import Foundation
import Postgres
import Registration

/// `studio open` (R-40 … R-43): a studio at a grassroots or elderly-care host; `--resume` ends a leave (R-41).
public struct StudioOpen: Command {
    public static let name = "studio.open"
    let physician: String, host: String, studioName: String, from: CalendarDate, resume: Bool

    public init(_ a: Arguments) throws {
        physician = try a.string("physician")
        host = try a.string("host")
        studioName = try a.name("name")
        from = try a.date("from")
        resume = try a.bool("resume")
    }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        let p = try c.store.physician(physician, lock: true)
        let h = try c.store.institution(host)
        try Access.requireInstitution(
            c.actor, institution: h.facts.id, regions: [h.facts.county], to: "open studios at \(h.facts.name)")
        let regs = try c.store.registrations(ofPhysician: p.id)
        let openAtHost =
            try c.connection.query(
                """
                SELECT 1 FROM studio WHERE physician = \(p.id) AND host = \(h.id) AND status = 'open'
                """
            ).count > 0
        let maxAge = try c.connection.query(
            "SELECT studio_max_age FROM policy WHERE province = \(h.facts.county.province.value)"
        ).first?
        .decode(0, as: Int?.self)
        let opening = try StudioRules.open(
            physician: p.facts, age: StudioRules.age(born: p.birthDate, on: from), host: h.facts,
            registrations: regs.map(\.facts), openAtHost: openAtHost, resume: resume, maxAge: maxAge, on: from)
        let registration: UUID
        var fields: [(String, Cell)] = []
        switch opening {
        case .underRegistration(let id):
            registration = UUID(uuidString: id)!
        case .resuming(let id, let change):
            // R-41: the host becomes the primary institution; the leave clock of R-18 stops.
            registration = UUID(uuidString: id)!
            let before = regs.first { $0.id == registration }!
            try c.connection.execute(
                """
                UPDATE registration SET institution = \(h.id), scopes = \(change.scopes), status = 'active', leave_since = NULL, leave_reason = NULL
                WHERE id = \(registration)
                """)
            c.details = """
                {"before": {"institution": \(JSONText.quote(before.facts.institution)), "status": "on-leave"}, \
                "after": {"institution": \(JSONText.quote(h.id.text)), "status": "active"}, "on": \(JSONText.quote(from.description))}
                """
            fields.append(("resumed_registration", .text(id)))
        }
        let id = UUID()
        try c.connection.execute(
            """
            INSERT INTO studio (id, province, physician, registration, host, name, opened_on)
            VALUES (\(id), \(h.facts.county.province.value), \(p.id), \(registration), \(h.id), \(studioName), \(from))
            """)
        c.touch(id, p.id, h.id, registration)
        return CommandOutput(id: id.text, fields: fields)
    }
}

/// `studio close STUDIO --on DATE` (R-44).
public struct StudioClose: Command {
    public static let name = "studio.close"
    let ref: String, on: CalendarDate

    public init(_ a: Arguments) throws {
        ref = try a.string("studio")
        on = try a.date("on")
    }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        let on = try c.decisionDay(on)
        guard let id = UUID(uuidString: ref) else {
            throw RegctlError(
                "input.id",
                "\(Quoted.value(ref)) is not a studio id (a UUID, as printed by studio open or studio list)",
                status: .usage)
        }
        guard
            let row = try c.connection.query(
                """
                SELECT s.status, s.opened_on, s.host, i.region::text FROM studio s JOIN institution i ON i.id = s.host
                WHERE s.id = \(id) FOR UPDATE OF s
                """
            ).first
        else {
            throw Store.notFound("studio", ref, hint: "list studios with regctl studio list")
        }
        let host = try row.decode(2, as: UUID.self)
        try Access.requireInstitution(
            c.actor, institution: host.text, regions: [try row.decode(3, as: RegionCode.self)],
            to: "close studios there")
        try StudioRules.close(
            isOpen: try row.decode(0, as: String.self) == "open", openedOn: try row.decode(1, as: CalendarDate.self),
            on: on)
        try c.connection.execute(
            "UPDATE studio SET status = 'closed', closed_on = \(on), close_reason = 'on-request' WHERE id = \(id)")
        c.touch(id)
        return CommandOutput(fields: [
            ("studio", .text(id.text)), ("status", .text("closed")), ("closed_on", .text(on.description))
        ])
    }
}

/// `studio list [--region] [--physician]`.
public struct StudioList: Command {
    public static let name = "studio.list"
    let region: RegionCode?, physician: String?

    public init(_ a: Arguments) throws {
        region = try a.optionalRegion("region")
        physician = try a.optionalString("physician")
    }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        let pid = try physician.map { try c.store.physicianToRead($0).id }
        let rows = try c.connection.query(
            """
            SELECT s.id, s.name, p.name AS physician, p.status AS physician_status, i.name AS host, i.region::text, i.category,
                   s.opened_on, s.status, s.closed_on
            FROM studio s JOIN physician p ON p.id = s.physician JOIN institution i ON i.id = s.host
            WHERE \(regionFilter("i.region", region)) AND (\(pid)::uuid IS NULL OR s.physician = \(pid))
            ORDER BY s.opened_on, s.id
            """
        ).map { row -> [Cell] in
            [
                .text(try row.decode("id", as: UUID.self).text), .text(try row.decode("name", as: String.self)),
                .text(try row.decode("physician", as: String.self)),
                .text(try row.decode("physician_status", as: String.self)),
                .text(try row.decode("host", as: String.self)), .text(try row.decode("region", as: String.self)),
                .text(try row.decode("category", as: String.self)),
                .text(try row.decode("opened_on", as: CalendarDate.self).description),
                .text(try row.decode("status", as: String.self)),
                Cell(try row.decode("closed_on", as: CalendarDate?.self)?.description)
            ]
        }
        return CommandOutput(
            table: ResultTable(
                columns: [
                    "id", "name", "physician", "physician_status", "host", "region", "category", "opened_on", "status",
                    "closed_on"
                ], rows: rows))
    }
}
