import Dates
import Foundation
import Postgres
import Registration

/// Writes shared by the commands that end filings (R-17, R-19, R-24).
enum FilingStore {
    /// Ends every active filing of a registration on `day` (not after each contract's own end).
    static func endAll(registration: UUID, on day: CalendarDate, reason: String, _ c: CommandContext) throws -> Int {
        let ids = try c.connection.query("""
            UPDATE filing SET status = 'ended', ended_on = GREATEST(LEAST(\(day), valid_to), valid_from - 1), end_reason = \(reason)
            WHERE registration = \(registration) AND status = 'active' RETURNING id
            """).map { try $0.decode(0, as: UUID.self) }
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
        let p = try Store.physician(physician, c, lock: true)
        let inst = try Store.institution(institution, c)
        let regs = try Store.registrations(ofPhysician: p.id, c).filter { $0.facts.status.isLive }
        // The registration whose region covers the institution; else the home one, so the rule explains (R-20).
        guard let reg = regs.first(where: { $0.facts.region.covers(inst.facts.county) && $0.facts.status == .active })
                ?? regs.first(where: { $0.facts.region.covers(inst.facts.county) })
                ?? regs.first(where: { $0.facts.isHome }) ?? regs.first else {
            throw RegctlError("registration.not-active", "the physician has no registration; apply for one first (registration apply)", rule: "R-22")
        }
        // A registrar of the site's county or of the registration's region; HR of the site.
        try Access.requireInstitution(c.actor, institution: inst.facts.id, regions: [inst.facts.county, reg.facts.region],
                                      to: "file practice at \(inst.facts.name)")
        let active = try c.connection.query("""
            SELECT id, contract_no, valid_from, valid_to, institution FROM filing WHERE physician = \(p.id) AND status = 'active'
            """)
        var atInstitution: [FilingFacts] = []
        for row in active where try row.decode("institution", as: UUID.self) == inst.id {
            atInstitution.append(FilingFacts(id: try row.decode("id", as: UUID.self).text, contractNo: try row.decode("contract_no", as: String.self),
                                             period: ContractPeriod(from: try row.decode("valid_from", as: CalendarDate.self),
                                                                    to: try row.decode("valid_to", as: CalendarDate.self))))
        }
        try FilingRules.add(registration: reg.facts, physician: p.facts, institution: inst.facts, period: period, scope: scope,
                            activeAtInstitution: atInstitution, activeFilingCount: active.count,
                            maxActiveFilings: try Store.maxActiveFilings(province: reg.facts.region.province, c))
        let id = UUID()
        try c.connection.execute("""
            INSERT INTO filing (id, province, registration, physician, institution, contract_no, valid_from, valid_to, scope)
            VALUES (\(id), \(reg.facts.region.province.value), \(reg.id), \(p.id), \(inst.id), \(contractNo), \(period.from), \(period.to), \(scope))
            """)
        c.touch(id, p.id, inst.id, reg.id)
        return CommandOutput(id: id.text)
    }
}

/// `filing end FILING --on DATE [--reason]` (R-24).
public struct FilingEnd: Command {
    public static let name = "filing.end"
    let ref: String, on: CalendarDate, reason: String?

    public init(_ a: Arguments) throws {
        ref = try a.string("filing")
        on = try a.date("on")
        reason = try a.optionalString("reason")
    }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        guard let id = UUID(uuidString: ref) else {
            throw RegctlError("input.id", "'\(ref)' is not a filing id (a UUID, as printed by filing add or filing list)", status: .usage)
        }
        guard let row = try c.connection.query("""
            SELECT f.status, f.valid_from, f.valid_to, f.institution, i.region::text AS county
            FROM filing f JOIN institution i ON i.id = f.institution WHERE f.id = \(id) FOR UPDATE OF f
            """).first else {
            throw Store.notFound("filing", ref, hint: "list filings with regctl filing list --physician P")
        }
        let institution = try row.decode("institution", as: UUID.self)
        try Access.requireInstitution(c.actor, institution: institution.text, regions: [RegionCode(try row.decode("county", as: String.self))!],
                                      to: "end filings at this institution")
        let endsOn = try FilingRules.end(status: try row.decode("status", as: String.self),
                                         period: ContractPeriod(from: try row.decode("valid_from", as: CalendarDate.self),
                                                                to: try row.decode("valid_to", as: CalendarDate.self)), on: on)
        try c.connection.execute("UPDATE filing SET status = 'ended', ended_on = \(endsOn), end_reason = \(reason ?? "on-request") WHERE id = \(id)")
        c.touch(id)
        return CommandOutput(fields: [("filing", .text(id.text)), ("status", .text("ended")), ("ended_on", .text(endsOn.description))])
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
            throw Arguments.usage("input.status", "status", "'\(status)' is not active or ended")
        }
    }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        let pid = try physician.map { try Store.physician($0, c).id }
        let iid = try institution.map { try Store.institution($0, c).id }
        let rows = try c.connection.query("""
            SELECT f.id, p.name AS physician, i.name AS institution, i.ownership, f.contract_no, f.valid_from, f.valid_to, f.scope,
                   f.status, f.ended_on, f.end_reason
            FROM filing f JOIN physician p ON p.id = f.physician JOIN institution i ON i.id = f.institution
            WHERE (\(pid)::uuid IS NULL OR f.physician = \(pid)) AND (\(iid)::uuid IS NULL OR f.institution = \(iid))
              AND (\(status)::text IS NULL OR f.status = \(status))
            ORDER BY f.valid_from, f.id
            """).map { row -> [Cell] in
            let from = try row.decode("valid_from", as: CalendarDate.self)
            let status = try row.decode("status", as: String.self)
            let stable = FilingRules.isStable(active: status == "active", from: from,
                                              ownership: Ownership(rawValue: try row.decode("ownership", as: String.self))!, asOf: c.today)
            return [.text(try row.decode("id", as: UUID.self).text), .text(try row.decode("physician", as: String.self)),
                    .text(try row.decode("institution", as: String.self)), .text(try row.decode("contract_no", as: String.self)),
                    .text(from.description), .text(try row.decode("valid_to", as: CalendarDate.self).description),
                    Cell(try row.decode("scope", as: String?.self)), .text(status),
                    Cell(try row.decode("ended_on", as: CalendarDate?.self)?.description), Cell(try row.decode("end_reason", as: String?.self)),
                    .bool(stable)]
        }
        return CommandOutput(table: ResultTable(columns: ["id", "physician", "institution", "contract_no", "from", "to", "scope", "status", "ended_on", "end_reason", "stable"], rows: rows))
    }
}
