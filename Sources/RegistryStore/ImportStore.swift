import Dates
import Foundation
import Postgres
import Registration

/// An institution as an import compares it with a row.
public struct StoredInstitution: Sendable {
    public let id: UUID
    public let name: String
    public let county: RegionCode
    public let ownership: String
    public let forProfit: Bool
    public let category: String
    public let beds: Int
    public let licenseNo: String?
}

/// A physician as an import compares it with a row.
public struct StoredPhysician: Sendable {
    public let id: UUID
    public let name: String
    public let qualificationNo: String
    public let level: String
    public let category: String
}

/// A leave an import decided (R-17): the registration, its physician, the day and the reason.
public struct NewLeave: Sendable {
    public let registration: UUID
    public let physician: UUID
    public let on: CalendarDate
    public let reason: LeaveReason

    public init(registration: UUID, physician: UUID, on: CalendarDate, reason: LeaveReason) {
        self.registration = registration
        self.physician = physician
        self.on = on
        self.reason = reason
    }
}

/// The reads and writes of the imports in the batch shape: the facts of a chunk of rows in a few
/// statements, its writes in one statement per table (COPY, or the staged insert under row-level security).
extension Store {
    /// Institutions by credit code, locked as a command locks the one it changes.
    public func institutionsForImport(usccs: [String]) throws -> [String: StoredInstitution] {
        let rows = try connection.query(
            """
            SELECT id, uscc, name, region, ownership, for_profit, category, beds, license_no
            FROM regctl_institutions('{}', \(usccs)::text[])
            """)
        try lock("institution", try rows.map { try $0.decode(0, as: UUID.self) })
        var found: [String: StoredInstitution] = [:]
        for row in rows {
            found[try row.decode(1, as: String.self)] = StoredInstitution(
                id: try row.decode(0, as: UUID.self), name: try row.decode(2, as: String.self),
                county: try row.decode(3, as: RegionCode.self), ownership: try row.decode(4, as: String.self),
                forProfit: try row.decode(5, as: Bool.self), category: try row.decode(6, as: String.self),
                beds: try row.decode(7, as: Int.self), licenseNo: try row.decode(8, as: String?.self))
        }
        return found
    }

    public func addInstitutions(_ institutions: [NewInstitution]) throws {
        try SecureCopy.copy(
            connection, into: "institution",
            columns: "id, province, uscc, name, license_no, region, ownership, for_profit, category, beds",
            rows: institutions.map { i in
                [
                    i.id.postgresText, i.county.province.value, i.uscc.value, i.name, i.licenseNo, i.county.value,
                    i.ownership.rawValue, i.forProfit ? "t" : "f", i.category.rawValue, String(i.beds)
                ]
            })
    }

    /// Sets the fields of recorded institutions (`id` of each is the record's).
    public func updateInstitutions(_ institutions: [NewInstitution]) throws {
        guard !institutions.isEmpty else { return }
        let i = institutions
        try connection.execute(
            """
            UPDATE institution t SET name = x.name, region = x.region, province = left(x.region, 2) || '0000',
                   ownership = x.ownership, for_profit = x.for_profit, category = x.category, beds = x.beds,
                   license_no = x.license_no
            FROM unnest(\(i.map(\.id))::uuid[], \(i.map(\.name))::text[], \(i.map(\.county.value))::text[],
                        \(i.map(\.ownership.rawValue))::text[], \(i.map { $0.forProfit ? "t" : "f" })::text[]::boolean[],
                        \(i.map(\.category.rawValue))::text[], \(i.map(\.beds))::int[], \(i.map(\.licenseNo))::text[])
                 AS x(id, name, region, ownership, for_profit, category, beds, license_no)
            WHERE t.id = x.id
            """)
    }

    /// Physicians by resident ID number, locked as a command locks the one it changes.
    public func physiciansForImport(idNumbers: [String]) throws -> [String: StoredPhysician] {
        let rows = try connection.query(
            """
            SELECT id, id_number, name, qualification_no, level, category FROM regctl_physicians('{}', \(idNumbers)::text[])
            """)
        try lock("physician", try rows.map { try $0.decode(0, as: UUID.self) })
        var found: [String: StoredPhysician] = [:]
        for row in rows {
            found[try row.decode(1, as: String.self)] = StoredPhysician(
                id: try row.decode(0, as: UUID.self), name: try row.decode(2, as: String.self),
                qualificationNo: try row.decode(3, as: String.self), level: try row.decode(4, as: String.self),
                category: try row.decode(5, as: String.self))
        }
        return found
    }

    public func addPhysicians(_ physicians: [NewPhysician]) throws {
        try SecureCopy.copy(
            connection, into: "physician",
            columns: "id, id_number, name, sex, birth_date, qualification_no, level, category",
            rows: physicians.map { p in
                [
                    p.id.postgresText, p.idNumber.value, p.name, p.idNumber.sex.rawValue,
                    p.idNumber.birthDate.description,
                    p.qualificationNo, p.level.rawValue, p.category.rawValue
                ]
            })
    }

    /// Sets the name and qualification number of recorded physicians.
    public func updatePhysicians(_ changes: [(id: UUID, name: String, qualificationNo: String)]) throws {
        guard !changes.isEmpty else { return }
        try connection.execute(
            """
            UPDATE physician t SET name = x.name, qualification_no = x.qualification_no
            FROM unnest(\(changes.map(\.id))::uuid[], \(changes.map(\.name))::text[], \(changes.map(\.qualificationNo))::text[])
                 AS x(id, name, qualification_no)
            WHERE t.id = x.id
            """)
    }

    /// Institutions by id or credit code (what a row names), with the blacklist as of today.
    public func institutions(ids: [UUID], usccs: [String]) throws -> [InstitutionRecord] {
        let rows = try connection.query(
            "SELECT \(Store.institutionColumns) FROM regctl_institutions(\(ids)::uuid[], \(usccs)::text[]) i")
        let blacklisted = try blacklisted(try rows.map { try $0.decode("id", as: UUID.self) })
        return try rows.map {
            try Store.institutionRecord($0, blacklisted: blacklisted.contains(try $0.decode("id", as: UUID.self)))
        }
    }

    public func addRegistrations(_ registrations: [NewRegistration]) throws {
        try SecureCopy.copy(
            connection, into: "registration",
            columns: "id, province, physician, region, institution, category, scopes, status, is_home, applied_on",
            rows: registrations.map { r in
                [
                    r.id.postgresText, r.application.region.province.value, r.physician.id.postgresText,
                    r.application.region.value,
                    r.institution.postgresText, r.physician.facts.category.rawValue, Store.arrayText(r.scopes),
                    "pending",
                    r.application.isHome ? "t" : "f", r.appliedOn.description
                ]
            })
    }

    /// The registrations of these physicians (named by resident ID number), locked before the rules decide
    /// on them (two registrars, two imports at once), in one statement.
    public func lockRegistrations(ofPhysiciansNumbered idNumbers: [String]) throws {
        guard !idNumbers.isEmpty else { return }
        try connection.query(
            """
            SELECT regctl_lock('registration', ARRAY(
                SELECT r.id FROM regctl_registrations(ARRAY(SELECT p.id FROM regctl_physicians('{}', \(idNumbers)::text[]) p), '{}') r))
            """)
    }

    /// R-17 for many registrations: each on leave from its day; their active filings end (R-24, each on the
    /// day `FilingRules.endDay` gives); a retirement retires the physician. Returns the filings ended by
    /// registration.
    public func startLeaves(_ leaves: [NewLeave]) throws -> [UUID: [UUID]] {
        guard !leaves.isEmpty else { return [:] }
        try connection.execute(
            """
            UPDATE registration t SET status = 'on-leave', leave_since = x.day, leave_reason = x.reason
            FROM unnest(\(leaves.map(\.registration))::uuid[], \(leaves.map(\.on))::date[], \(leaves.map(\.reason.rawValue))::text[])
                 AS x(id, day, reason)
            WHERE t.id = x.id
            """)
        let day = Dictionary(leaves.map { ($0.registration, $0.on) }) { a, _ in a }
        var ids: [UUID] = [], days: [CalendarDate] = [], byRegistration: [UUID: [UUID]] = [:]
        for row in try connection.query(
            """
            SELECT id, registration, valid_from, valid_to FROM filing
            WHERE registration = ANY(\(leaves.map(\.registration))::uuid[]) AND status = 'active' ORDER BY id FOR UPDATE
            """)
        {
            let id = try row.decode(0, as: UUID.self), registration = try row.decode(1, as: UUID.self)
            guard let on = day[registration] else { continue }
            let period = ContractPeriod(
                from: try row.decode(2, as: CalendarDate.self), to: try row.decode(3, as: CalendarDate.self))
            ids.append(id)
            days.append(FilingRules.endDay(of: period, endedOn: on))
            byRegistration[registration, default: []].append(id)
        }
        try endFilings(.physician, ids: ids, on: days, reason: EndReason.leave.rawValue)
        let retiring = leaves.filter { $0.reason == .retired }
        if !retiring.isEmpty {
            try connection.execute(
                """
                UPDATE physician t SET status = 'retired', status_on = x.day
                FROM unnest(\(retiring.map(\.physician))::uuid[], \(retiring.map(\.on))::date[]) AS x(id, day)
                WHERE t.id = x.id AND t.status = 'active'
                """)
        }
        return byRegistration
    }

    /// Records the keys of an import's chunk (a record's natural key, with the line it is on) for the rest of
    /// the run, in a temporary table of the import's transaction; returns those an earlier chunk had, with
    /// the line that had them first. The client's memory does not grow with the file.
    public func claimImportKeys(_ keys: [String], lines: [Int]) throws -> [String: Int] {
        guard !keys.isEmpty else { return [:] }
        try connection.execute(
            "CREATE TEMPORARY TABLE IF NOT EXISTS regctl_import_keys (key text PRIMARY KEY, line int NOT NULL) ON COMMIT DROP"
        )
        // The main query sees the table as it was before the insert beside it: the keys of earlier chunks.
        var earlier: [String: Int] = [:]
        for row in try connection.query(
            """
            WITH input AS (SELECT * FROM unnest(\(keys)::text[], \(lines)::int[]) AS x(key, line)),
                 claimed AS (INSERT INTO regctl_import_keys SELECT key, line FROM input ON CONFLICT (key) DO NOTHING)
            SELECT k.key, k.line FROM regctl_import_keys k JOIN input i ON i.key = k.key
            """)
        {
            earlier[try row.decode(0, as: String.self)] = try row.decode(1, as: Int.self)
        }
        return earlier
    }

    /// A text array in PostgreSQL's literal syntax, every element quoted (for COPY).
    static func arrayText(_ items: [String]) -> String {
        "{"
            + items.map {
                "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                    + "\""
            }
            .joined(separator: ",") + "}"
    }
}
