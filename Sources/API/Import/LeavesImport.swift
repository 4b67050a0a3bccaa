import Dates
import Foundation
import Registration

/// `import leaves`: leaves as `registration leave` records them (the same decision,
/// `RegistrationDecision.leave`, and the same writes, `Store.startLeaves`), the registration found by the
/// physician and its primary institution; one already on leave from that day is unchanged.
struct LeavesImport: BatchImport {
    let context: CommandContext
    static let keyColumns = ["id_number", "institution"]

    struct Row: ParsedRow {
        let row: ImportRow
        let arguments: Arguments
        var key: String { LeavesImport.key(row) }
    }

    static func parse(_ row: ImportRow, today: CalendarDate) throws -> Row {
        var a = Self.arguments(row, ["id_number": "id_number", "on": "on"])
        _ = try PhysicianInput.residentID(a, today: today)
        // The reason as HR writes it (退休, 辞退 …) read by the term's own parser, as every door reads it.
        a["reason"] = .string(LeaveReason(text: row.value("reason"))?.rawValue ?? row.value("reason"))
        return Row(row: row, arguments: a)
    }

    mutating func process(_ chunk: [Row], _ report: inout ImportReport) throws {
        guard !chunk.isEmpty else { return }
        let store = context.store, actor = context.actor
        let idNumbers = chunk.compactMap { try? ResidentID($0.row.value("id_number"), today: context.today).value }
        let institutions = chunk.map { $0.row.value("institution") }
        // The registrations a leave changes are locked first, then read (as the command locks its one).
        try store.lockRegistrations(ofPhysiciansNumbered: idNumbers)
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
