import Dates
import Foundation
import Postgres
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
        level = try a.choice("level", PhysicianLevel.self, parse: PhysicianLevel.init(text:))
        category = try a.choice("category", PracticeCategory.self, parse: PracticeCategory.init(text:))
    }

    /// R-01, with the reason a number is wrong; the number itself is masked in the message.
    static func residentID(_ a: Arguments, today: CalendarDate) throws -> ResidentID {
        let raw = try a.string("id_number")
        do {
            return try ResidentID(raw, today: today)
        } catch {
            throw Arguments.usage(
                "input.id-number", "id_number",
                "the resident ID number \(raw.count == 18 ? ResidentID.mask(raw) : "given") is not valid: \(error.explanation)"
            )
        }
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
        let id = UUID()
        try c.connection.execute(
            """
            INSERT INTO physician (id, id_number, name, sex, birth_date, qualification_no, level, category)
            VALUES (\(id), \(input.idNumber.value), \(input.name), \(input.idNumber.sex.rawValue), \(input.idNumber.birthDate),
                    \(input.qualificationNo), \(input.level.rawValue), \(input.category.rawValue))
            """)
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
        let filings = try c.connection.query("SELECT count(*) FROM regctl_active_filings(ARRAY[\(p.id)]::uuid[])")[0]
            .decode(0, as: Int.self)
        // R-72 twice: the database shows the number as the reader may see it, and so does the rule here.
        let shown =
            try c.connection.query("SELECT id_number FROM physician_v WHERE id = \(p.id)").first?.decode(
                0, as: String.self) ?? p.idNumber
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
    let region: RegionCode?, personName: String?, limit: Int
    public init(_ a: Arguments) throws {
        region = try a.optionalRegion("region")
        personName = try a.optionalString("name")
        limit = try Listing.limit(a)
    }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        if let region { _ = try c.store.requireRegion(region, field: "region") }
        // The reader's own scope, said in the query too (row-level security keeps it either way): a
        // registrar's or analyst's region when none is given, HR's institution. The scan then starts
        // from what the scope holds, not from every physician in the country.
        let scope = region ?? ((c.actor.role == .registrar || c.actor.role == .analyst) ? c.actor.region : nil)
        let regionFilterSQL: SQL =
            scope == nil
            ? "TRUE"
            : """
            EXISTS (SELECT 1 FROM registration r JOIN institution i ON i.id = r.institution
                    WHERE r.physician = p.id AND r.status NOT IN ('cancelled', 'rejected') AND \(regionFilter("i.region", scope)))
            """
        let hr = c.actor.role == .hr ? c.actor.institution.flatMap(UUID.init(uuidString:)) : nil
        // HR's scope is its institution's people (a thousand at the busiest): start from them, by primary key,
        // and sort those. `OFFSET 0` fences the subquery: without it the planner may walk all 4.5M
        // physicians in name order looking for a hundred of them (it did: 16 s on the national data, after
        // the statistics moved). `= ANY(ARRAY[…])`: the btree on filing(institution), not the exclusion
        // constraint's GiST index.
        let source: SQL =
            hr == nil
            ? "physician_v p"
            : """
            (SELECT p.* FROM (SELECT r.physician FROM registration r WHERE r.institution = \(hr)
                              UNION SELECT f.physician FROM filing f WHERE f.institution = ANY(ARRAY[\(hr)::uuid]) AND f.status = 'active'
                              UNION SELECT s.physician FROM studio s WHERE s.host = \(hr)) m
             JOIN physician_v p ON p.id = m.physician OFFSET 0) p
            """
        // R-72 by its one rule: in full when the reader sees the numbers of the region listed (every physician listed is registered there).
        let fullIDs = Access.seesFullIDNumber(c.actor, subjectRegions: region.map { [$0] } ?? [])
        let rows = try c.connection.query(
            """
            SELECT p.id, p.name, p.id_number, p.level, p.category, p.status, p.certificate_no::text
            FROM \(source) WHERE \(personName.map { "p.name = \($0)" as SQL } ?? "TRUE") AND \(regionFilterSQL)
            ORDER BY p.name, p.id LIMIT \(limit + 1)
            """
        ).map { row -> [Cell] in
            let idNumber = try row.decode("id_number", as: String.self)
            return [
                .text(try row.decode("id", as: UUID.self).text), .text(try row.decode("name", as: String.self)),
                .text(fullIDs ? idNumber : ResidentID.mask(idNumber)),
                .text(try row.decode("level", as: String.self)), .text(try row.decode("category", as: String.self)),
                .text(try row.decode("status", as: String.self)),
                Cell(try row.decode("certificate_no", as: String?.self))
            ]
        }
        return Listing.page(
            ResultTable(
                columns: ["id", "name", "id_number", "level", "category", "status", "certificate_no"], rows: rows),
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
        try c.connection.execute("UPDATE physician SET status = 'retired', status_on = \(on) WHERE id = \(p.id)")
        c.touch(p.id)
        return CommandOutput(fields: [
            ("physician", .text(p.id.text)), ("status", .text("retired")), ("on", .text((on).description))
        ])
    }
}
