import Dates
import Foundation
import Registration

/// `studio open` (R-40 … R-43): a studio at a grassroots or elderly-care host; `--resume` ends a leave.
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
        let openAtHost = try c.store.hasOpenStudio(physician: p.id, host: h.id)
        let maxAge = try c.store.studioMaxAge(province: h.facts.county.province)
        let opening = try StudioRules.open(
            physician: p.facts, age: StudioRules.age(born: p.birthDate, on: from), host: h.facts,
            registrations: regs.map(\.facts), openAtHost: openAtHost, resume: resume, maxAge: maxAge, on: from)
        let registration: UUID
        var fields: [(String, Cell)] = []
        switch opening {
        case .underRegistration(let id):
            registration = try Self.registration(id, in: regs).id
        case .resuming(let id, let change):
            // the host becomes the primary institution; the leave clock of R-18 stops.
            let before = try Self.registration(id, in: regs)
            registration = before.id
            try c.store.changeRegistration(registration, institution: h.id, scopes: change.scopes)
            c.details = """
                {"before": {"institution": \(JSONText.quote(before.facts.institution.text)), "status": "on-leave"}, \
                "after": {"institution": \(JSONText.quote(h.id.text)), "status": "active"}, "on": \(JSONText.quote(from.description))}
                """
            fields.append(("resumed_registration", .text(id.text)))
        }
        let id = UUID.random()
        try c.store.openStudio(
            id: id, physician: p.id, registration: registration, host: h, name: studioName, on: from)
        c.touch(id, p.id, h.id, registration)
        return CommandOutput(id: id.text, fields: fields)
    }

    /// The registration a rule chose, among those it was given.
    static func registration(_ id: UUID, in regs: [RegistrationRecord]) throws -> RegistrationRecord {
        guard let r = regs.first(where: { $0.id == id }) else {
            throw RegctlError(
                "internal", "StudioRules.open chose a registration it was not given; this is a bug, please report it",
                status: .internalError)
        }
        return r
    }
}

/// `studio close STUDIO --on DATE`.
public struct StudioClose: Command {
    public static let name = "studio.close"
    let ref: String, on: CalendarDate

    public init(_ a: Arguments) throws {
        ref = try a.string("studio")
        on = try a.date("on")
    }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        let on = try c.decisionDay(on)
        let id = try c.store.recordID(ref, in: .studio, of: "studio", printedBy: "studio list")
        guard let studio = try c.store.studioToClose(id) else {
            throw Store.notFound("studio", ref, hint: "list studios with regctl studio list")
        }
        try Access.requireInstitution(
            c.actor, institution: studio.host, regions: [studio.hostCounty], to: "close studios there")
        try StudioRules.close(isOpen: studio.isOpen, openedOn: studio.openedOn, on: on)
        try c.store.closeStudio(id, on: on)
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
        let rows = try c.store.studios(region: region, physician: pid).map { s -> [Cell] in
            [
                .text(s.id.text), .text(s.name), .text(s.physicianName), .text(s.physicianStatus.rawValue),
                .text(s.hostName), .text(s.hostCounty.value), .text(s.hostCategory.rawValue),
                .text(s.openedOn.description), .text(s.status), Cell(s.closedOn?.description)
            ]
        }
        var table = ResultTable(
            columns: [
                "id", "name", "physician", "physician_status", "host", "region", "category", "opened_on", "status",
                "closed_on"
            ], rows: rows)
        table.subject = "studio"
        return CommandOutput(table: table)
    }
}
