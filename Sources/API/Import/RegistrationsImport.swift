import Dates
import Foundation
import Registration

/// `import registrations`: applications as `registration apply` makes them (the same decision,
/// `RegistrationDecision.apply`); a live registration at the same institution with the same scopes is
/// unchanged.
struct RegistrationsImport: BatchImport {
    let context: CommandContext
    static let keyColumns = ["id_number", "institution"]

    struct Row: ParsedRow {
        let row: ImportRow
        let command: RegistrationApply
        let arguments: Arguments
        var key: String { RegistrationsImport.key(row) }
    }

    static func parse(_ row: ImportRow, today: CalendarDate) throws -> Row {
        var a = Self.arguments(
            row, ["id_number": "physician", "institution": "institution", "scope": "scope", "applied_on": "on"])
        a["id_number"] = a["physician"]
        _ = try PhysicianInput.residentID(a, today: today)
        a["id_number"] = nil
        return Row(row: row, command: try RegistrationApply(a), arguments: a)
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
