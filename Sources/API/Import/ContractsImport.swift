import Dates
import Foundation
import Registration

/// The contracts import in the batch shape: rows are parsed and checked for form as
/// `filing.add` / `filing.end` would, the facts for a chunk of rows are fetched in bulk,
/// `FilingDecision` (the commands' own decision) runs row by row in memory, and the
/// accepted rows are written with COPY. One transaction for the whole file.
struct ContractsImport: BatchImport {
    let context: CommandContext
    static let keyColumns = ["contract_no"]
    /// R-23: every province's cap, read once for the run.
    let caps: [RegionCode: Int?]

    init(context: CommandContext) throws {
        self.context = context
        self.caps = try context.store.maxActiveFilingsByProvince()
    }

    struct Parsed: ParsedRow {
        let row: ImportRow
        let idNumber: String
        let uscc: String
        let contractNo: String
        let period: ContractPeriod
        let scope: String?
        let ends: Bool
        let arguments: Arguments
        var key: String { uscc + "\u{1F}" + contractNo }
    }

    func duplicateMessage(_ row: Parsed, firstLine: Int) -> String {
        "contract \(row.contractNo) of this institution is also on line \(firstLine); keep one row per contract"
    }

    /// Form checks: the same argument parsing as the commands, and the same natural-key checks as the stores.
    /// The column a refusal points at, for the errors report.
    static func column(for code: String) -> String {
        switch code {
        case "input.scope": return "scope"
        case "input.period", "filing.before-registration", "filing.overlap", "input.date": return "from"
        case "filing.outside-region", "filing.primary-institution", "institution.inactive", "institution.blacklisted":
            return "institution"
        case "physician.blacklisted", "physician.deceased", "registration.not-active", "input.id-number":
            return "id_number"
        default: return "contract_no"
        }
    }

    static func parse(_ row: ImportRow, today: CalendarDate) throws -> Parsed {
        let action = row.value("action").uppercased()
        let ends: Bool
        switch action {
        case "", "A", "ADD", "新增", "增加", "变更": ends = false
        case "R", "END", "终止", "解除", "删除": ends = true
        default:
            throw RegctlError(
                "input.action",
                "\(Quoted.value(row.value("action"))) is not an action: A (add or update) or R (end)",
                status: .usage, field: "action")
        }
        var a = Arguments()
        a["physician"] = .string(row.value("id_number"))
        a["institution"] = .string(row.value("institution"))
        a["contract_no"] = .string(row.value("contract_no"))
        if !row.value("scope").isEmpty { a["scope"] = .string(row.value("scope")) }
        let period: ContractPeriod
        if ends {
            a["on"] = .string(row.value("to"))
            _ = try FilingEnd(a)
            period = ContractPeriod(from: try a.optionalDate("on") ?? today, to: try a.date("on"))
        } else {
            a["from"] = .string(row.value("from"))
            a["to"] = .string(row.value("to"))
            let command = try FilingAdd(a)
            period = command.period
        }
        let idNumber = try Store.residentID(row.value("id_number"), field: "id_number", today: today)
        let uscc = try Store.creditCode(row.value("institution"), field: "institution")
        return Parsed(
            row: row, idNumber: idNumber, uscc: uscc, contractNo: try a.string("contract_no"), period: period,
            scope: try a.optionalString("scope"), ends: ends, arguments: a)
    }

    mutating func process(_ chunk: [Parsed], _ report: inout ImportReport) throws {
        guard !chunk.isEmpty else { return }
        let store = context.store
        // Facts for the whole chunk, fetched in bulk; the physicians locked as filing.add locks them.
        var physicians: [String: PhysicianRecord] = [:]
        var institutions: [String: InstitutionRecord] = [:]
        for p in try store.physicians(idNumbers: Array(Set(chunk.map(\.idNumber))), lock: true) {
            physicians[p.idNumber] = p
        }
        for i in try store.institutions(usccs: Array(Set(chunk.map(\.uscc)))) { institutions[i.uscc] = i }
        let physicianIDs = physicians.values.map(\.id)
        let registrations = Dictionary(grouping: try store.registrations(ofPhysicians: physicianIDs), by: \.physician)
        var active = Dictionary(grouping: try store.activeFilings(ofPhysicians: physicianIDs), by: \.physician)
        var existing: [String: ContractFiling] = [:]
        let keyed = chunk.compactMap { p in institutions[p.uscc].map { (institution: $0.id, contractNo: p.contractNo) }
        }
        let uscc = Dictionary(uniqueKeysWithValues: institutions.values.map { ($0.id, $0.uscc) })
        for f in try store.filings(underContracts: keyed) {
            existing[(uscc[f.institution] ?? "") + "\u{1F}" + f.contractNo] = f
        }

        // The rules, row by row, in file order, on the facts as each accepted row leaves them.
        var inserts: [NewFiling] = []
        var updates: [(id: UUID, period: ContractPeriod, scope: String?)] = []
        var ends: [(UUID, CalendarDate)] = []
        var events = EventBatch()
        let actor = context.actor
        try decideEach(chunk, &report, column: { ContractsImport.column(for: $0) }) { parsed in
            do {
                // The order of filing.add: the physician, then the institution (filing.end names no physician).
                let p = physicians[parsed.idNumber]
                if !parsed.ends && p == nil {
                    throw Store.notFound(
                        "physician", ResidentID.mask(parsed.idNumber),
                        hint: "record the physician first (regctl physician add or import physicians)")
                }
                guard let inst = institutions[parsed.uscc] else {
                    throw Store.notFound(
                        "institution", parsed.uscc,
                        hint: "record it first (regctl institution add or import institutions)")
                }
                if parsed.ends {
                    guard var found = existing[parsed.key] else {
                        throw Store.notFound(
                            "filing", "\(parsed.contractNo) at \(inst.facts.name)",
                            hint:
                                "check the contract number; a contract is ended by the row that added it, with action R"
                        )
                    }
                    if !found.active {
                        return .unchanged
                    }
                    let endsOn = try FilingDecision.end(
                        actor: actor, institution: inst.id, county: found.county, status: "active",
                        period: found.period, on: parsed.period.to)
                    ends.append((found.id, endsOn))
                    found.active = false
                    existing[parsed.key] = found
                    active[found.physician]?.removeAll { $0.id == found.id }
                    events.add(
                        actor: actor.id, command: FilingEnd.name, arguments: parsed.arguments, subjects: [found.id])
                    return .ended
                }
                let physician = p!
                if let found = existing[parsed.key] {
                    let change = try FilingRules.updateContract(
                        contractNo: parsed.contractNo, heldBySamePhysician: found.physician == physician.id,
                        active: found.active, period: found.period, scope: found.scope, newPeriod: parsed.period,
                        newScope: parsed.scope)
                    if change == .unchanged { return .unchanged }
                    // An update: the new period and scope are checked as a new filing would be, beside the others.
                    let others = (active[physician.id] ?? []).filter { $0.id != found.id }
                    _ = try FilingDecision.add(
                        actor: actor, physician: physician, institution: inst,
                        registrations: registrations[physician.id] ?? [],
                        activeFilings: others, maxActiveFilings: { caps[$0] ?? nil }, period: parsed.period,
                        scope: parsed.scope)
                    updates.append((found.id, parsed.period, parsed.scope))
                    active[physician.id] =
                        others + [
                            ActiveFiling(
                                id: found.id, physician: physician.id, contractNo: parsed.contractNo,
                                period: parsed.period, institution: inst.id)
                        ]
                    existing[parsed.key]?.period = parsed.period
                    existing[parsed.key]?.scope = parsed.scope
                    events.add(
                        actor: actor.id, command: "filing.update", arguments: parsed.arguments,
                        subjects: [found.id, physician.id, inst.id])
                    return .updated
                }
                let reg = try FilingDecision.add(
                    actor: actor, physician: physician, institution: inst,
                    registrations: registrations[physician.id] ?? [],
                    activeFilings: active[physician.id] ?? [], maxActiveFilings: { caps[$0] ?? nil },
                    period: parsed.period, scope: parsed.scope)
                let filing = NewFiling(
                    registration: reg, physician: physician.id, institution: inst, contractNo: parsed.contractNo,
                    period: parsed.period, scope: parsed.scope)
                let id = filing.id
                inserts.append(filing)
                active[physician.id, default: []].append(
                    ActiveFiling(
                        id: id, physician: physician.id, contractNo: parsed.contractNo, period: parsed.period,
                        institution: inst.id))
                existing[parsed.key] = ContractFiling(
                    id: id, institution: inst.id, contractNo: parsed.contractNo, physician: physician.id,
                    period: parsed.period, scope: parsed.scope, active: true, county: inst.facts.county)
                events.add(
                    actor: actor.id, command: FilingAdd.name, arguments: parsed.arguments,
                    subjects: [id, physician.id, inst.id, reg.id])
                return .added
            }
        }

        // Ends first: a row later in the file may start a contract that only fits once they are written.
        try store.endFilings(
            .physician, ids: ends.map(\.0), on: ends.map(\.1), reason: EndReason.contractTerminated.rawValue)
        try store.updateFilings(updates)
        try store.addFilings(inserts)
        try events.flush(store)
    }
}
