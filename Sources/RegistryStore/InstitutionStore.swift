import Dates
import Foundation
import Postgres
import Registration

/// An institution to record (R-02, R-03): its fields, checked for form by the command that writes it.
public struct NewInstitution: Sendable {
    public let id: UUID
    public let uscc: CreditCode
    public let name: String
    public let county: RegionCode
    public let ownership: Ownership
    public let forProfit: Bool
    public let category: InstitutionCategory
    public let beds: Int
    public let licenseNo: String?

    public init(
        id: UUID = UUID.random(), uscc: CreditCode, name: String, county: RegionCode, ownership: Ownership,
        forProfit: Bool,
        category: InstitutionCategory, beds: Int, licenseNo: String?
    ) {
        self.id = id
        self.uscc = uscc
        self.name = name
        self.county = county
        self.ownership = ownership
        self.forProfit = forProfit
        self.category = category
        self.beds = beds
        self.licenseNo = licenseNo
    }
}

/// What `institution show` adds to an institution's facts; nil outside the reader's scope.
public struct InstitutionDetails: Sendable {
    public let regionName: String
    public let forProfit: Bool
    public let beds: Int
    public let licenseNo: String?
    public let statusOn: CalendarDate?
    public let primaryRegistrations: Int
    public let activeFilings: Int
}

/// A line of `institution list`.
public struct InstitutionListing: Sendable {
    public let id: UUID
    public let uscc: String
    public let name: String
    public let county: RegionCode
    public let ownership: Ownership
    public let forProfit: Bool
    public let category: InstitutionCategory
    public let beds: Int
    public let status: InstitutionStatus
}

extension Store {
    public func addInstitution(_ i: NewInstitution) throws {
        try connection.execute(
            """
            INSERT INTO institution (id, province, uscc, name, license_no, region, ownership, for_profit, category, beds)
            VALUES (\(i.id), \(i.county.province.value), \(i.uscc.value), \(i.name), \(i.licenseNo), \(i.county.value),
                    \(i.ownership), \(i.forProfit), \(i.category), \(i.beds))
            """)
    }

    /// Other institutions of the same name in the county (at most 3, by code): usually the same one under a
    /// mistyped code.
    public func institutions(named name: String, in county: RegionCode, except id: UUID) throws -> [(
        id: UUID, uscc: String
    )] {
        try connection.query(
            """
            SELECT id, uscc FROM institution WHERE region = \(county.value) AND name = \(name) AND id <> \(id) ORDER BY uscc LIMIT 3
            """
        ).map { (try $0.decode(0, as: UUID.self), try $0.decode(1, as: String.self)) }
    }

    public func institutionDetails(_ id: UUID) throws -> InstitutionDetails? {
        // Planner: `= ANY(ARRAY[…])` keeps the btree on filing(institution), not the exclusion GiST (0004).
        guard
            let row = try connection.query(
                """
                SELECT i.license_no, i.for_profit, i.beds, i.status_on, r.name AS region_name,
                       (SELECT count(*) FROM registration g WHERE g.institution = i.id AND g.status IN ('active', 'pending')) AS primary_registrations,
                       (SELECT count(*) FROM filing f WHERE f.institution = ANY(ARRAY[i.id]) AND f.status = 'active') AS active_filings
                FROM institution i JOIN region r ON r.code = i.region WHERE i.id = \(id)
                """
            ).first
        else { return nil }
        return InstitutionDetails(
            regionName: try row.decode("region_name", as: String.self),
            forProfit: try row.decode("for_profit", as: Bool.self), beds: try row.decode("beds", as: Int.self),
            licenseNo: try row.decode("license_no", as: String?.self),
            statusOn: try row.decode("status_on", as: CalendarDate?.self),
            primaryRegistrations: try row.decode("primary_registrations", as: Int.self),
            activeFilings: try row.decode("active_filings", as: Int.self))
    }

    /// `institution list`: in a region, of a category, of an ownership (each optional), as the reader sees them.
    public func institutions(
        region: RegionCode?, category: InstitutionCategory?, ownership: Ownership?, page: ListPage
    ) throws
        -> [InstitutionListing]
    {
        try connection.query(
            """
            SELECT i.id, i.uscc, i.name, i.region, i.ownership, i.for_profit, i.category, i.beds, i.status
            FROM institution i
            WHERE \(regionFilter("i.region", region))
              AND (\(category)::text IS NULL OR i.category = \(category))
              AND (\(ownership)::text IS NULL OR i.ownership = \(ownership))
              AND \(page.nameFilter("i.name"))
              AND \(page.after.map { "(i.region, i.name, i.id) > (SELECT region, name, id FROM institution WHERE id = \($0))" as SQL } ?? "TRUE")
            ORDER BY i.region, i.name, i.id LIMIT \(page.limit)
            """
        ).map { row in
            InstitutionListing(
                id: try row.decode("id", as: UUID.self), uscc: try row.decode("uscc", as: String.self),
                name: try row.decode("name", as: String.self), county: try row.decode("region", as: RegionCode.self),
                ownership: try row.decode("ownership", as: Ownership.self),
                forProfit: try row.decode("for_profit", as: Bool.self),
                category: try row.decode("category", as: InstitutionCategory.self),
                beds: try row.decode("beds", as: Int.self), status: try row.decode("status", as: InstitutionStatus.self)
            )
        }
    }

    /// An institution as people name it: `杭州和睦门诊部（91330106MA28000017）`; nil when the reader cannot see it.
    public func institutionLabel(_ id: UUID) throws -> String? {
        guard let row = try connection.query("SELECT name, uscc FROM institution WHERE id = \(id)").first else {
            return nil
        }
        return "\(try row.decode(0, as: String.self))（\(try row.decode(1, as: String.self))）"
    }

    public func setInstitutionStatus(_ id: UUID, _ status: InstitutionStatus, on day: CalendarDate) throws {
        try connection.execute(
            "UPDATE institution SET status = \(status), status_on = \(day) WHERE id = \(id)")
    }

    /// R-62: the active institutions of a region, by credit code, for a spot-check draw.
    public func activeInstitutions(in region: RegionCode) throws -> [(id: UUID, uscc: String, name: String)] {
        try connection.query(
            """
            SELECT id, uscc, name FROM institution WHERE status = 'active' AND \(regionFilter("region", region)) ORDER BY uscc
            """
        ).map {
            (try $0.decode(0, as: UUID.self), try $0.decode(1, as: String.self), try $0.decode(2, as: String.self))
        }
    }

    /// R-62: the active registrars and analysts of a region, by id, to draw inspectors from.
    public func inspectors(in region: RegionCode) throws -> [(id: String, name: String)] {
        try connection.query(
            """
            SELECT id, name FROM staff WHERE active AND role IN ('registrar', 'analyst') AND region IS NOT NULL AND \(regionFilter("region", region)) ORDER BY id
            """
        ).map { (try $0.decode(0, as: String.self), try $0.decode(1, as: String.self)) }
    }
}
