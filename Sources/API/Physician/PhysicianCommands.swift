import Dates
import Foundation
import Registration

/// The form checks of a physician's fields, shared by `physician add` and the physicians import.
public struct PhysicianInput: Sendable {
    public let idNumber: ResidentID
    public let name: String
    public let qualificationNo: String
    public let level: PhysicianLevel
    public let category: PracticeCategory

    public init(_ a: Arguments, today: CalendarDate) throws {
        idNumber = try PhysicianInput.residentID(a, today: today)
        name = try a.name("name")
        qualificationNo = try a.string("qualification_no")
        level = try a.choice("level", PhysicianLevel.self)
        category = try a.choice("category", PracticeCategory.self)
    }

    /// R-01, with the reason a number is wrong; the number itself is masked in the message.
    static func residentID(_ a: Arguments, today: CalendarDate) throws -> ResidentID {
        let raw = try a.string("id_number")
        do {
            return try ResidentID(raw, today: today)
        } catch {
            throw Arguments.usage(
                "input.id-number", "id_number",
                "the resident ID number \(Quoted.value(ResidentID.quotedBack(raw))) is not valid: \(error.explanation)"
            )
        }
    }
}

extension PhysicianInput {
    /// The physician to write, under `id`.
    func record(id: UUID) -> NewPhysician {
        NewPhysician(
            id: id, idNumber: idNumber, name: name, qualificationNo: qualificationNo, level: level, category: category)
    }
}

/// `physician add`.
public struct PhysicianAdd: Command {
    public static let name = "physician.add"
    let arguments: Arguments

    public init(_ a: Arguments) throws {
        arguments = a
        // Form checks need today (birth dates in the future): validated again in run with the handler's today.
        _ = try PhysicianInput(a, today: CalendarDate.today().adding(days: 1))
    }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        let input = try PhysicianInput(arguments, today: c.today)
        try Access.requireRegistrar(c.actor, to: "record physicians")
        let id = UUID.random()
        try c.store.addPhysician(input.record(id: id))
        c.touch(id)
        return CommandOutput(id: id.text)
    }
}

/// `physician show P`: the person, their registrations and filings. The ID number is masked unless the reader may see it (R-72).
public struct PhysicianShow: Command {
    public static let name = "physician.show"
    let ref: String
    public init(_ a: Arguments) throws { ref = try a.string("physician") }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        let p = try c.store.physicianToRead(ref)
        let regs = try c.store.registrations(ofPhysician: p.id)
        let filings = try c.store.activeFilings(ofPhysicians: [p.id]).count
        // R-72 twice: the database shows the number as the reader may see it, and so does the rule here.
        let shown = try c.store.physicianIDNumberAsShown(p.id) ?? p.idNumber
        let full = Access.seesFullIDNumber(
            c.actor, subjectRegions: regs.flatMap { [$0.facts.region, $0.facts.institutionCounty] })
        return CommandOutput(fields: [
            ("id", .text(p.id.text)), ("name", .text(p.name)),
            ("id_number", .text(full ? shown : ResidentID.mask(shown))),
            ("sex", .text(Int(String(Array(p.idNumber)[16]))! % 2 == 1 ? "M" : "F")),
            ("birth_date", .text(Access.birthDateShown(p.birthDate, fullIDNumber: full))),
            ("level", .text(p.facts.level.rawValue)), ("category", .text(p.facts.category.rawValue)),
            ("status", .text(p.facts.status.rawValue)), ("certificate_no", Cell(p.certificateNo)),
            ("blacklisted", .bool(p.facts.blacklisted)),
            (
                "registrations",
                .list(
                    regs.map {
                        "\($0.facts.region.value):\($0.facts.status.rawValue)\($0.facts.isHome ? "(home)" : "")"
                    })
            ),
            ("active_filings", .int(filings))
        ])
    }
}

/// `physician list [--region] [--name] [--limit]`: physicians registered (or applying) in a region, or of
/// a name, as the reader's scope shows them; a page of the first `--limit` (default 100) by name.
public struct PhysicianList: Command {
    public static let name = "physician.list"
    let region: RegionCode?, arguments: Arguments, limit: Int
    public init(_ a: Arguments) throws {
        region = try a.optionalRegion("region")
        arguments = a
        limit = try Listing.limit(a)
    }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        if let region { _ = try c.store.requireRegion(region, field: "region") }
        // The reader's own scope, said in the query too (row-level security keeps it either way): a
        // registrar's or analyst's region when none is given, HR's institution. The scan then starts
        // from what the scope holds, not from every physician in the country.
        let scope = Access.listRegion(c.actor, requested: region)
        let hr = c.actor.role == .hr ? c.actor.institution : nil
        // R-72 by its one rule: in full when the reader sees the numbers of the region listed (every physician listed is registered there).
        let fullIDs = Access.seesFullIDNumber(c.actor, subjectRegions: region.map { [$0] } ?? [])
        let rows = try c.store.physicians(
            registeredIn: scope, peopleOf: hr, page: try Listing.page(arguments, c, table: .physician, of: "physician")
        ).map { p -> [Cell] in
            [
                .text(p.id.text), .text(p.name), .text(fullIDs ? p.idNumber : ResidentID.mask(p.idNumber)),
                .text(p.level.rawValue), .text(p.category.rawValue), .text(p.status.rawValue), Cell(p.certificateNo)
            ]
        }
        return Listing.page(
            ResultTable(
                columns: ["id", "name", "id_number", "level", "category", "status", "certificate_no"], rows: rows,
                subject: "person"),
            limit: limit)
    }
}

/// `physician retire P --on DATE`.
public struct PhysicianRetire: Command {
    public static let name = "physician.retire"
    let ref: String, on: CalendarDate?

    public init(_ a: Arguments) throws {
        ref = try a.string("physician")
        on = try a.optionalDate("on")
    }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        let on = try c.decisionDay(on)
        try Access.requireRegistrar(c.actor, to: "record retirements")
        let p = try c.store.physician(ref, lock: true)
        let regions = try c.store.registrations(ofPhysician: p.id).flatMap {
            [$0.facts.region, $0.facts.institutionCounty]
        }
        try Access.requirePerson(
            c.actor, regions: regions, to: "record the retirement of a physician registered outside its region")
        switch p.facts.status {
        case .deceased: throw RegctlError("physician.deceased", "the physician is recorded as deceased")
        case .retired: throw RegctlError("physician.retired", "the physician is already recorded as retired")
        case .active: break
        }
        try c.store.setPhysicianStatus(p.id, .retired, on: on, onlyIfActive: false)
        c.touch(p.id)
        return CommandOutput(fields: [
            ("physician", .text(p.id.text)), ("status", .text("retired")), ("on", .text((on).description))
        ])
    }
}
