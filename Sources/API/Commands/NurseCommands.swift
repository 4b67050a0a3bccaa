import Dates
import Foundation
import Postgres
import Registration

/// Loading nurses, their registrations and the pilots (R-50 … R-54).
enum NurseStore {
    struct Nurse {
        let id: UUID
        let idNumber: String
        let name: String
        let status: PersonStatus
        let blacklisted: Bool
    }

    struct Registration {
        let id: UUID
        let nurse: UUID
        let appliedOn: CalendarDate
        let facts: NurseRegistrationFacts
    }

    /// By id or resident ID number.
    static func nurse(_ ref: String, _ c: CommandContext, lock: Bool = false) throws -> Nurse {
        let key = ref.trimmedASCIIWhitespace
        let byID = UUID(uuidString: key)
        let ids = byID.map { [$0] } ?? [], numbers = byID == nil ? [key.uppercased()] : []
        guard
            let row = try c.store.readLocked(
                "nurse", byID: byID, lock: lock,
                {
                    try c.connection.query(
                        "SELECT id, id_number, name, status FROM regctl_nurses(\(ids)::uuid[], \(numbers)::text[])"
                    ).first
                })
        else {
            throw notFound(ref)
        }
        let id = try row.decode(0, as: UUID.self)
        return Nurse(
            id: id, idNumber: try row.decode(1, as: String.self), name: try row.decode(2, as: String.self),
            status: try row.decode(3, as: PersonStatus.self), blacklisted: try c.store.blacklisted(id))
    }

    /// A nurse named to read about: outside the reader's scope, not found (R-72), as Store.physicianToRead.
    static func nurseToRead(_ ref: String, _ c: CommandContext) throws -> Nurse {
        let n = try nurse(ref, c)
        try c.store.requireInScope("nurse", n.id, else: notFound(ref))
        return n
    }

    static func notFound(_ ref: String) -> RegctlError {
        let key = ref.trimmedASCIIWhitespace
        return Store.notFound(
            "nurse", key.count == 18 ? ResidentID.mask(key.uppercased()) : ref,
            hint: "give the nurse's id or 18-character resident ID number (regctl nurse list)")
    }

    static let columns: SQL = "r.id, r.nurse, r.institution, r.county, r.status, r.regional, r.expires_on, r.applied_on"

    /// A nurse's registrations (or some by id) in every region, as the rules need them whoever acts.
    static func facts(nurses: [UUID], ids: [UUID] = []) -> SQL {
        "SELECT \(columns) FROM regctl_nurse_registrations(\(nurses)::uuid[], \(ids)::uuid[]) r"
    }

    static func registration(_ row: Row) throws -> Registration {
        let id = try row.decode("id", as: UUID.self)
        return Registration(
            id: id, nurse: try row.decode("nurse", as: UUID.self),
            appliedOn: try row.decode("applied_on", as: CalendarDate.self),
            facts: NurseRegistrationFacts(
                id: id.text, institution: try row.decode("institution", as: UUID.self).text,
                institutionCounty: try row.decode("county", as: RegionCode.self),
                status: try row.decode("status", as: NurseRegistrationStatus.self),
                regional: try row.decode("regional", as: Bool.self),
                expiresOn: try row.decode("expires_on", as: CalendarDate?.self)))
    }

    static func registration(_ ref: String, _ c: CommandContext, lock: Bool = false) throws -> Registration {
        guard let id = UUID(uuidString: ref) else {
            throw RegctlError(
                "input.id",
                "\(Quoted.value(ref)) is not a nurse registration id (a UUID, as printed by nurse register)",
                status: .usage)
        }
        if lock { try c.store.lock("nurse_registration", [id]) }
        guard let row = try c.connection.query(facts(nurses: [], ids: [id])).first else {
            throw Store.notFound("nurse registration", ref, hint: "list them with regctl nurse show N")
        }
        return try registration(row)
    }

    static func liveRegistrations(ofNurse nurse: UUID, _ c: CommandContext) throws -> [Registration] {
        try c.connection.query(facts(nurses: [nurse])).map(registration).filter { $0.facts.status.isLive }
    }

    static func pilots(_ connection: Connection) throws -> [PilotFacts] {
        try connection.query("SELECT id, region::text, valid_from, valid_to FROM pilot").map { row in
            PilotFacts(
                id: try row.decode(0, as: UUID.self).text, region: try row.decode(1, as: RegionCode.self),
                from: try row.decode(2, as: CalendarDate.self), to: try row.decode(3, as: CalendarDate?.self))
        }
    }

    /// R-54: ends active regional filings that no pilot covers any more on `day`, on the last day one did.
    static func endUncoveredFilings(on day: CalendarDate, _ c: CommandContext) throws -> Int {
        let pilots = try pilots(c.connection)
        var ids: [UUID] = [], days: [CalendarDate] = []
        for row in try c.connection.query(
            """
            SELECT f.id, f.valid_from, ri.region::text AS home_county, fi.region::text AS county
            FROM nurse_filing f JOIN nurse_registration r ON r.id = f.registration
            JOIN institution ri ON ri.id = r.institution JOIN institution fi ON fi.id = f.institution
            WHERE f.status = 'active' AND f.valid_from <= \(day)
            """)
        {
            guard
                let ends = NurseRules.filingEndWhenUncovered(
                    homeCounty: try row.decode("home_county", as: RegionCode.self),
                    county: try row.decode("county", as: RegionCode.self),
                    filingFrom: try row.decode("valid_from", as: CalendarDate.self), on: day, pilots: pilots)
            else { continue }
            ids.append(try row.decode("id", as: UUID.self))
            days.append(ends)
        }
        // One statement for all, as the other ends of filings are written.
        return try FilingStore.end("nurse_filing", ids: ids, on: days, reason: "pilot-ended", c)
    }
}

/// `nurse add`.
public struct NurseAdd: Command {
    public static let name = "nurse.add"
    let arguments: Arguments

    public init(_ a: Arguments) throws {
        arguments = a
        _ = try PhysicianInput.residentID(a, today: CalendarDate.today().adding(days: 1))
        _ = try a.name("name")
        _ = try a.string("qualification_no")
    }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        let idNumber = try PhysicianInput.residentID(arguments, today: c.today)
        try Access.requireRegistrar(c.actor, to: "record nurses")
        let id = UUID()
        try c.connection.execute(
            """
            INSERT INTO nurse (id, id_number, name, sex, birth_date, qualification_no)
            VALUES (\(id), \(idNumber.value), \(try arguments.name("name")), \(idNumber.sex.rawValue), \(idNumber.birthDate), \(try arguments.string("qualification_no")))
            """)
        c.touch(id)
        return CommandOutput(id: id.text)
    }
}

/// `nurse show N`.
public struct NurseShow: Command {
    public static let name = "nurse.show"
    let ref: String
    public init(_ a: Arguments) throws { ref = try a.string("nurse") }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        let n = try NurseStore.nurseToRead(ref, c)
        let regs = try c.connection.query(
            """
            SELECT r.id, r.status, r.regional, r.expires_on, i.name, i.region::text FROM nurse_registration r JOIN institution i ON i.id = r.institution
            WHERE r.nurse = \(n.id) ORDER BY r.applied_on
            """)
        let regions = try regs.map { try $0.decode(5, as: RegionCode.self) }
        let filings = try c.connection.query(
            "SELECT count(*) FROM regctl_active_nurse_filings(ARRAY[\(n.id)]::uuid[])")[0].decode(0, as: Int.self)
        // R-72 twice: the database shows the number as the reader may see it, and so does the rule here.
        let shown =
            try c.connection.query("SELECT id_number FROM nurse_v WHERE id = \(n.id)").first?.decode(0, as: String.self)
            ?? ResidentID.mask(n.idNumber)
        return CommandOutput(fields: [
            ("id", .text(n.id.text)), ("name", .text(n.name)),
            (
                "id_number",
                .text(Access.seesFullIDNumber(c.actor, subjectRegions: regions) ? shown : ResidentID.mask(shown))
            ),
            ("status", .text(n.status.rawValue)), ("blacklisted", .bool(n.blacklisted)),
            (
                "registrations",
                .list(
                    try regs.map { row in
                        "\(try row.decode(0, as: UUID.self).text):\(try row.decode(1, as: String.self))\(try row.decode(2, as: Bool.self) ? "(regional)" : "")@\(try row.decode(4, as: String.self))"
                            + ((try row.decode(3, as: CalendarDate?.self)).map { " until \($0)" } ?? "")
                    })
            ),
            ("active_filings", .int(filings))
        ])
    }
}

/// `nurse list [--region]`.
public struct NurseList: Command {
    public static let name = "nurse.list"
    let region: RegionCode?
    public init(_ a: Arguments) throws { region = try a.optionalRegion("region") }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        let filter: SQL =
            region == nil
            ? "TRUE"
            : """
            EXISTS (SELECT 1 FROM nurse_registration r JOIN institution i ON i.id = r.institution
                    WHERE r.nurse = n.id AND r.status IN ('pending', 'active') AND \(regionFilter("i.region", region)))
            """
        // R-72 by its one rule: in full when the reader sees the numbers of the region listed (every nurse listed is registered there).
        let full = Access.seesFullIDNumber(c.actor, subjectRegions: region.map { [$0] } ?? [])
        let rows = try c.connection.query(
            "SELECT n.id, n.name, n.id_number, n.status FROM nurse_v n WHERE \(filter) ORDER BY n.name, n.id"
        ).map { row -> [Cell] in
            let idNumber = try row.decode(2, as: String.self)
            return [
                .text(try row.decode(0, as: UUID.self).text), .text(try row.decode(1, as: String.self)),
                .text(full ? idNumber : ResidentID.mask(idNumber)), .text(try row.decode(3, as: String.self))
            ]
        }
        return CommandOutput(table: ResultTable(columns: ["id", "name", "id_number", "status"], rows: rows))
    }
}

/// `nurse register --nurse N --institution INST [--regional] [--on DATE]` (R-50, R-53).
public struct NurseRegister: Command {
    public static let name = "nurse.register"
    let nurse: String, institution: String, regional: Bool, on: CalendarDate?

    public init(_ a: Arguments) throws {
        nurse = try a.string("nurse")
        institution = try a.string("institution")
        regional = try a.bool("regional")
        on = try a.optionalDate("on")
    }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        let day = try c.decisionDay(on)
        let n = try NurseStore.nurse(nurse, c, lock: true)
        let inst = try c.store.institution(institution)
        try Access.requireInstitution(
            c.actor, institution: inst.facts.id, regions: [inst.facts.county],
            to: "register nurses at \(inst.facts.name)")
        try NurseRules.register(
            nurseStatus: n.status, nurseBlacklisted: n.blacklisted, institution: inst.facts, regional: regional,
            live: try NurseStore.liveRegistrations(ofNurse: n.id, c).map(\.facts),
            pilots: try NurseStore.pilots(c.connection), on: day)
        let id = UUID()
        try c.connection.execute(
            """
            INSERT INTO nurse_registration (id, province, nurse, institution, regional, status, applied_on)
            VALUES (\(id), \(inst.facts.county.province.value), \(n.id), \(inst.id), \(regional), 'pending', \(day))
            """)
        c.touch(id, n.id, inst.id)
        let due = RegistrationRules.decisionDeadline(appliedOn: day, calendar: try c.store.workingCalendar())
        return CommandOutput(
            id: id.text,
            fields: [
                ("status", .text("pending")), ("regional", .bool(regional)), ("decision_due", .text(due.description))
            ])
    }
}

/// `nurse approve REG [--on DATE]`: valid five years (R-50).
public struct NurseApprove: Command {
    public static let name = "nurse.approve"
    let ref: String, on: CalendarDate?

    public init(_ a: Arguments) throws {
        ref = try a.string("registration")
        on = try a.optionalDate("on")
    }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        let day = try c.decisionDay(on)
        let r = try NurseStore.registration(ref, c, lock: true)
        try Access.requireRegion(
            c.actor, r.facts.institutionCounty, to: "decide nurse registrations in \(r.facts.institutionCounty)")
        try NurseRules.checkDecision(status: r.facts.status, appliedOn: r.appliedOn, on: day)
        let n = try NurseStore.nurse(r.nurse.text, c)
        try NurseRules.checkApproval(
            nurseBlacklisted: n.blacklisted, institution: try c.store.institution(r.facts.institution).facts)
        let expires = NurseRules.expiry(approvedOn: day)
        try c.connection.execute(
            """
            UPDATE nurse_registration SET status = 'active', decided_on = \(day), decided_by = \(c.actor.id), expires_on = \(expires) WHERE id = \(r.id)
            """)
        c.touch(r.id, r.nurse)
        return CommandOutput(fields: [
            ("registration", .text(r.id.text)), ("status", .text("active")), ("expires_on", .text(expires.description))
        ])
    }
}

/// `nurse reject REG --reason TEXT`.
public struct NurseReject: Command {
    public static let name = "nurse.reject"
    let ref: String, reason: String, on: CalendarDate?

    public init(_ a: Arguments) throws {
        ref = try a.string("registration")
        reason = try a.string("reason")
        on = try a.optionalDate("on")
    }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        let day = try c.decisionDay(on)
        let r = try NurseStore.registration(ref, c, lock: true)
        try Access.requireRegion(
            c.actor, r.facts.institutionCounty, to: "decide nurse registrations in \(r.facts.institutionCounty)")
        try NurseRules.checkDecision(status: r.facts.status, appliedOn: r.appliedOn, on: day)
        try c.connection.execute(
            """
            UPDATE nurse_registration SET status = 'rejected', decided_on = \(day), decided_by = \(c.actor.id), rejection_reason = \(reason) WHERE id = \(r.id)
            """)
        c.touch(r.id)
        return CommandOutput(fields: [("registration", .text(r.id.text)), ("status", .text("rejected"))])
    }
}

/// `nurse renew REG [--on DATE]` (R-51).
public struct NurseRenew: Command {
    public static let name = "nurse.renew"
    let ref: String, on: CalendarDate?

    public init(_ a: Arguments) throws {
        ref = try a.string("registration")
        on = try a.optionalDate("on")
    }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        let day = try c.decisionDay(on)
        let r = try NurseStore.registration(ref, c, lock: true)
        try Access.requireInstitution(
            c.actor, institution: r.facts.institution, regions: [r.facts.institutionCounty],
            to: "renew nurse registrations there")
        let n = try NurseStore.nurse(r.nurse.text, c)
        let expires = try NurseRules.renew(r.facts, nurseBlacklisted: n.blacklisted, on: day)
        try c.connection.execute(
            "UPDATE nurse_registration SET expires_on = \(expires), renewed_on = \(day) WHERE id = \(r.id)")
        c.touch(r.id)
        return CommandOutput(fields: [("registration", .text(r.id.text)), ("expires_on", .text(expires.description))])
    }
}

/// `nurse file --nurse N --institution INST --contract-no NO --from DATE --to DATE` (R-53).
public struct NurseFile: Command {
    public static let name = "nurse.file"
    let nurse: String, institution: String, contractNo: String, period: ContractPeriod

    public init(_ a: Arguments) throws {
        nurse = try a.string("nurse")
        institution = try a.string("institution")
        contractNo = try a.string("contract_no")
        period = ContractPeriod(from: try a.date("from"), to: try a.date("to"))
    }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        let n = try NurseStore.nurse(nurse, c, lock: true)
        let inst = try c.store.institution(institution)
        guard
            let reg = try NurseStore.liveRegistrations(ofNurse: n.id, c).first(where: { $0.facts.status == .active })
                ?? c.connection.query(NurseStore.facts(nurses: [n.id])).map(NurseStore.registration).last
        else {
            throw RegctlError(
                "registration.not-active", "the nurse has no registration; register first (nurse register)",
                rule: "R-53")
        }
        try Access.requireInstitution(
            c.actor, institution: inst.facts.id, regions: [inst.facts.county, reg.facts.institutionCounty],
            to: "file nurses at \(inst.facts.name)")
        var atInstitution: [FilingFacts] = []
        for row in try c.connection.query(
            """
            SELECT id, contract_no, valid_from, valid_to FROM regctl_active_nurse_filings(ARRAY[\(n.id)]::uuid[]) WHERE institution = \(inst.id)
            """)
        {
            atInstitution.append(
                FilingFacts(
                    id: try row.decode(0, as: UUID.self).text, contractNo: try row.decode(1, as: String.self),
                    period: ContractPeriod(
                        from: try row.decode(2, as: CalendarDate.self), to: try row.decode(3, as: CalendarDate.self))))
        }
        try NurseRules.file(
            reg.facts, nurseBlacklisted: n.blacklisted, institution: inst.facts, period: period,
            pilots: try NurseStore.pilots(c.connection), activeAtInstitution: atInstitution, on: c.today)
        let id = UUID()
        try c.connection.execute(
            """
            INSERT INTO nurse_filing (id, province, registration, nurse, institution, contract_no, valid_from, valid_to)
            VALUES (\(id), \(inst.facts.county.province.value), \(reg.id), \(n.id), \(inst.id), \(contractNo), \(period.from), \(period.to))
            """)
        c.touch(id, n.id, inst.id, reg.id)
        return CommandOutput(id: id.text)
    }
}

/// SQL: the region in `column` lies inside the region in `regionColumn` (both columns).
func regionFilterDynamic(_ column: String, _ regionColumn: String) -> SQL {
    SQL(
        unsafeSQL: """
            (CASE WHEN right(\(regionColumn), 4) = '0000' THEN left(\(column), 2) = left(\(regionColumn), 2)
                  WHEN right(\(regionColumn), 2) = '00' THEN left(\(column), 4) = left(\(regionColumn), 4)
                  ELSE \(column) = \(regionColumn) END)
            """)
}
