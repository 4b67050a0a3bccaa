import Dates
import Foundation
import Registration

/// `import physicians`: new physicians as `physician add` records them; a known ID number with another
/// name or qualification number updates the record; another level or category is refused.
struct PhysiciansImport: BatchImport {
    let context: CommandContext
    static let keyColumns = ["id_number"]

    struct Row: ParsedRow {
        let row: ImportRow
        let input: PhysicianInput
        let arguments: Arguments
        var key: String { input.idNumber.value }
    }

    static func parse(_ row: ImportRow, today: CalendarDate) throws -> Row {
        let a = Self.arguments(
            row,
            [
                "id_number": "id_number", "name": "name", "qualification_no": "qualification_no", "level": "level",
                "category": "category"
            ])
        return Row(row: row, input: try PhysicianInput(a, today: today), arguments: a)
    }

    mutating func process(_ chunk: [Row], _ report: inout ImportReport) throws {
        guard !chunk.isEmpty else { return }
        let store = context.store, actor = context.actor
        let existing = try store.physiciansForImport(idNumbers: chunk.map(\.input.idNumber.value))
        var added: [NewPhysician] = [], updated: [(id: UUID, name: String, qualificationNo: String)] = []
        var events = EventBatch()
        try decideEach(chunk, &report) { parsed in
            let input = parsed.input
            if let old = existing[input.idNumber.value] {
                guard old.level == input.level.rawValue, old.category == input.category.rawValue else {
                    throw RegctlError(
                        "physician.conflict",
                        "the physician is recorded as \(old.level), \(old.category); a change of level or category is a new qualification, not an import",
                        field: "level")
                }
                if old.name == input.name && old.qualificationNo == input.qualificationNo {
                    return .unchanged
                }
                try Access.requireRegistrar(actor, to: "change physicians")
                updated.append((old.id, input.name, input.qualificationNo))
                events.add(
                    actor: actor.id, command: "physician.update", arguments: parsed.arguments, subjects: [old.id])
                return .updated
            }
            try Access.requireRegistrar(actor, to: "record physicians")
            let record = input.record(id: UUID.random())
            added.append(record)
            events.add(actor: actor.id, command: PhysicianAdd.name, arguments: parsed.arguments, subjects: [record.id])
            return .added
        }
        try store.updatePhysicians(updated)
        try store.addPhysicians(added)
        try events.flush(store)
    }
}
