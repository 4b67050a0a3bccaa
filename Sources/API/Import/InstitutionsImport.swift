import Dates
import Foundation
import Registration

/// `import institutions`: new institutions as `institution add` records them (the same decision,
/// `InstitutionDecision.add`); a known credit code with other values updates the record.
struct InstitutionsImport: BatchImport {
    let context: CommandContext
    static let keyColumns = ["uscc"]

    struct Row: ParsedRow {
        let row: ImportRow
        let input: InstitutionInput
        let arguments: Arguments
        var key: String { input.uscc.value }
    }

    static func parse(_ row: ImportRow, today: CalendarDate) throws -> Row {
        let a = Self.arguments(
            row,
            [
                "uscc": "uscc", "name": "name", "region": "region", "ownership": "ownership",
                "for_profit": "for_profit",
                "category": "category", "beds": "beds", "license_no": "license_no"
            ])
        return Row(row: row, input: try InstitutionInput(a), arguments: a)
    }

    mutating func process(_ chunk: [Row], _ report: inout ImportReport) throws {
        guard !chunk.isEmpty else { return }
        let store = context.store, actor = context.actor
        let existing = try store.institutionsForImport(usccs: chunk.map(\.input.uscc.value))
        let regions = try store.regionLevels(chunk.flatMap { InstitutionDecision.regionsToKnow($0.input) })
        var added: [NewInstitution] = [], updated: [NewInstitution] = []
        var events = EventBatch()
        try decideEach(chunk, &report) { parsed in
            let input = parsed.input
            if let old = existing[input.uscc.value] {
                let same =
                    old.name == input.name && old.county == input.county && old.ownership == input.ownership.rawValue
                    && old.forProfit == input.forProfit && old.category == input.category.rawValue
                    && old.beds == input.beds && old.licenseNo == input.licenseNo
                if same {
                    return .unchanged
                }
                try Access.requireRegion(actor, old.county, to: "change institutions there")
                try Access.requireRegion(actor, input.county, to: "record institutions in \(input.county)")
                updated.append(input.record(id: old.id))
                events.add(
                    actor: actor.id, command: "institution.update", arguments: parsed.arguments, subjects: [old.id])
                return .updated
            }
            _ = try InstitutionDecision.add(actor: actor, input: input, regions: regions)
            let record = input.record(id: UUID.random())
            added.append(record)
            events.add(
                actor: actor.id, command: InstitutionAdd.name, arguments: parsed.arguments, subjects: [record.id])
            return .added
        }
        try store.updateInstitutions(updated)
        try store.addInstitutions(added)
        try events.flush(store)
    }
}
