import Dates
import Foundation
import Postgres
import Registration

/// Writes shared by the commands that end filings (R-17, R-19, R-24).
enum FilingStore {
    /// Ends every active filing of a registration on `day` (not after each contract's own end).
    static func endAll(registration: UUID, on day: CalendarDate, reason: String, _ c: CommandContext) throws -> Int {
        try endActive("filing", where: "registration = \(registration)", on: day, reason: reason, c)
    }

    /// Ends the active filings of `table` (`filing` or `nurse_filing`) that `filter` selects, each on the day
    /// `FilingRules.endDay` gives for it (R-24): the rows are read and locked, Swift decides each end day,
    /// and the update receives the days as values.
    static func endActive(_ table: String, where filter: SQL, on day: CalendarDate, reason: String, _ c: CommandContext)
        throws -> Int
    {
        var ids: [UUID] = [], days: [CalendarDate] = []
        for row in try c.connection.query(
            """
            SELECT id, valid_from, valid_to FROM \(identifier: table) WHERE status = 'active' AND \(filter) ORDER BY id FOR UPDATE
            """)
        {
            ids.append(try row.decode(0, as: UUID.self))
            let period = ContractPeriod(
                from: try row.decode(1, as: CalendarDate.self), to: try row.decode(2, as: CalendarDate.self))
            days.append(FilingRules.endDay(of: period, endedOn: day))
        }
        return try end(table, ids: ids, on: days, reason: reason, c)
    }

    /// Writes the end of filings of `table` whose end days a rule decided (R-24, R-54): one statement for all.
    static func end(_ table: String, ids: [UUID], on days: [CalendarDate], reason: String, _ c: CommandContext) throws
        -> Int
    {
        guard !ids.isEmpty else { return 0 }
        try c.connection.execute(
            """
            UPDATE \(identifier: table) f SET status = 'ended', ended_on = x.day, end_reason = \(reason)
            FROM unnest(\(ids)::uuid[], \(days)::date[]) AS x(id, day) WHERE f.id = x.id
            """)
        c.touched += ids
        return ids.count
    }
}

/// `filing add` (R-20 … R-25): an additional practice site under a contract.
public struct FilingAdd: Command {
    public static let name = "filing.add"
    let physician: String, institution: String, contractNo: String, period: ContractPeriod, scope: String?

    public init(_ a: Arguments) throws {
        physician = try a.string("physician")
        institution = try a.string("institution")
        contractNo = try a.string("contract_no")
        period = ContractPeriod(from: try a.date("from"), to: try a.date("to"))
        scope = try a.optionalString("scope").flatMap { $0.isEmpty ? nil : $0 }
    }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        // The physician's row lock serialises filings of one physician (R-22 overlap, R-23 cap).
        let p = try c.store.physician(physician, lock: true)
        let inst = try c.store.institution(institution)
        let active = try c.connection.query(
            """
            SELECT id, contract_no, valid_from, valid_to, institution FROM regctl_active_filings(ARRAY[\(p.id)]::uuid[])
            """
        ).map(ActiveFiling.init)
        var caps: [RegionCode: Int?] = [:]
        let reg = try FilingDecision.add(
            actor: c.actor, physician: p, institution: inst,
            registrations: try c.store.registrations(ofPhysician: p.id), activeFilings: active,
            maxActiveFilings: { province in
                if let cap = caps[province] { return cap }
                let cap = try c.store.maxActiveFilings(province: province)
                caps[province] = cap
                return cap
            }, period: period, scope: scope)
        let id = UUID()
        try c.connection.execute(
            """
            INSERT INTO filing (id, province, registration, physician, institution, contract_no, valid_from, valid_to, scope,
                                host_county, host_ownership, home_ownership, category)
            VALUES (\(id), \(reg.facts.region.province.value), \(reg.id), \(p.id), \(inst.id), \(contractNo), \(period.from), \(period.to), \(scope),
                    \(inst.facts.county.value), \(inst.facts.ownership.rawValue), \(reg.institutionOwnership), \(reg.category))
            """)
        c.touch(id, p.id, inst.id, reg.id)
        return CommandOutput(id: id.text)
    }
}

/// An active filing of a physician, as the filing rules need it.
struct ActiveFiling {
    let id: UUID
    let contractNo: String
    let period: ContractPeriod
    let institution: UUID

    init(id: UUID, contractNo: String, period: ContractPeriod, institution: UUID) {
        self.id = id
        self.contractNo = contractNo
        self.period = period
        self.institution = institution
    }

    init(_ row: Row) throws {
        self.init(
            id: try row.decode("id", as: UUID.self), contractNo: try row.decode("contract_no", as: String.self),
            period: ContractPeriod(
                from: try row.decode("valid_from", as: CalendarDate.self),
                to: try row.decode("valid_to", as: CalendarDate.self)),
            institution: try row.decode("institution", as: UUID.self))
    }
}

/// `filing.add`'s decision from its facts, shared by the command (facts loaded one by one) and
/// the contracts import (facts loaded in bulk): which registration the filing goes under, after
/// access (R-70) and the filing rules (R-20 … R-23, R-60).
enum FilingDecision {
    static func add(
        actor: Actor, physician p: PhysicianRecord, institution inst: InstitutionRecord,
        registrations: [RegistrationRecord],
        activeFilings: [ActiveFiling], maxActiveFilings: (RegionCode) throws -> Int?,
        period: ContractPeriod, scope: String?
    ) throws -> RegistrationRecord {
        let regs = registrations.filter { $0.facts.status.isLive }
        // The registration whose region covers the institution; else the home one, so the rule explains (R-20).
        guard
            let reg = regs.first(where: { $0.facts.region.covers(inst.facts.county) && $0.facts.status == .active })
                ?? regs.first(where: { $0.facts.region.covers(inst.facts.county) })
                ?? regs.first(where: { $0.facts.isHome }) ?? regs.first
        else {
            throw RegctlError(
                "registration.not-active",
                "the physician has no registration; apply for one first (registration apply)", rule: "R-22")
        }
        // A registrar of the site's county or of the registration's region; HR of the site.
        try Access.requireInstitution(
            actor, institution: inst.facts.id, regions: [inst.facts.county, reg.facts.region],
            to: "file practice at \(inst.facts.name)")
        let atInstitution = activeFilings.filter { $0.institution == inst.id }
            .map { FilingFacts(id: $0.id.text, contractNo: $0.contractNo, period: $0.period) }
        try FilingRules.add(
            registration: reg.facts, physician: p.facts, institution: inst.facts, period: period, scope: scope,
            activeAtInstitution: atInstitution, activeFilingCount: activeFilings.count,
            maxActiveFilings: try maxActiveFilings(reg.facts.region.province))
        return reg
    }

    /// `filing.end`'s decision: access, then R-24. Returns the day it ends.
    static func end(
        actor: Actor, institution: UUID, county: RegionCode, status: String, period: ContractPeriod,
        on day: CalendarDate
    ) throws -> CalendarDate {
        try Access.requireInstitution(
            actor, institution: institution.text, regions: [county], to: "end filings at this institution")
        return try FilingRules.end(status: status, period: period, on: day)
    }
}

/// `filing end FILING --on DATE [--reason]` (R-24); the filing may also be named by
/// `--institution` and `--contract-no` (what an HR file knows).
public struct FilingEnd: Command {
    public static let name = "filing.end"
    let ref: String?, institution: String?, contractNo: String?, on: CalendarDate, reason: String?

    public init(_ a: Arguments) throws {
        ref = try a.optionalString("filing")
        institution = try a.optionalString("institution")
        contractNo = try a.optionalString("contract_no")
        on = try a.date("on")
        reason = try a.optionalString("reason")
        guard ref != nil || (institution != nil && contractNo != nil) else {
            throw Arguments.usage(
                "input.missing", "filing", "name the filing by its id, or by --institution and --contract-no")
        }
    }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        let row: Row?
        if let ref {
            guard let id = UUID(uuidString: ref) else {
                throw RegctlError(
                    "input.id",
                    "\(Quoted.value(ref)) is not a filing id (a UUID, as printed by filing add or filing list)",
                    status: .usage, field: "filing")
            }
            row = try c.connection.query(
                """
                SELECT f.id, f.status, f.valid_from, f.valid_to, f.institution, i.region::text AS county
                FROM filing f JOIN institution i ON i.id = f.institution WHERE f.id = \(id) FOR UPDATE OF f
                """
            ).first
        } else {
            let inst = try c.store.institution(institution!)
            row = try c.connection.query(
                """
                SELECT f.id, f.status, f.valid_from, f.valid_to, f.institution, i.region::text AS county
                FROM filing f JOIN institution i ON i.id = f.institution WHERE f.institution = \(inst.id) AND f.contract_no = \(contractNo!) FOR UPDATE OF f
                """
            ).first
        }
        guard let row else {
            throw Store.notFound(
                "filing", ref ?? "\(contractNo!) at \(institution!)",
                hint: "list filings with regctl filing list --institution INST")
        }
        let id = try row.decode("id", as: UUID.self)
        let endsOn = try FilingDecision.end(
            actor: c.actor, institution: try row.decode("institution", as: UUID.self),
            county: try row.decode("county", as: RegionCode.self),
            status: try row.decode("status", as: String.self),
            period: ContractPeriod(
                from: try row.decode("valid_from", as: CalendarDate.self),
                to: try row.decode("valid_to", as: CalendarDate.self)), on: on)
        try c.connection.execute(
            "UPDATE filing SET status = 'ended', ended_on = \(endsOn), end_reason = \(reason ?? "on-request") WHERE id = \(id)"
        )
        c.touch(id)
        return CommandOutput(fields: [
            ("filing", .text(id.text)), ("status", .text("ended")), ("ended_on", .text(endsOn.description))
        ])
    }
}

/// `filing list [--physician] [--institution] [--status]`, with each filing's standing (R-26).
public struct FilingList: Command {
    public static let name = "filing.list"
    let physician: String?, institution: String?, status: String?

    public init(_ a: Arguments) throws {
        physician = try a.optionalString("physician")
        institution = try a.optionalString("institution")
        status = try a.optionalString("status")
        if let status, !["active", "ended"].contains(status) {
            throw Arguments.usage("input.status", "status", "\(Quoted.value(status)) is not active or ended")
        }
    }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        let pid = try physician.map { try c.store.physicianToRead($0).id }
        let iid = try institution.map { ref in
            let inst = try c.store.institution(ref)
            try Access.requireRosterReader(
                c.actor, institution: inst.facts.id, region: inst.facts.county, what: "filings")
            return inst.id
        }
        let rows = try c.connection.query(
            """
            SELECT f.id, p.name AS physician, i.name AS institution, i.ownership, f.contract_no, f.valid_from, f.valid_to, f.scope,
                   f.status, f.ended_on, f.end_reason
            FROM filing f JOIN physician p ON p.id = f.physician JOIN institution i ON i.id = f.institution
            WHERE (\(pid)::uuid IS NULL OR f.physician = \(pid)) AND (\(iid)::uuid IS NULL OR f.institution = ANY(ARRAY[\(iid)::uuid]))  -- a btree, not the exclusion GiST (0004)
              AND (\(status)::text IS NULL OR f.status = \(status))
            ORDER BY f.valid_from, f.id
            """
        ).map { row -> [Cell] in
            let from = try row.decode("valid_from", as: CalendarDate.self)
            let status = try row.decode("status", as: String.self)
            let stable = FilingRules.isStable(
                active: status == "active", from: from,
                ownership: try row.decode("ownership", as: Ownership.self), asOf: c.today)
            return [
                .text(try row.decode("id", as: UUID.self).text), .text(try row.decode("physician", as: String.self)),
                .text(try row.decode("institution", as: String.self)),
                .text(try row.decode("contract_no", as: String.self)),
                .text(from.description), .text(try row.decode("valid_to", as: CalendarDate.self).description),
                Cell(try row.decode("scope", as: String?.self)), .text(status),
                Cell(try row.decode("ended_on", as: CalendarDate?.self)?.description),
                Cell(try row.decode("end_reason", as: String?.self)),
                .bool(stable)
            ]
        }
        return CommandOutput(
            table: ResultTable(
                columns: [
                    "id", "physician", "institution", "contract_no", "from", "to", "scope", "status", "ended_on",
                    "end_reason", "stable"
                ], rows: rows))
    }
}
