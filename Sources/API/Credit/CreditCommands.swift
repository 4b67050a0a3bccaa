import Dates
import Foundation
import Registration

/// Finding a credit record's subject and who may act on it.
extension CreditSubject {
    static func resolve(_ ref: String, _ c: CommandContext) throws -> CreditSubject {
        guard let s = try c.store.creditSubject(ref) else { throw notFound(ref) }
        return s
    }

    static func notFound(_ ref: String) -> RegctlError {
        // 18 characters may be a person's number: quoted back masked, as every person's key is.
        Store.notFound(
            "physician, nurse or institution", ResidentID.quotedBack(ref),
            hint: "give an id, a resident ID number or a unified social credit code")
    }

    func requireAccess(_ c: CommandContext, _ what: String) throws {
        if c.actor.role == .registrar && regions.isEmpty {
            try Access.requireRegistrar(c.actor, to: what)
            return
        }
        try Access.requireInstitution(c.actor, institution: nil, regions: regions, to: what)
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
        let id = UUID.random()
        try c.store.addCreditRecord(
            NewCreditRecord(
                id: id, subject: s, kind: kind, decidedOn: on, document: document, until: until, note: note))
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
        let id = try c.store.recordID(ref, in: .creditRecord, of: "credit record", printedBy: "credit list")
        guard let seen = try c.store.creditRecordSubject(id) else {
            throw Store.notFound("credit record", ref, hint: "see regctl credit list --subject X")
        }
        let s = try CreditSubject.resolve(seen.text, c)
        try s.requireAccess(c, "lift credit records of \(s.name)")
        guard let facts = try c.store.creditRecordLocked(id) else {
            throw RegctlError(
                "permission.denied",
                "\(c.actor.id) may not change credit record \(id): the database does not show it to this account for writing (R-70)",
                rule: "R-70")
        }
        try CreditRules.lift(facts, on: on)
        try c.store.liftCreditRecord(id, on: on)
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
        let rows = try c.store.creditRecords(subject: sid, kind: kind).compactMap { r -> [Cell]? in
            let facts = r.facts
            let active = CreditRules.isInForce(facts, on: c.today)
            if inForce && !active { return nil }
            return [
                .text(r.id.text), .text(r.subjectKind), Cell(r.subjectName), .text(facts.kind.rawValue),
                .text(facts.decidedOn.description), Cell(facts.until?.description), Cell(facts.liftedOn?.description),
                .bool(active), .bool(facts.kind.isPublic), .text(r.document), Cell(r.note)
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
