import Dates
import Foundation
import Registration

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
        let active = try c.store.activeFilings(ofPhysicians: [p.id])
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
        let filing = NewFiling(
            registration: reg, physician: p.id, institution: inst, contractNo: contractNo, period: period, scope: scope)
        try c.store.addFiling(filing)
        c.touch(filing.id, p.id, inst.id, reg.id)
        return CommandOutput(id: filing.id.text)
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
        let filing: FilingToEnd?
        if let ref {
            let id = try c.store.recordID(ref, in: .filing, of: "filing", field: "filing", printedBy: "filing list")
            filing = try c.store.filingToEnd(id: id)
        } else if let institution, let contractNo {
            filing = try c.store.filingToEnd(
                institution: try c.store.institution(institution).id, contractNo: contractNo)
        } else {
            filing = nil
        }
        guard let filing else {
            throw Store.notFound(
                "filing", ref ?? "\(contractNo ?? "") at \(institution ?? "")",
                hint: "list filings with regctl filing list --institution INST")
        }
        let id = filing.id
        let endsOn = try FilingDecision.end(
            actor: c.actor, institution: filing.institution, county: filing.county, status: filing.status,
            period: filing.period, on: on)
        try c.store.endFilings(.physician, ids: [id], on: [endsOn], reason: reason ?? "on-request")
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
        let rows = try c.store.filings(physician: pid, institution: iid, status: status).map { f -> [Cell] in
            let stable = FilingRules.isStable(
                active: f.status == "active", from: f.period.from, ownership: f.ownership, asOf: c.today)
            return [
                .text(f.id.text), .text(f.physicianName), .text(f.institutionName), .text(f.contractNo),
                .text(f.period.from.description), .text(f.period.to.description), Cell(f.scope), .text(f.status),
                Cell(f.endedOn?.description), Cell(f.endReason), .bool(stable)
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
