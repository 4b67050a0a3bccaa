import Dates
import Foundation
import Postgres
import Registration

/// A credit record's subject: a physician, a nurse or an institution, by id or natural key.
struct CreditSubject {
    let id: UUID
    let kind: String
    let name: String
    /// Regions a registrar must cover to act on the subject.
    let regions: [RegionCode]

    static func resolve(_ ref: String, _ c: CommandContext) throws -> CreditSubject {
        let key = ref.trimmedASCIIWhitespace
        let upper = key.uppercased()
        let byID = UUID(uuidString: key)
        // Found in every region: who may act on the subject is for the rules below to say (R-70).
        let ids = byID.map { [$0] } ?? [], keys = byID == nil ? [upper] : []
        if let row = try c.connection.query("""
            SELECT p.id, p.name, ARRAY(SELECT r.region FROM regctl_registrations(ARRAY[p.id], '{}') r WHERE r.status <> 'rejected') AS regions
            FROM regctl_physicians(\(ids)::uuid[], \(keys)::text[]) p
            """).first {
            return CreditSubject(id: try row.decode(0, as: UUID.self), kind: "physician", name: try row.decode(1, as: String.self),
                                 regions: try row.decode(2, as: [String].self).compactMap(RegionCode.init))
        }
        if let row = try c.connection.query("""
            SELECT n.id, n.name, ARRAY(SELECT r.county FROM regctl_nurse_registrations(ARRAY[n.id], '{}') r) AS regions
            FROM regctl_nurses(\(ids)::uuid[], \(keys)::text[]) n
            """).first {
            return CreditSubject(id: try row.decode(0, as: UUID.self), kind: "nurse", name: try row.decode(1, as: String.self),
                                 regions: try row.decode(2, as: [String].self).compactMap(RegionCode.init))
        }
        if let row = try c.connection.query("SELECT id, name, region FROM regctl_institutions(\(ids)::uuid[], \(keys)::text[])").first {
            return CreditSubject(id: try row.decode(0, as: UUID.self), kind: "institution", name: try row.decode(1, as: String.self),
                                 regions: [try row.decode(2, as: RegionCode.self)])
        }
        throw notFound(ref)
    }

    static func notFound(_ ref: String) -> RegctlError {
        let key = ref.trimmedASCIIWhitespace
        return Store.notFound("physician, nurse or institution", key.count == 18 ? ResidentID.mask(key.uppercased()) : ref,
                              hint: "give an id, a resident ID number or a unified social credit code")
    }

    func requireAccess(_ c: CommandContext, _ what: String) throws {
        if c.actor.role == .registrar && regions.isEmpty {
            try Access.requireRegistrar(c.actor, to: what)
            return
        }
        try Access.requireInstitution(c.actor, institution: "", regions: regions, to: what)
    }
}

/// `credit add --subject X --kind K --on DATE --document REF [--until DATE] [--note TEXT]` (R-60).
public struct CreditAdd: Command {
    public static let name = "credit.add"
    let subject: String, kind: CreditKind, on: CalendarDate, document: String, until: CalendarDate?, note: String?

    public init(_ a: Arguments) throws {
        subject = try a.string("subject")
        kind = try a.choice("kind", CreditKind.self)
        on = try a.date("on")
        document = try a.string("document")
        until = try a.optionalDate("until")
        note = try a.optionalString("note")
    }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        let on = try c.decisionDay(on)
        let s = try CreditSubject.resolve(subject, c)
        try s.requireAccess(c, "record credit events for \(s.name)")
        try CreditRules.checkNew(decidedOn: on, until: until)
        let id = UUID()
        try c.connection.execute("""
            INSERT INTO credit_record (id, subject, subject_kind, province, kind, decided_on, document, until, note)
            VALUES (\(id), \(s.id), \(s.kind), \(s.regions.first?.province.value), \(kind.rawValue), \(on), \(document), \(until), \(note))
            """)
        c.touch(id, s.id)
        return CommandOutput(id: id.text, fields: [("subject_kind", .text(s.kind)), ("kind", .text(kind.rawValue)), ("public", .bool(kind.isPublic))])
    }
}

/// `credit lift CREDIT --on DATE`.
public struct CreditLift: Command {
    public static let name = "credit.lift"
    let ref: String, on: CalendarDate

    public init(_ a: Arguments) throws {
        ref = try a.string("credit")
        on = try a.date("on")
    }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        let on = try c.decisionDay(on)
        guard let id = UUID(uuidString: ref) else { throw RegctlError("input.id", "\(Arguments.shown(ref)) is not a credit record id (see regctl credit list)", status: .usage) }
        guard let seen = try c.connection.query("SELECT subject FROM credit_record WHERE id = \(id)").first else {
            throw Store.notFound("credit record", ref, hint: "see regctl credit list --subject X")
        }
        let s = try CreditSubject.resolve(try seen.decode(0, as: UUID.self).text, c)
        try s.requireAccess(c, "lift credit records of \(s.name)")
        guard let row = try c.connection.query("""
            SELECT subject, kind, decided_on, until, lifted_on FROM credit_record WHERE id = \(id) FOR UPDATE
            """).first else {
            throw RegctlError("permission.denied", "\(c.actor.id) may not change credit record \(id): the database does not show it to this account for writing (R-70)", rule: "R-70")
        }
        try CreditRules.lift(CreditFacts(kind: try row.decode(1, as: CreditKind.self), decidedOn: try row.decode(2, as: CalendarDate.self),
                                         until: try row.decode(3, as: CalendarDate?.self), liftedOn: try row.decode(4, as: CalendarDate?.self)), on: on)
        try c.connection.execute("UPDATE credit_record SET lifted_on = \(on) WHERE id = \(id)")
        c.touch(id, s.id)
        return CommandOutput(fields: [("credit", .text(id.text)), ("lifted_on", .text(on.description))])
    }
}

/// `credit list [--subject X] [--kind K] [--in-force]`.
public struct CreditList: Command {
    public static let name = "credit.list"
    let subject: String?, kind: CreditKind?, inForce: Bool

    public init(_ a: Arguments) throws {
        subject = try a.optionalString("subject")
        kind = try a.optionalChoice("kind", CreditKind.self)
        inForce = try a.bool("in_force")
    }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        let sid = try subject.map { ref -> UUID in
            let s = try CreditSubject.resolve(ref, c)
            // R-72: a person outside the reader's scope is not found, as one nobody recorded.
            if s.kind != "institution" {
                try Store.requireInScope(s.kind, s.id, c, else: CreditSubject.notFound(ref))
            }
            return s.id
        }
        let rows = try c.connection.query("""
            SELECT cr.id, cr.subject_kind, coalesce(p.name, n.name, i.name) AS subject_name, cr.subject, cr.kind, cr.decided_on, cr.until,
                   cr.lifted_on, cr.document, cr.note
            FROM credit_record cr LEFT JOIN physician p ON p.id = cr.subject LEFT JOIN nurse n ON n.id = cr.subject
            LEFT JOIN institution i ON i.id = cr.subject
            WHERE (\(sid)::uuid IS NULL OR cr.subject = \(sid)) AND (\(kind?.rawValue)::text IS NULL OR cr.kind = \(kind?.rawValue))
            ORDER BY cr.decided_on, cr.id
            """).compactMap { row -> [Cell]? in
            let facts = CreditFacts(kind: try row.decode("kind", as: CreditKind.self), decidedOn: try row.decode("decided_on", as: CalendarDate.self),
                                    until: try row.decode("until", as: CalendarDate?.self), liftedOn: try row.decode("lifted_on", as: CalendarDate?.self))
            let active = CreditRules.isInForce(facts, on: c.today)
            if inForce && !active { return nil }
            return [.text(try row.decode("id", as: UUID.self).text), .text(try row.decode("subject_kind", as: String.self)),
                    Cell(try row.decode("subject_name", as: String?.self)), .text(facts.kind.rawValue), .text(facts.decidedOn.description),
                    Cell(facts.until?.description), Cell(facts.liftedOn?.description), .bool(active), .bool(facts.kind.isPublic),
                    .text(try row.decode("document", as: String.self)), Cell(try row.decode("note", as: String?.self))]
        }
        return CommandOutput(table: ResultTable(columns: ["id", "subject_kind", "subject", "kind", "decided_on", "until", "lifted_on", "in_force", "public", "document", "note"], rows: rows))
    }
}

/// `inspect draw --region CODE --institutions N --inspectors M --seed SEED` (R-62, 双随机).
public struct InspectDraw: Command {
    public static let name = "inspect.draw"
    let region: RegionCode, institutions: Int, inspectors: Int, seed: String

    public init(_ a: Arguments) throws {
        region = try a.region("region")
        institutions = try a.int("institutions")
        inspectors = try a.int("inspectors")
        seed = try a.string("seed")
        guard institutions >= 0, inspectors >= 0 else {
            throw Arguments.usage("input.number", institutions < 0 ? "institutions" : "inspectors", "give 0 or more")
        }
    }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        _ = try Store.requireRegion(region, field: "region", c)
        try Access.requireRegion(c.actor, region, to: "draw spot checks in \(region)")
        // Candidates in a fixed order (credit code; staff id), so the draw depends only on seed and data.
        let candidates = try c.connection.query("""
            SELECT id, uscc::text, name FROM institution WHERE status = 'active' AND \(regionFilter("region", region)) ORDER BY uscc
            """).map { (try $0.decode(0, as: UUID.self), try $0.decode(1, as: String.self), try $0.decode(2, as: String.self)) }
        let staff = try c.connection.query("""
            SELECT id, name FROM staff WHERE active AND role IN ('registrar', 'analyst') AND region IS NOT NULL AND \(regionFilter("region", region)) ORDER BY id
            """).map { (try $0.decode(0, as: String.self), try $0.decode(1, as: String.self)) }
        var draw = SeededDraw(seed: "institutions:" + seed)
        let chosen = draw.sample(candidates, count: institutions)
        var inspectorDraw = SeededDraw(seed: "inspectors:" + seed)
        let team = inspectorDraw.sample(staff, count: inspectors)
        c.touched += chosen.map(\.0)
        c.details = """
            {"seed": \(JSONText.quote(seed)), "region": "\(region)", "candidates": {"institutions": \(candidates.count), "inspectors": \(staff.count)}, \
            "institutions": [\(chosen.map { JSONText.quote($0.1) }.joined(separator: ", "))], "inspectors": [\(team.map { JSONText.quote($0.0) }.joined(separator: ", "))]}
            """
        var rows: [[Cell]] = chosen.enumerated().map { [.text("institution"), .int($0.offset + 1), .text($0.element.1), .text($0.element.2)] }
        rows += team.enumerated().map { [.text("inspector"), .int($0.offset + 1), .text($0.element.0), .text($0.element.1)] }
        var notes: [String] = []
        if chosen.count < institutions { notes.append("note: only \(candidates.count) active institutions in \(region); all are drawn") }
        if team.count < inspectors { notes.append("note: only \(staff.count) staff of \(region) to draw inspectors from; all are drawn") }
        return CommandOutput(table: ResultTable(columns: ["draw", "order", "key", "name"], rows: rows), notes: notes)
    }
}

/// `maintain [--on DATE]`: the daily run; idempotent, and it catches up on missed days.
public struct Maintain: Command {
    public static let name = "maintain"
    let on: CalendarDate?
    public init(_ a: Arguments) throws { on = try a.optionalDate("on") }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        try Access.requireAdmin(c.actor, to: "run the daily maintenance")
        let day = on ?? c.today
        // R-24: a filing whose contract ended before today has ended (FilingRules.endDay: on its last day).
        let filings = try FilingStore.endActive("filing", where: "valid_to < \(day)", on: day, reason: "contract-ended", c)
        let nurseFilings = try FilingStore.endActive("nurse_filing", where: "valid_to < \(day)", on: day, reason: "contract-ended", c)
        // R-18: two full years on leave lapse (leave-2y), cancelled on the day they lapsed.
        var lapsed = 0
        for row in try c.connection.query("SELECT id, physician, leave_since FROM registration WHERE status = 'on-leave' ORDER BY id FOR UPDATE") {
            let ends = RegistrationRules.leaveEnds(since: try row.decode(2, as: CalendarDate.self))
            guard ends <= day else { continue }
            _ = try RegistrationStore.cancel(try row.decode(0, as: UUID.self), physician: try row.decode(1, as: UUID.self), reason: .leaveTwoYears, on: ends, c)
            lapsed += 1
        }
        // R-50: nurse registrations past their five years expire.
        let expired = try c.connection.query("""
            UPDATE nurse_registration SET status = 'expired' WHERE status = 'active' AND expires_on <= \(day) RETURNING id
            """).map { try $0.decode(0, as: UUID.self) }
        c.touched += expired
        // R-54: regional filings end with their pilot.
        let pilotEnded = try NurseStore.endUncoveredFilings(on: day, c)
        // The national multi-site figures for the day, counted once here rather than per reader.
        let snapshot = try MultisiteReport.snapshot(on: day, c)
        // R-71: the day's events sealed into the chain, and its head recorded with this run's event.
        let sealed = try EventChain.sealAll(c.connection)
        let head = try EventChain.head(c.connection)
        c.details = """
            {"on": "\(day)", "filings_ended": \(filings), "nurse_filings_ended": \(nurseFilings), "leave_2y_cancelled": \(lapsed), \
            "nurse_registrations_expired": \(expired.count), "pilot_filings_ended": \(pilotEnded), \
            "chain_head": {"seq": \(head?.seq ?? 0), "hash": "\(head?.hash ?? "")"}}
            """
        return CommandOutput(table: ResultTable(columns: ["change", "count"], rows: [
            [.text("filings ended at contract end (R-24)"), .int(filings)],
            [.text("nurse filings ended at contract end"), .int(nurseFilings)],
            [.text("registrations cancelled after two years on leave (R-18)"), .int(lapsed)],
            [.text("nurse registrations expired (R-50)"), .int(expired.count)],
            [.text("regional nurse filings ended with their pilot (R-54)"), .int(pilotEnded)],
            [.text("national multi-site figures precomputed (rows)"), .int(snapshot)],
            [.text("events sealed into the chain (R-71)"), .int(sealed)],
        ]), notes: head.map { ["event chain head: seq \($0.seq) hash \($0.hash) (ship it out: regctl events head)"] } ?? [])
    }
}
