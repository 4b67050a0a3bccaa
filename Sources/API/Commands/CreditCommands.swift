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
        // Found in every region: who may act on the subject is for the rules below to say.
        let ids = byID.map { [$0] } ?? [], keys = byID == nil ? [upper] : []
        if let row = try c.connection.query(
            """
            SELECT p.id, p.name, ARRAY(SELECT r.region FROM regctl_registrations(ARRAY[p.id], '{}') r WHERE r.status <> 'rejected') AS regions
            FROM regctl_physicians(\(ids)::uuid[], \(keys)::text[]) p
            """
        ).first {
            return CreditSubject(
                id: try row.decode(0, as: UUID.self), kind: "physician", name: try row.decode(1, as: String.self),
                regions: try row.decode(2, as: [String].self).compactMap(RegionCode.init))
        }
        if let row = try c.connection.query(
            """
            SELECT n.id, n.name, ARRAY(SELECT r.county FROM regctl_nurse_registrations(ARRAY[n.id], '{}') r) AS regions
            FROM regctl_nurses(\(ids)::uuid[], \(keys)::text[]) n
            """
        ).first {
            return CreditSubject(
                id: try row.decode(0, as: UUID.self), kind: "nurse", name: try row.decode(1, as: String.self),
                regions: try row.decode(2, as: [String].self).compactMap(RegionCode.init))
        }
        if let row = try c.connection.query(
            "SELECT id, name, region FROM regctl_institutions(\(ids)::uuid[], \(keys)::text[])"
        ).first {
            return CreditSubject(
                id: try row.decode(0, as: UUID.self), kind: "institution", name: try row.decode(1, as: String.self),
                regions: [try row.decode(2, as: RegionCode.self)])
        }
        throw notFound(ref)
    }

    static func notFound(_ ref: String) -> RegctlError {
        let key = ref.trimmedASCIIWhitespace
        return Store.notFound(
            "physician, nurse or institution", key.count == 18 ? ResidentID.mask(key.uppercased()) : ref,
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

/// `credit add --subject X --kind K --on DATE --document REF [--until DATE] [--note TEXT]`.
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
        try c.connection.execute(
            """
            INSERT INTO credit_record (id, subject, subject_kind, province, kind, decided_on, document, until, note)
            VALUES (\(id), \(s.id), \(s.kind), \(s.regions.first?.province.value), \(kind.rawValue), \(on), \(document), \(until), \(note))
            """)
        c.touch(id, s.id)
        return CommandOutput(
            id: id.text,
            fields: [("subject_kind", .text(s.kind)), ("kind", .text(kind.rawValue)), ("public", .bool(kind.isPublic))])
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
        guard let id = UUID(uuidString: ref) else {
            throw RegctlError(
                "input.id", "\(Quoted.value(ref)) is not a credit record id (see regctl credit list)", status: .usage
            )
        }
        guard let seen = try c.connection.query("SELECT subject FROM credit_record WHERE id = \(id)").first else {
            throw Store.notFound("credit record", ref, hint: "see regctl credit list --subject X")
        }
        let s = try CreditSubject.resolve(try seen.decode(0, as: UUID.self).text, c)
        try s.requireAccess(c, "lift credit records of \(s.name)")
        guard
            let row = try c.connection.query(
                """
                SELECT subject, kind, decided_on, until, lifted_on FROM credit_record WHERE id = \(id) FOR UPDATE
                """
            ).first
        else {
            throw RegctlError(
                "permission.denied",
                "\(c.actor.id) may not change credit record \(id): the database does not show it to this account for writing (R-70)",
                rule: "R-70")
        }
        try CreditRules.lift(
            CreditFacts(
                kind: try row.decode(1, as: CreditKind.self), decidedOn: try row.decode(2, as: CalendarDate.self),
                until: try row.decode(3, as: CalendarDate?.self), liftedOn: try row.decode(4, as: CalendarDate?.self)),
            on: on)
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
            // a person outside the reader's scope is not found, as one nobody recorded.
            if s.kind != "institution" {
                try c.store.requireInScope(s.kind, s.id, else: CreditSubject.notFound(ref))
            }
            return s.id
        }
        let rows = try c.connection.query(
            """
            SELECT cr.id, cr.subject_kind, coalesce(p.name, n.name, i.name) AS subject_name, cr.subject, cr.kind, cr.decided_on, cr.until,
                   cr.lifted_on, cr.document, cr.note
            FROM credit_record cr LEFT JOIN physician p ON p.id = cr.subject LEFT JOIN nurse n ON n.id = cr.subject
            LEFT JOIN institution i ON i.id = cr.subject
            WHERE (\(sid)::uuid IS NULL OR cr.subject = \(sid)) AND (\(kind?.rawValue)::text IS NULL OR cr.kind = \(kind?.rawValue))
            ORDER BY cr.decided_on, cr.id
            """
        ).compactMap { row -> [Cell]? in
            let facts = CreditFacts(
                kind: try row.decode("kind", as: CreditKind.self),
                decidedOn: try row.decode("decided_on", as: CalendarDate.self),
                until: try row.decode("until", as: CalendarDate?.self),
                liftedOn: try row.decode("lifted_on", as: CalendarDate?.self))
            let active = CreditRules.isInForce(facts, on: c.today)
            if inForce && !active { return nil }
            return [
                .text(try row.decode("id", as: UUID.self).text), .text(try row.decode("subject_kind", as: String.self)),
                Cell(try row.decode("subject_name", as: String?.self)), .text(facts.kind.rawValue),
                .text(facts.decidedOn.description),
                Cell(facts.until?.description), Cell(facts.liftedOn?.description), .bool(active),
                .bool(facts.kind.isPublic),
                .text(try row.decode("document", as: String.self)), Cell(try row.decode("note", as: String?.self))
            ]
        }
        return CommandOutput(
            table: ResultTable(
                columns: [
                    "id", "subject_kind", "subject", "kind", "decided_on", "until", "lifted_on", "in_force", "public",
                    "document", "note"
                ], rows: rows))
    }
}
