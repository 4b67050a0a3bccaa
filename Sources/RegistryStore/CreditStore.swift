import Dates
import Foundation
import Postgres
import Registration

/// A credit record's subject: a physician, a nurse or an institution, with the regions a registrar must
/// cover to act on it.
public struct CreditSubject: Sendable {
    public let id: UUID
    /// `physician`, `nurse` or `institution`.
    public let kind: String
    public let name: String
    public let regions: [RegionCode]
}

/// A credit record to write.
public struct NewCreditRecord: Sendable {
    public let id: UUID
    public let subject: CreditSubject
    public let kind: CreditKind
    public let decidedOn: CalendarDate
    public let document: String
    public let until: CalendarDate?
    public let note: String?

    public init(
        id: UUID = UUID.random(), subject: CreditSubject, kind: CreditKind, decidedOn: CalendarDate, document: String,
        until: CalendarDate?, note: String?
    ) {
        self.id = id
        self.subject = subject
        self.kind = kind
        self.decidedOn = decidedOn
        self.document = document
        self.until = until
        self.note = note
    }
}

/// A line of `credit list`.
public struct CreditListing: Sendable {
    public let id: UUID
    public let subjectKind: String
    public let subjectName: String?
    public let facts: CreditFacts
    public let document: String
    public let note: String?
}

extension Store {
    /// The subject by id, resident ID number or credit code, found in every region: who may act on it is
    /// for the rules to say. Nil when none has the key.
    public func creditSubject(_ ref: String) throws -> CreditSubject? {
        let key = ref.trimmedASCIIWhitespace
        let byID = UUID(uuidString: key)
        let ids = byID.map { [$0] } ?? [], keys = byID == nil ? [key.uppercased()] : []
        if let row = try connection.query(
            """
            SELECT p.id, p.name, ARRAY(SELECT r.region FROM regctl_registrations(ARRAY[p.id], '{}') r WHERE r.status <> 'rejected') AS regions
            FROM regctl_physicians(\(ids)::uuid[], \(keys)::text[]) p
            """
        ).first {
            return CreditSubject(
                id: try row.decode(0, as: UUID.self), kind: "physician", name: try row.decode(1, as: String.self),
                regions: try row.decode(2, as: [String].self).compactMap(RegionCode.init))
        }
        if let row = try connection.query(
            """
            SELECT n.id, n.name, ARRAY(SELECT r.county FROM regctl_nurse_registrations(ARRAY[n.id], '{}') r) AS regions
            FROM regctl_nurses(\(ids)::uuid[], \(keys)::text[]) n
            """
        ).first {
            return CreditSubject(
                id: try row.decode(0, as: UUID.self), kind: "nurse", name: try row.decode(1, as: String.self),
                regions: try row.decode(2, as: [String].self).compactMap(RegionCode.init))
        }
        if let row = try connection.query(
            "SELECT id, name, region FROM regctl_institutions(\(ids)::uuid[], \(keys)::text[])"
        ).first {
            return CreditSubject(
                id: try row.decode(0, as: UUID.self), kind: "institution", name: try row.decode(1, as: String.self),
                regions: [try row.decode(2, as: RegionCode.self)])
        }
        return nil
    }

    public func addCreditRecord(_ r: NewCreditRecord) throws {
        try connection.execute(
            """
            INSERT INTO credit_record (id, subject, subject_kind, province, kind, decided_on, document, until, note)
            VALUES (\(r.id), \(r.subject.id), \(r.subject.kind), \(r.subject.regions.first?.province.value), \(r.kind),
                    \(r.decidedOn), \(r.document), \(r.until), \(r.note))
            """)
    }

    /// The subject of a credit record, whoever reads (to find who may act on it); nil when there is none.
    public func creditRecordSubject(_ id: UUID) throws -> UUID? {
        try connection.query("SELECT subject FROM credit_record WHERE id = \(id)").first?.decode(0, as: UUID.self)
    }

    /// A credit record as the reader may write it, locked; nil when the database does not show it for writing.
    public func creditRecordLocked(_ id: UUID) throws -> CreditFacts? {
        try connection.query(
            "SELECT kind, decided_on, until, lifted_on FROM credit_record WHERE id = \(id) FOR UPDATE"
        ).first.map { row in
            CreditFacts(
                kind: try row.decode(0, as: CreditKind.self), decidedOn: try row.decode(1, as: CalendarDate.self),
                until: try row.decode(2, as: CalendarDate?.self), liftedOn: try row.decode(3, as: CalendarDate?.self))
        }
    }

    public func liftCreditRecord(_ id: UUID, on day: CalendarDate) throws {
        try connection.execute("UPDATE credit_record SET lifted_on = \(day) WHERE id = \(id)")
    }

    /// `credit list`: of a subject, of a kind (each optional), as the reader sees them.
    public func creditRecords(subject: UUID?, kind: CreditKind?) throws -> [CreditListing] {
        try connection.query(
            """
            SELECT cr.id, cr.subject_kind, coalesce(p.name, n.name, i.name) AS subject_name, cr.subject, cr.kind, cr.decided_on, cr.until,
                   cr.lifted_on, cr.document, cr.note
            FROM credit_record cr LEFT JOIN physician p ON p.id = cr.subject LEFT JOIN nurse n ON n.id = cr.subject
            LEFT JOIN institution i ON i.id = cr.subject
            WHERE (\(subject)::uuid IS NULL OR cr.subject = \(subject)) AND (\(kind)::text IS NULL OR cr.kind = \(kind))
            ORDER BY cr.decided_on, cr.id
            """
        ).map { row in
            CreditListing(
                id: try row.decode("id", as: UUID.self), subjectKind: try row.decode("subject_kind", as: String.self),
                subjectName: try row.decode("subject_name", as: String?.self),
                facts: CreditFacts(
                    kind: try row.decode("kind", as: CreditKind.self),
                    decidedOn: try row.decode("decided_on", as: CalendarDate.self),
                    until: try row.decode("until", as: CalendarDate?.self),
                    liftedOn: try row.decode("lifted_on", as: CalendarDate?.self)),
                document: try row.decode("document", as: String.self), note: try row.decode("note", as: String?.self))
        }
    }
}
