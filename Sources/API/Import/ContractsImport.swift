import Dates
import Foundation
import Postgres
import Registration

/// The contracts import in the batch shape: rows are parsed and checked for form as
/// `filing.add` / `filing.end` would, the facts for a chunk of rows are fetched in bulk,
/// `FilingDecision` (the commands' own decision) runs row by row in memory, and the
/// accepted rows are written with COPY. One transaction for the whole file.
struct ContractsImport {
    let context: CommandContext
    static let chunkSize = 20_000

    struct Parsed {
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

    struct Existing {
        let id: UUID
        let physician: UUID
        var period: ContractPeriod
        var scope: String?
        var active: Bool
        let county: RegionCode
    }

    func run(_ rows: inout RowSource, _ report: inout ImportReport) throws {
        var seen: [String: Int] = [:]
        var chunk: [Parsed] = []
        var caps: [RegionCode: Int?] = [:]
        for row in try context.connection.query("SELECT province::text, max_active_filings FROM policy") {
            caps[try row.decode(0, as: RegionCode.self)] = try row.decode(1, as: Int?.self)
        }
        while let row = try rows.next() {
            do {
                let parsed = try parse(row)
                if let first = seen[parsed.key] {
                    report.rejections.append(
                        ImportRejection(
                            line: row.line, column: row.headers["contract_no"] ?? "contract_no",
                            value: parsed.contractNo,
                            code: "import.duplicate-row",
                            message:
                                "contract \(parsed.contractNo) of this institution is also on line \(first); keep one row per contract"
                        ))
                    continue
                }
                seen[parsed.key] = row.line
                chunk.append(parsed)
            } catch {
                report.rejections.append(row.reject(error, default: "contract_no"))
            }
            if chunk.count >= Self.chunkSize {
                try process(chunk, caps: caps, &report)
                chunk.removeAll(keepingCapacity: true)
            }
        }
        try process(chunk, caps: caps, &report)
        report.rejections += rows.shapeErrors
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

    func parse(_ row: ImportRow) throws -> Parsed {
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
            period = ContractPeriod(from: try a.optionalDate("on") ?? context.today, to: try a.date("on"))
        } else {
            a["from"] = .string(row.value("from"))
            a["to"] = .string(row.value("to"))
            let command = try FilingAdd(a)
            period = command.period
        }
        let idNumber = try Store.residentID(row.value("id_number"), field: "id_number", today: context.today)
        let uscc = try Store.creditCode(row.value("institution"), field: "institution")
        return Parsed(
            row: row, idNumber: idNumber, uscc: uscc, contractNo: try a.string("contract_no"), period: period,
            scope: try a.optionalString("scope"), ends: ends, arguments: a)
    }

    func process(_ chunk: [Parsed], caps: [RegionCode: Int?], _ report: inout ImportReport) throws {
        guard !chunk.isEmpty else { return }
        let c = context.connection
        let today = context.today
        // Facts for the whole chunk, fetched in bulk; the physicians locked as filing.add locks them.
        var physicians: [String: PhysicianRecord] = [:]
        var institutions: [String: InstitutionRecord] = [:]
        let idNumbers = Array(Set(chunk.map(\.idNumber)))
        let usccs = Array(Set(chunk.map(\.uscc)))
        let found = try c.query("SELECT id FROM regctl_physicians('{}'::uuid[], \(idNumbers)::text[])").map {
            try $0.decode(0, as: UUID.self)
        }
        try context.store.lock("physician", found)
        let physicianRows = try c.query(
            "SELECT \(Store.physicianColumns) FROM regctl_physicians('{}'::uuid[], \(idNumbers)::text[]) p")
        let institutionRows = try c.query(
            "SELECT \(Store.institutionColumns) FROM regctl_institutions('{}'::uuid[], \(usccs)::text[]) i")
        let subjectIDs =
            try physicianRows.map { try $0.decode("id", as: UUID.self) }
            + institutionRows.map { try $0.decode("id", as: UUID.self) }
        var credit: [UUID: [CreditFacts]] = [:]
        for row in try c.query(
            "SELECT subject, kind, decided_on, until, lifted_on FROM regctl_credit(\(subjectIDs)::uuid[], 'blacklist')")
        {
            credit[try row.decode(0, as: UUID.self), default: []].append(
                CreditFacts(
                    kind: .blacklist, decidedOn: try row.decode(2, as: CalendarDate.self),
                    until: try row.decode(3, as: CalendarDate?.self),
                    liftedOn: try row.decode(4, as: CalendarDate?.self)))
        }
        for row in physicianRows {
            let id = try row.decode("id", as: UUID.self)
            let p = try Store.physicianRecord(row, blacklisted: CreditRules.isBlacklisted(credit[id] ?? [], on: today))
            physicians[p.idNumber] = p
        }
        for row in institutionRows {
            let id = try row.decode("id", as: UUID.self)
            let i = try Store.institutionRecord(
                row, blacklisted: CreditRules.isBlacklisted(credit[id] ?? [], on: today))
            institutions[i.uscc] = i
        }
        let physicianIDs = physicians.values.map(\.id)
        var registrations: [UUID: [RegistrationRecord]] = [:]
        for row in try c.query(Store.registrationFacts(physicians: physicianIDs)) {
            let r = try Store.registrationRecord(row)
            registrations[r.physician, default: []].append(r)
        }
        var active: [UUID: [ActiveFiling]] = [:]
        for row in try c.query(
            "SELECT id, contract_no, valid_from, valid_to, institution, physician FROM regctl_active_filings(\(physicianIDs)::uuid[])"
        ) {
            active[try row.decode("physician", as: UUID.self), default: []].append(try ActiveFiling(row))
        }
        var existing: [String: Existing] = [:]
        let keyed = chunk.compactMap { p in institutions[p.uscc].map { ($0.id, p.contractNo, p.uscc) } }
        for row in try c.query(
            """
            SELECT f.id, i.uscc::text, f.contract_no, f.physician, f.valid_from, f.valid_to, f.scope, f.status, i.region::text
            FROM filing f JOIN institution i ON i.id = f.institution
            JOIN unnest(\(keyed.map(\.0))::uuid[], \(keyed.map(\.1))::text[]) AS k(institution, contract_no)
              ON f.institution = k.institution AND f.contract_no = k.contract_no
            """)
        {
            existing[try row.decode(1, as: String.self) + "\u{1F}" + row.decode(2, as: String.self)] = Existing(
                id: try row.decode(0, as: UUID.self), physician: try row.decode(3, as: UUID.self),
                period: ContractPeriod(
                    from: try row.decode(4, as: CalendarDate.self), to: try row.decode(5, as: CalendarDate.self)),
                scope: try row.decode(6, as: String?.self), active: try row.decode(7, as: String.self) == "active",
                county: try row.decode(8, as: RegionCode.self))
        }

        // The rules, row by row, in file order, on the facts as each accepted row leaves them.
        var inserts: [[String?]] = []
        var ends: [(UUID, CalendarDate)] = []
        var events = EventBatch()
        let actor = context.actor
        for parsed in chunk {
            let row = parsed.row
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
                        report.unchanged += 1
                        continue
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
                    report.updated += 1
                    continue
                }
                let physician = p!
                if let found = existing[parsed.key] {
                    guard found.physician == physician.id else {
                        throw RegctlError(
                            "filing.contract-exists",
                            "this institution already has a filing under contract \(parsed.contractNo) for another physician; a contract number names one contract",
                            rule: "R-25")
                    }
                    if found.period == parsed.period && found.scope == parsed.scope {
                        report.unchanged += 1
                        continue
                    }
                    guard found.active else {
                        throw RegctlError(
                            "filing.contract-exists",
                            "contract \(parsed.contractNo) has ended; a renewal is a new contract with its own number (R-25)",
                            rule: "R-25")
                    }
                    // An update: the new period and scope are checked as a new filing would be, beside the others.
                    let others = (active[physician.id] ?? []).filter { $0.id != found.id }
                    _ = try FilingDecision.add(
                        actor: actor, physician: physician, institution: inst,
                        registrations: registrations[physician.id] ?? [],
                        activeFilings: others, maxActiveFilings: { caps[$0] ?? nil }, period: parsed.period,
                        scope: parsed.scope)
                    try c.execute(
                        "UPDATE filing SET valid_from = \(parsed.period.from), valid_to = \(parsed.period.to), scope = \(parsed.scope) WHERE id = \(found.id)"
                    )
                    active[physician.id] =
                        others + [
                            ActiveFiling(
                                id: found.id, contractNo: parsed.contractNo, period: parsed.period, institution: inst.id
                            )
                        ]
                    existing[parsed.key]?.period = parsed.period
                    existing[parsed.key]?.scope = parsed.scope
                    events.add(
                        actor: actor.id, command: "filing.update", arguments: parsed.arguments,
                        subjects: [found.id, physician.id, inst.id])
                    report.updated += 1
                    continue
                }
                let reg = try FilingDecision.add(
                    actor: actor, physician: physician, institution: inst,
                    registrations: registrations[physician.id] ?? [],
                    activeFilings: active[physician.id] ?? [], maxActiveFilings: { caps[$0] ?? nil },
                    period: parsed.period, scope: parsed.scope)
                let id = UUID()
                inserts.append([
                    id.text, reg.facts.region.province.value, reg.id.text, physician.id.text, inst.id.text,
                    parsed.contractNo,
                    parsed.period.from.description, parsed.period.to.description, parsed.scope,
                    inst.facts.county.value, inst.facts.ownership.rawValue, reg.institutionOwnership, reg.category
                ])
                active[physician.id, default: []].append(
                    ActiveFiling(id: id, contractNo: parsed.contractNo, period: parsed.period, institution: inst.id))
                existing[parsed.key] = Existing(
                    id: id, physician: physician.id, period: parsed.period, scope: parsed.scope, active: true,
                    county: inst.facts.county)
                events.add(
                    actor: actor.id, command: FilingAdd.name, arguments: parsed.arguments,
                    subjects: [id, physician.id, inst.id, reg.id])
                report.added += 1
            } catch let e as PostgresError where e.isConnectionFailure {
                throw e
            } catch {
                report.rejections.append(
                    row.reject(error, default: ContractsImport.column(for: Handler.translate(error).code)))
            }
        }

        // Ends first: a row later in the file may start a contract that only fits once they are written.
        if !ends.isEmpty {
            try c.execute(
                """
                UPDATE filing f SET status = 'ended', ended_on = e.ended_on, end_reason = 'contract-terminated'
                FROM unnest(\(ends.map(\.0))::uuid[], \(ends.map(\.1))::date[]) AS e(id, ended_on) WHERE f.id = e.id
                """)
        }
        if !inserts.isEmpty {
            try SecureCopy.copy(
                c, into: "filing",
                columns:
                    "id, province, registration, physician, institution, contract_no, valid_from, valid_to, scope, host_county, host_ownership, home_ownership, category",
                rows: inserts)
        }
        try events.flush(c)
    }
}
