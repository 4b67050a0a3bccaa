import Dates
import Foundation
import Postgres
import Registration

enum RowOutcome { case added, updated, unchanged }

/// Institutions, physicians, registrations and leaves: each row runs the very command it stands
/// for (same rules, same codes) in a savepoint of the import's one transaction. These files are
/// small (an institution's staff, a county's institutions); contracts, the large ones, go in bulk.
struct RowByRowImport {
    /// The kinds imported row by row (contracts are not one of them).
    enum Kind { case institutions, physicians, registrations, leaves }

    let kind: Kind
    let context: CommandContext

    var keyColumns: [String] {
        switch kind {
        case .institutions: return ["uscc"]
        case .physicians: return ["id_number"]
        case .registrations, .leaves: return ["id_number", "institution"]
        }
    }

    func run(_ rows: inout RowSource, _ report: inout ImportReport) throws {
        var seen: [String: Int] = [:]
        var events = EventBatch()
        while let row = try rows.next() {
            let key = keyColumns.map { row.value($0).uppercased() }.joined(separator: "\u{1F}")
            if let first = seen[key] {
                report.rejections.append(
                    ImportRejection(
                        line: row.line, column: row.headers[keyColumns[0]] ?? keyColumns[0],
                        value: row.masked(keyColumns[0]),
                        code: "import.duplicate-row",
                        message:
                            "the same \(keyColumns.joined(separator: " + ")) as line \(first); keep one row per key"))
                continue
            }
            seen[key] = row.line
            let c = CommandContext(store: context.store, actor: context.actor, today: context.today)
            do {
                let (outcome, command, arguments) = try context.connection.transaction { try apply(row, c) }
                switch outcome {
                case .added: report.added += 1
                case .updated: report.updated += 1
                case .unchanged: report.unchanged += 1
                }
                if outcome != .unchanged {
                    events.add(
                        actor: c.actor.id, command: command, arguments: arguments, subjects: c.touched,
                        details: c.details)
                }
            } catch  where Store.isConnectionFailure(error) {
                throw error
            } catch {
                report.rejections.append(row.reject(error, default: keyColumns[0]))
            }
            if events.rows.count >= 5_000 { try events.flush(context.store) }
        }
        try events.flush(context.store)
        report.rejections += rows.shapeErrors
    }

    private func arguments(_ row: ImportRow, _ names: [String: String]) -> Arguments {
        var a = Arguments()
        for (column, argument) in names where !row.value(column).isEmpty { a[argument] = .string(row.value(column)) }
        return a
    }

    func apply(_ row: ImportRow, _ c: CommandContext) throws -> (RowOutcome, String, Arguments) {
        switch kind {
        case .institutions:
            let a = arguments(
                row,
                [
                    "uscc": "uscc", "name": "name", "region": "region", "ownership": "ownership",
                    "for_profit": "for_profit",
                    "category": "category", "beds": "beds", "license_no": "license_no"
                ])
            let input = try InstitutionInput(a)
            let fetch: SQL =
                "SELECT id, name, region, ownership, for_profit, category, beds, license_no FROM regctl_institutions('{}', ARRAY[\(input.uscc.value)])"
            if let existing = try c.store.readLocked(
                "institution", byID: nil, lock: true, { try c.connection.query(fetch).first })
            {
                let same =
                    try existing.decode(1, as: String.self) == input.name
                    && existing.decode(2, as: String.self) == input.county.value
                    && existing.decode(3, as: String.self) == input.ownership.rawValue
                    && existing.decode(4, as: Bool.self) == input.forProfit
                    && existing.decode(5, as: String.self) == input.category.rawValue
                    && existing.decode(6, as: Int.self) == input.beds
                    && existing.decode(7, as: String?.self) == input.licenseNo
                if same { return (.unchanged, InstitutionAdd.name, a) }
                try Access.requireRegion(
                    c.actor, try existing.decode(2, as: RegionCode.self), to: "change institutions there")
                try Access.requireRegion(c.actor, input.county, to: "record institutions in \(input.county)")
                let id = try existing.decode(0, as: UUID.self)
                try c.connection.execute(
                    """
                    UPDATE institution SET name = \(input.name), region = \(input.county.value), province = \(input.county.province.value),
                           ownership = \(input.ownership.rawValue), for_profit = \(input.forProfit), category = \(input.category.rawValue),
                           beds = \(input.beds), license_no = \(input.licenseNo)
                    WHERE id = \(id)
                    """)
                c.touch(id)
                return (.updated, "institution.update", a)
            }
            _ = try InstitutionAdd(a).run(c)
            return (.added, InstitutionAdd.name, a)

        case .physicians:
            let a = arguments(
                row,
                [
                    "id_number": "id_number", "name": "name", "qualification_no": "qualification_no", "level": "level",
                    "category": "category"
                ])
            let input = try PhysicianInput(a, today: c.today)
            let fetch: SQL =
                "SELECT id, name, qualification_no, level, category FROM regctl_physicians('{}', ARRAY[\(input.idNumber.value)])"
            if let existing = try c.store.readLocked(
                "physician", byID: nil, lock: true, { try c.connection.query(fetch).first })
            {
                guard try existing.decode(3, as: String.self) == input.level.rawValue,
                    try existing.decode(4, as: String.self) == input.category.rawValue
                else {
                    throw RegctlError(
                        "physician.conflict",
                        "the physician is recorded as \(try existing.decode(3, as: String.self)), \(try existing.decode(4, as: String.self)); a change of level or category is a new qualification, not an import",
                        field: "level")
                }
                if try existing.decode(1, as: String.self) == input.name
                    && existing.decode(2, as: String.self) == input.qualificationNo
                {
                    return (.unchanged, PhysicianAdd.name, a)
                }
                try Access.requireRegistrar(c.actor, to: "change physicians")
                let id = try existing.decode(0, as: UUID.self)
                try c.connection.execute(
                    "UPDATE physician SET name = \(input.name), qualification_no = \(input.qualificationNo) WHERE id = \(id)"
                )
                c.touch(id)
                return (.updated, "physician.update", a)
            }
            _ = try PhysicianAdd(a).run(c)
            return (.added, PhysicianAdd.name, a)

        case .registrations:
            var a = arguments(
                row, ["id_number": "physician", "institution": "institution", "scope": "scope", "applied_on": "on"])
            a["id_number"] = a["physician"]
            _ = try PhysicianInput.residentID(a, today: c.today)
            a["id_number"] = nil
            let command = try RegistrationApply(a)
            let p = try c.store.physician(row.value("id_number"))
            let inst = try c.store.institution(row.value("institution"))
            let scopes = Set(try a.optionalList("scope") ?? [])
            if try c.store.registrations(ofPhysician: p.id).contains(where: {
                $0.facts.status.isLive && $0.facts.institution == inst.id.text && Set($0.facts.scopes) == scopes
            }) {
                return (.unchanged, RegistrationApply.name, a)
            }
            _ = try command.run(c)
            return (.added, RegistrationApply.name, a)

        case .leaves:
            var a = arguments(row, ["id_number": "id_number", "on": "on"])
            _ = try PhysicianInput.residentID(a, today: c.today)
            let reasons = [
                "退休": "retired", "辞职": "resigned", "离职": "resigned", "解聘": "dismissed", "辞退": "dismissed",
                "开除": "dismissed",
                "调动": "transferred", "调离": "transferred", "调出": "transferred"
            ]
            a["reason"] = .string(reasons[row.value("reason")] ?? row.value("reason").lowercased())
            let p = try c.store.physician(row.value("id_number"))
            let inst = try c.store.institution(row.value("institution"))
            let day = try a.date("on")
            let regs = try c.store.registrations(ofPhysician: p.id).filter {
                $0.facts.institution == inst.id.text && $0.facts.status.isLive
            }
            guard let reg = regs.first(where: { $0.facts.status == .active || $0.facts.status == .onLeave }) else {
                throw RegctlError(
                    "registration.not-active",
                    "the physician has no active registration with \(inst.facts.name) as primary institution; check the institution column",
                    rule: "R-17", field: "institution")
            }
            if reg.facts.status == .onLeave && reg.facts.leaveSince == day {
                return (.unchanged, RegistrationLeave.name, a)
            }
            a["registration"] = .string(reg.id.text)
            a["id_number"] = nil
            _ = try RegistrationLeave(a).run(c)
            return (.added, RegistrationLeave.name, a)

        }
    }
}
