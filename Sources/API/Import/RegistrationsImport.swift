import Dates
import Foundation
import Registration

/// Resolving what import rows name, for a chunk at once: physicians by resident ID number, institutions
/// by id or credit code, with the refusals the commands give for a name that finds nothing.
struct ChunkPeople {
    var physicians: [String: PhysicianRecord] = [:]
    var institutions: [String: InstitutionRecord] = [:]
    var registrations: [UUID: [RegistrationRecord]] = [:]

    /// Reads the physicians (locked when `lock`), institutions and the physicians' registrations of `rows`.
    init(_ store: Store, idNumbers: [String], institutions refs: [String], lock: Bool) throws {
        for p in try store.physicians(idNumbers: Array(Set(idNumbers)), lock: lock) { physicians[p.idNumber] = p }
        let keys = refs.map(\.trimmedASCIIWhitespace)
        let ids = keys.compactMap(UUID.init(uuidString:))
        let usccs = keys.filter { UUID(uuidString: $0) == nil }.compactMap { try? CreditCode($0).value }
        for i in try store.institutions(ids: Array(Set(ids)), usccs: Array(Set(usccs))) {
            institutions[i.uscc] = i
            institutions[i.id.text] = i
        }
        registrations = Dictionary(
            grouping: try store.registrations(ofPhysicians: physicians.values.map(\.id)), by: \.physician)
    }

    /// The physician a row names (its ID number checked for form first), as `Store.physician` finds one.
    func physician(_ ref: String, today: CalendarDate) throws -> PhysicianRecord {
        let number = try Store.residentID(ref.trimmedASCIIWhitespace, field: "physician", today: today)
        guard let p = physicians[number] else { throw Store.physicianNotFound(ref) }
        return p
    }

    /// The institution a row names, as `Store.institution` finds one.
    func institution(_ ref: String) throws -> InstitutionRecord {
        let key = ref.trimmedASCIIWhitespace
        if let id = UUID(uuidString: key) {
            guard let found = institutions[id.text] else { throw Store.institutionNotFound(ref) }
            return found
        }
        guard let found = institutions[try Store.creditCode(key, field: "institution")] else {
            throw Store.institutionNotFound(ref)
        }
        return found
    }
}

/// `import registrations`: applications as `registration apply` makes them (the same decision,
/// `RegistrationDecision.apply`); a live registration at the same institution with the same scopes is
/// unchanged.
struct RegistrationsImport: BatchImport {
    let context: CommandContext
    let keyColumn = "id_number"

    struct Row: ParsedRow {
        let row: ImportRow
        let command: RegistrationApply
        let arguments: Arguments
        var key: String {
            [row.value("id_number"), row.value("institution")].map { $0.uppercased() }.joined(separator: "\u{1F}")
        }
    }

    func parse(_ row: ImportRow) throws -> Row {
        var a = Self.arguments(
            row, ["id_number": "physician", "institution": "institution", "scope": "scope", "applied_on": "on"])
        a["id_number"] = a["physician"]
        _ = try PhysicianInput.residentID(a, today: context.today)
        a["id_number"] = nil
        return Row(row: row, command: try RegistrationApply(a), arguments: a)
    }

    func duplicateMessage(_ row: Row, firstLine: Int) -> String {
        "the same id_number + institution as line \(firstLine); keep one row per key"
    }

    mutating func process(_ chunk: [Row], _ report: inout ImportReport) throws {
        guard !chunk.isEmpty else { return }
        let store = context.store, actor = context.actor
        var facts = try ChunkPeople(
            store,
            idNumbers: chunk.compactMap { try? ResidentID($0.row.value("id_number"), today: context.today).value },
            institutions: chunk.map { $0.row.value("institution") }, lock: true)
        var added: [NewRegistration] = []
        var events = EventBatch()
        try decideEach(chunk, &report) { parsed in
            let p = try facts.physician(parsed.row.value("id_number"), today: context.today)
            let inst = try facts.institution(parsed.row.value("institution"))
            let scopes = parsed.command.scopes
            let existing = facts.registrations[p.id] ?? []
            if existing.contains(where: {
                $0.facts.status.isLive && $0.institution == inst.id && Set($0.facts.scopes) == Set(scopes)
            }) {
                return .unchanged
            }
            let day = try context.decisionDay(parsed.command.on)
            let application = try RegistrationDecision.apply(
                actor: actor, physician: p, institution: inst, scopes: scopes, existing: existing, on: day)
            let registration = NewRegistration(
                physician: p, institution: inst.id, application: application, scopes: scopes, appliedOn: day)
            added.append(registration)
            facts.registrations[p.id, default: []].append(RegistrationDecision.pending(registration, institution: inst))
            events.add(
                actor: actor.id, command: RegistrationApply.name, arguments: parsed.arguments,
                subjects: [registration.id, p.id, inst.id])
            return .added
        }
        try store.addRegistrations(added)
        try events.flush(store)
    }
}

/// `import leaves`: leaves as `registration leave` records them (the same decision,
/// `RegistrationDecision.leave`, and the same writes, `Store.startLeaves`), the registration found by the
/// physician and its primary institution; one already on leave from that day is unchanged.
struct LeavesImport: BatchImport {
    let context: CommandContext
    let keyColumn = "id_number"

    /// The reasons HR files give, in Chinese, to the reasons of R-17.
    static let reasons = [
        "退休": "retired", "辞职": "resigned", "离职": "resigned", "解聘": "dismissed", "辞退": "dismissed", "开除": "dismissed",
        "调动": "transferred", "调离": "transferred", "调出": "transferred"
    ]

    struct Row: ParsedRow {
        let row: ImportRow
        let arguments: Arguments
        var key: String {
            [row.value("id_number"), row.value("institution")].map { $0.uppercased() }.joined(separator: "\u{1F}")
        }
    }

    func parse(_ row: ImportRow) throws -> Row {
        var a = Self.arguments(row, ["id_number": "id_number", "on": "on"])
        _ = try PhysicianInput.residentID(a, today: context.today)
        a["reason"] = .string(Self.reasons[row.value("reason")] ?? row.value("reason").lowercased())
        return Row(row: row, arguments: a)
    }

    func duplicateMessage(_ row: Row, firstLine: Int) -> String {
        "the same id_number + institution as line \(firstLine); keep one row per key"
    }

    mutating func process(_ chunk: [Row], _ report: inout ImportReport) throws {
        guard !chunk.isEmpty else { return }
        let store = context.store, actor = context.actor
        let idNumbers = chunk.compactMap { try? ResidentID($0.row.value("id_number"), today: context.today).value }
        let institutions = chunk.map { $0.row.value("institution") }
        // The registrations a leave changes are locked first, then read again (as the command locks its one).
        let found = try ChunkPeople(store, idNumbers: idNumbers, institutions: institutions, lock: false)
        try store.lockRegistrations(found.registrations.values.flatMap { $0 }.map(\.id))
        var facts = try ChunkPeople(store, idNumbers: idNumbers, institutions: institutions, lock: false)
        var leaves: [NewLeave] = []
        var accepted: [(leave: NewLeave, arguments: Arguments)] = []
        try decideEach(chunk, &report) { parsed in
            var a = parsed.arguments
            let p = try facts.physician(parsed.row.value("id_number"), today: context.today)
            let inst = try facts.institution(parsed.row.value("institution"))
            let day = try a.date("on")
            let live = (facts.registrations[p.id] ?? []).filter { $0.institution == inst.id && $0.facts.status.isLive }
            guard let reg = live.first(where: { $0.facts.status == .active || $0.facts.status == .onLeave }) else {
                throw RegctlError(
                    "registration.not-active",
                    "the physician has no active registration with \(inst.facts.name) as primary institution; check the institution column",
                    rule: "R-17", field: "institution")
            }
            if reg.facts.status == .onLeave && reg.facts.leaveSince == day { return .unchanged }
            a["registration"] = .string(reg.id.text)
            a["id_number"] = nil
            let command = try RegistrationLeave(a)
            let on = try context.decisionDay(command.on)
            try RegistrationDecision.leave(actor: actor, registration: reg, on: on)
            let leave = NewLeave(registration: reg.id, physician: p.id, on: on, reason: command.reason)
            leaves.append(leave)
            accepted.append((leave, a))
            facts.markOnLeave(reg.id, of: p.id, since: on)
            return .added
        }
        let ended = try store.startLeaves(leaves)
        var events = EventBatch()
        for (leave, arguments) in accepted {
            events.add(
                actor: actor.id, command: RegistrationLeave.name, arguments: arguments,
                subjects: (ended[leave.registration] ?? []) + [leave.registration, leave.physician])
        }
        try events.flush(store)
    }
}

extension ChunkPeople {
    /// A leave accepted earlier in the chunk, as the rules see it for the rows after.
    mutating func markOnLeave(_ registration: UUID, of physician: UUID, since day: CalendarDate) {
        guard var regs = registrations[physician], let i = regs.firstIndex(where: { $0.id == registration }) else {
            return
        }
        var f = regs[i].facts
        f.status = .onLeave
        f.leaveSince = day
        let r = regs[i]
        regs[i] = RegistrationRecord(
            id: r.id, physician: r.physician, institution: r.institution, appliedOn: r.appliedOn, category: r.category,
            institutionOwnership: r.institutionOwnership, facts: f)
        registrations[physician] = regs
    }
}
