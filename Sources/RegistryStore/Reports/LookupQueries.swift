import Dates
import Foundation
import Postgres
import Registration

/// A registered physician as the public sees one: never the ID number or the birth date.
public struct PublicPhysician: Sendable {
    public let id: UUID
    public let certificate: String
    public let name: String
    public let sex: String
    public let level: String
    public let category: String
    public let status: String
}

/// Where a physician practises, as the public sees it.
public struct PublicPractice: Sendable {
    public let physician: UUID
    public let role: String
    public let institution: String
    public let county: String
    public let practiceRegion: String?
    public let scopes: String?
    public let status: String
    public let since: CalendarDate?
    public let until: CalendarDate?
}

/// A public credit record (penalty or blacklist, R-61).
public struct PublicCreditRecord: Sendable {
    public let subject: UUID
    public let facts: CreditFacts
    public let document: String
}

extension Store {
    /// Registered physicians of a name (in a region when given) or of a certificate number, through the
    /// database's public functions; at most `limit`.
    public func publicPhysicians(name: String?, region: RegionCode?, certificate: String?, limit: Int) throws
        -> [PublicPhysician]
    {
        let range = region.map(RegionRange.init)
        return try connection.query(
            """
            SELECT * FROM regctl_public_physicians(\(name)::text, \(range?.low)::bpchar, \(range?.high)::bpchar, \(certificate)::text, \(limit)::integer)
            """
        ).map { row in
            PublicPhysician(
                id: try row.decode("id", as: UUID.self), certificate: try row.decode("certificate", as: String.self),
                name: try row.decode("name", as: String.self), sex: try row.decode("sex", as: String.self),
                level: try row.decode("level", as: String.self), category: try row.decode("category", as: String.self),
                status: try row.decode("status", as: String.self))
        }
    }

    public func publicPractice(of physicians: [UUID]) throws -> [PublicPractice] {
        try connection.query("SELECT * FROM regctl_public_practice(\(physicians)::uuid[])").map { row in
            PublicPractice(
                physician: try row.decode("physician", as: UUID.self), role: try row.decode("role", as: String.self),
                institution: try row.decode("institution", as: String.self),
                county: try row.decode("region", as: String.self),
                practiceRegion: try row.decode("practice_region", as: String?.self),
                scopes: try row.decode("scopes", as: String?.self), status: try row.decode("status", as: String.self),
                since: try row.decode("since", as: CalendarDate?.self),
                until: try row.decode("until", as: CalendarDate?.self))
        }
    }

    public func publicCreditRecords(of subjects: [UUID]) throws -> [PublicCreditRecord] {
        let publicKinds = CreditKind.allCases.filter(\.isPublic).map(\.rawValue)
        return try connection.query(
            """
            SELECT subject, kind, decided_on, document, until, lifted_on FROM credit_record
            WHERE subject = ANY(\(subjects)::uuid[]) AND kind = ANY(\(publicKinds)) ORDER BY subject, decided_on
            """
        ).map { row in
            PublicCreditRecord(
                subject: try row.decode("subject", as: UUID.self),
                facts: CreditFacts(
                    kind: try row.decode("kind", as: CreditKind.self),
                    decidedOn: try row.decode("decided_on", as: CalendarDate.self),
                    until: try row.decode("until", as: CalendarDate?.self),
                    liftedOn: try row.decode("lifted_on", as: CalendarDate?.self)),
                document: try row.decode("document", as: String.self))
        }
    }
}
