import Dates
import Foundation
import Postgres
import Registration

/// A physician to record (R-01).
public struct NewPhysician: Sendable {
    public let id: UUID
    public let idNumber: ResidentID
    public let name: String
    public let qualificationNo: String
    public let level: PhysicianLevel
    public let category: PracticeCategory

    public init(
        id: UUID = UUID.random(), idNumber: ResidentID, name: String, qualificationNo: String, level: PhysicianLevel,
        category: PracticeCategory
    ) {
        self.id = id
        self.idNumber = idNumber
        self.name = name
        self.qualificationNo = qualificationNo
        self.level = level
        self.category = category
    }
}

/// A line of `physician list`: the ID number as the database shows it to the reader (`physician_v`).
public struct PhysicianListing: Sendable {
    public let id: UUID
    public let name: String
    public let idNumber: String
    public let level: PhysicianLevel
    public let category: PracticeCategory
    public let status: PersonStatus
    public let certificateNo: String?
}

extension Store {
    public func addPhysician(_ p: NewPhysician) throws {
        try connection.execute(
            """
            INSERT INTO physician (id, id_number, name, sex, birth_date, qualification_no, level, category)
            VALUES (\(p.id), \(p.idNumber), \(p.name), \(p.idNumber.sex.rawValue), \(p.idNumber.birthDate),
                    \(p.qualificationNo), \(p.level), \(p.category))
            """)
    }

    /// The physician's ID number as `physician_v` shows it to the reader (the masking view, R-72); nil outside
    /// its scope.
    public func physicianIDNumberAsShown(_ physician: UUID) throws -> String? {
        try connection.query("SELECT id_number FROM physician_v WHERE id = \(physician)").first?.decode(
            0, as: String.self)
    }

    /// `physician list`: the physicians the reader sees, registered in `region` and among the people of
    /// `institution` (HR's scope) when given, of a name when given, by name; at most `limit`.
    public func physicians(
        registeredIn region: RegionCode?, peopleOf institution: UUID?, page: ListPage
    )
        throws -> [PhysicianListing]
    {
        let byRegion = institution == nil && region.map { !$0.isProvince } == true
        let filter: SQL =
            region == nil || byRegion
            ? "TRUE"
            : """
            EXISTS (SELECT 1 FROM registration r JOIN institution i ON i.id = r.institution
                    WHERE r.physician = p.id AND r.status NOT IN ('cancelled', 'rejected') AND \(regionFilter("i.region", region)))
            """
        // Planner: HR's scope is its institution's people (a thousand at the busiest): start from them, by
        // primary key, and sort those. `OFFSET 0` fences the subquery: without it the planner may walk all
        // 4.5M physicians in name order looking for a hundred of them (it did: 16 s on the national data,
        // after the statistics moved). `= ANY(ARRAY[…])`: the btree on filing(institution), not the
        // exclusion constraint's GiST index.
        // A prefecture's or county's people: from the registrations at its institutions (`ListPage.ofRegion`).
        let source: SQL =
            institution != nil
            ? """
            (SELECT p.* FROM (SELECT r.physician FROM registration r WHERE r.institution = \(institution)
                              UNION SELECT f.physician FROM filing f WHERE f.institution = ANY(ARRAY[\(institution)::uuid]) AND f.status = 'active'
                              UNION SELECT s.physician FROM studio s WHERE s.host = \(institution)) m
             JOIN physician_v p ON p.id = m.physician OFFSET 0) p
            """
            : byRegion
                ? page.ofRegion(
                    region!, people: "physician", view: "physician_v", registrations: "registration",
                    person: "physician",
                    live: "r.status NOT IN ('cancelled', 'rejected')", as: "p")
                : "physician_v p"
        return try connection.query(
            """
            SELECT p.id, p.name, p.id_number, p.level, p.category, p.status, p.certificate_no
            FROM \(source) WHERE \(page.nameFilter("p.name")) AND \(filter)
              AND \(page.afterFilter("p", in: "physician"))
            ORDER BY p.name, p.id LIMIT \(page.limit)
            """
        ).map { row in
            PhysicianListing(
                id: try row.decode("id", as: UUID.self), name: try row.decode("name", as: String.self),
                idNumber: try row.decode("id_number", as: String.self),
                level: try row.decode("level", as: PhysicianLevel.self),
                category: try row.decode("category", as: PracticeCategory.self),
                status: try row.decode("status", as: PersonStatus.self),
                certificateNo: try row.decode("certificate_no", as: String?.self))
        }
    }
}
