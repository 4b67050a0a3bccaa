import Dates
import Foundation
import Postgres
import Registration

/// An active filing of a physician, as the filing rules need it.
public struct ActiveFiling: Sendable {
    public let id: UUID
    public let physician: UUID
    public let contractNo: String
    public let period: ContractPeriod
    public let institution: UUID

    public init(id: UUID, physician: UUID, contractNo: String, period: ContractPeriod, institution: UUID) {
        self.id = id
        self.physician = physician
        self.contractNo = contractNo
        self.period = period
        self.institution = institution
    }
}

/// A new filing as `filing add` and the contracts import write it: the registration it goes under and
/// what it carries of the host and the home for the reports (0004).
public struct NewFiling: Sendable {
    public let id: UUID
    public let registration: RegistrationRecord
    public let physician: UUID
    public let institution: InstitutionRecord
    public let contractNo: String
    public let period: ContractPeriod
    public let scope: String?

    public init(
        id: UUID = UUID.random(), registration: RegistrationRecord, physician: UUID, institution: InstitutionRecord,
        contractNo: String, period: ContractPeriod, scope: String?
    ) {
        self.id = id
        self.registration = registration
        self.physician = physician
        self.institution = institution
        self.contractNo = contractNo
        self.period = period
        self.scope = scope
    }

    /// The row of `filing`, in `NewFiling.columns`' order, as COPY text.
    var fields: [String?] {
        [
            id.postgresText, registration.facts.region.province.value, registration.id.postgresText,
            physician.postgresText,
            institution.id.postgresText, contractNo, period.from.description, period.to.description, scope,
            institution.facts.county.value, institution.facts.ownership.rawValue, registration.institutionOwnership,
            registration.category
        ]
    }

    static let columns =
        "id, province, registration, physician, institution, contract_no, valid_from, valid_to, scope, host_county, host_ownership, home_ownership, category"
}

/// A filing as `filing end` decides on it: locked, with its institution's county.
public struct FilingToEnd: Sendable {
    public let id: UUID
    public let status: String
    public let period: ContractPeriod
    public let institution: UUID
    public let county: RegionCode
}

/// A filing found by its contract (an import's key), with what decide on.
public struct ContractFiling: Sendable {
    public let id: UUID
    public let institution: UUID
    public let contractNo: String
    public let physician: UUID
    public var period: ContractPeriod
    public var scope: String?
    public var active: Bool
    public let county: RegionCode

    public init(
        id: UUID, institution: UUID, contractNo: String, physician: UUID, period: ContractPeriod, scope: String?,
        active: Bool, county: RegionCode
    ) {
        self.id = id
        self.institution = institution
        self.contractNo = contractNo
        self.physician = physician
        self.period = period
        self.scope = scope
        self.active = active
        self.county = county
    }
}

/// A line of `filing list`.
public struct FilingListing: Sendable {
    public let id: UUID
    public let physicianName: String
    public let institutionName: String
    public let ownership: Ownership
    public let contractNo: String
    public let period: ContractPeriod
    public let scope: String?
    public let status: String
    public let endedOn: CalendarDate?
    public let endReason: String?
}

/// Which filings to end: a physician's under a registration, those at an institution, those whose contract
/// ran out before a day.
public enum FilingSelection: Sendable {
    case registration(UUID)
    /// A registration's filings at one institution (it became the registration's primary one, R-16).
    case registrationAt(UUID, institution: UUID)
    case institution(UUID)
    case contractEndedBefore(CalendarDate)
}

/// Filings of physicians (`filing`) or of nurses (`nurse_filing`, R-53).
public enum FilingTable: String, Sendable {
    case physician = "filing"
    case nurse = "nurse_filing"
}

extension Store {
    /// The active filings of physicians, through `regctl_active_filings`: every region's,
    /// whoever acts, since the cap and the overlap count them all.
    public func activeFilings(ofPhysicians physicians: [UUID]) throws -> [ActiveFiling] {
        try connection.query(
            """
            SELECT id, physician, contract_no, valid_from, valid_to, institution FROM regctl_active_filings(\(physicians)::uuid[])
            """
        ).map { row in
            ActiveFiling(
                id: try row.decode("id", as: UUID.self), physician: try row.decode("physician", as: UUID.self),
                contractNo: try row.decode("contract_no", as: String.self),
                period: ContractPeriod(
                    from: try row.decode("valid_from", as: CalendarDate.self),
                    to: try row.decode("valid_to", as: CalendarDate.self)),
                institution: try row.decode("institution", as: UUID.self))
        }
    }

    /// Writes one filing.
    public func addFiling(_ f: NewFiling) throws {
        let reg = f.registration, inst = f.institution
        try connection.execute(
            """
            INSERT INTO filing (\(SQL(unsafeSQL: NewFiling.columns)))
            VALUES (\(f.id), \(reg.facts.region.province.value), \(reg.id), \(f.physician), \(inst.id), \(f.contractNo),
                    \(f.period.from), \(f.period.to), \(f.scope), \(inst.facts.county.value), \(inst.facts.ownership),
                    \(reg.institutionOwnership), \(reg.category))
            """)
    }

    /// Writes filings in bulk (COPY, or the staged insert under row-level security).
    public func addFilings(_ filings: [NewFiling]) throws {
        try SecureCopy.copy(connection, into: "filing", columns: NewFiling.columns, rows: filings.map(\.fields))
    }

    /// Sets filings' periods and scopes (an import's updates of contracts, R-25), in one statement.
    public func updateFilings(_ updates: [(id: UUID, period: ContractPeriod, scope: String?)]) throws {
        guard !updates.isEmpty else { return }
        try connection.execute(
            """
            UPDATE filing f SET valid_from = x.valid_from, valid_to = x.valid_to, scope = x.scope
            FROM unnest(\(updates.map(\.id))::uuid[], \(updates.map(\.period.from))::date[], \(updates.map(\.period.to))::date[],
                        \(updates.map(\.scope))::text[]) AS x(id, valid_from, valid_to, scope)
            WHERE f.id = x.id
            """)
    }

    /// The filings under the given contracts (institution and contract number), active or ended: what an
    /// import row names, to add, update or end.
    public func filings(underContracts keys: [(institution: UUID, contractNo: String)]) throws -> [ContractFiling] {
        try connection.query(
            """
            SELECT f.id, f.institution, f.contract_no, f.physician, f.valid_from, f.valid_to, f.scope, f.status, i.region
            FROM filing f JOIN institution i ON i.id = f.institution
            JOIN unnest(\(keys.map(\.institution))::uuid[], \(keys.map(\.contractNo))::text[]) AS k(institution, contract_no)
              ON f.institution = k.institution AND f.contract_no = k.contract_no
            """
        ).map { row in
            ContractFiling(
                id: try row.decode(0, as: UUID.self), institution: try row.decode(1, as: UUID.self),
                contractNo: try row.decode(2, as: String.self), physician: try row.decode(3, as: UUID.self),
                period: ContractPeriod(
                    from: try row.decode(4, as: CalendarDate.self), to: try row.decode(5, as: CalendarDate.self)),
                scope: try row.decode(6, as: String?.self), active: try row.decode(7, as: String.self) == "active",
                county: try row.decode(8, as: RegionCode.self))
        }
    }

    /// A filing to end, by id, locked; nil when there is none.
    public func filingToEnd(id: UUID) throws -> FilingToEnd? {
        try filingToEnd(where: "f.id = \(id)")
    }

    /// A filing to end, by its institution and contract number (what an HR file knows), locked.
    public func filingToEnd(institution: UUID, contractNo: String) throws -> FilingToEnd? {
        try filingToEnd(where: "f.institution = \(institution) AND f.contract_no = \(contractNo)")
    }

    private func filingToEnd(where filter: SQL) throws -> FilingToEnd? {
        guard
            let row = try connection.query(
                """
                SELECT f.id, f.status, f.valid_from, f.valid_to, f.institution, i.region AS county
                FROM filing f JOIN institution i ON i.id = f.institution WHERE \(filter) FOR UPDATE OF f
                """
            ).first
        else { return nil }
        return FilingToEnd(
            id: try row.decode("id", as: UUID.self), status: try row.decode("status", as: String.self),
            period: ContractPeriod(
                from: try row.decode("valid_from", as: CalendarDate.self),
                to: try row.decode("valid_to", as: CalendarDate.self)),
            institution: try row.decode("institution", as: UUID.self),
            county: try row.decode("county", as: RegionCode.self))
    }

    /// The filings `filing list` shows: of a physician, at an institution, of a status (each optional).
    public func filings(physician: UUID?, institution: UUID?, status: String?) throws -> [FilingListing] {
        // Planner: `= ANY(ARRAY[…])` on the institution keeps the btree on filing(institution); for a plain
        // `=` the planner picks the exclusion constraint's GiST index (0004), which reads most of itself.
        try connection.query(
            """
            SELECT f.id, p.name AS physician, i.name AS institution, i.ownership, f.contract_no, f.valid_from, f.valid_to, f.scope,
                   f.status, f.ended_on, f.end_reason
            FROM filing f JOIN physician p ON p.id = f.physician JOIN institution i ON i.id = f.institution
            WHERE (\(physician)::uuid IS NULL OR f.physician = \(physician))
              AND (\(institution)::uuid IS NULL OR f.institution = ANY(ARRAY[\(institution)::uuid]))
              AND (\(status)::text IS NULL OR f.status = \(status))
            ORDER BY f.valid_from, f.id
            """
        ).map { row in
            FilingListing(
                id: try row.decode("id", as: UUID.self), physicianName: try row.decode("physician", as: String.self),
                institutionName: try row.decode("institution", as: String.self),
                ownership: try row.decode("ownership", as: Ownership.self),
                contractNo: try row.decode("contract_no", as: String.self),
                period: ContractPeriod(
                    from: try row.decode("valid_from", as: CalendarDate.self),
                    to: try row.decode("valid_to", as: CalendarDate.self)),
                scope: try row.decode("scope", as: String?.self), status: try row.decode("status", as: String.self),
                endedOn: try row.decode("ended_on", as: CalendarDate?.self),
                endReason: try row.decode("end_reason", as: String?.self))
        }
    }

    /// Ends the active filings `selection` picks, each on the day `FilingRules.endDay` gives for it:
    /// the rows are read and locked, Swift decides each end day, the update receives the days as values.
    /// Returns the ids ended.
    public func endActiveFilings(
        _ selection: FilingSelection, of table: FilingTable = .physician, on day: CalendarDate, reason: String
    ) throws -> [UUID] {
        let filter: SQL
        switch selection {
        case .registration(let id): filter = "registration = \(id)"
        case .registrationAt(let id, let institution):
            filter = "registration = \(id) AND institution = \(institution)"
        // Planner: `= ANY` keeps the btree on filing(institution), not the exclusion GiST (see `filings`).
        case .institution(let id): filter = "institution = ANY(\([id]))"
        case .contractEndedBefore(let day): filter = "valid_to < \(day)"
        }
        var ids: [UUID] = [], days: [CalendarDate] = []
        for row in try connection.query(
            """
            SELECT id, valid_from, valid_to FROM \(identifier: table.rawValue) WHERE status = 'active' AND \(filter) ORDER BY id FOR UPDATE
            """)
        {
            ids.append(try row.decode(0, as: UUID.self))
            let period = ContractPeriod(
                from: try row.decode(1, as: CalendarDate.self), to: try row.decode(2, as: CalendarDate.self))
            days.append(FilingRules.endDay(of: period, endedOn: day))
        }
        return try endFilings(table, ids: ids, on: days, reason: reason)
    }

    /// Writes the end of filings whose end days a rule decided: one statement for all.
    /// Returns the ids.
    @discardableResult
    public func endFilings(_ table: FilingTable, ids: [UUID], on days: [CalendarDate], reason: String) throws -> [UUID]
    {
        guard !ids.isEmpty else { return [] }
        try connection.execute(
            """
            UPDATE \(identifier: table.rawValue) f SET status = 'ended', ended_on = x.day, end_reason = \(reason)
            FROM unnest(\(ids)::uuid[], \(days)::date[]) AS x(id, day) WHERE f.id = x.id
            """)
        return ids
    }
}
