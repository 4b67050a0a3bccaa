import Dates
import Foundation
import Postgres
import Registration

/// A nurse as stored, with what the nurse rules take (R-50 … R-54).
public struct NurseRecord: Sendable {
    public let id: UUID
    public let idNumber: String
    public let name: String
    public let status: PersonStatus
    public let blacklisted: Bool
}

/// A nurse registration as stored, with the facts the rules take.
public struct NurseRegistrationRecord: Sendable {
    public let id: UUID
    public let nurse: UUID
    public let institution: UUID
    public let appliedOn: CalendarDate
    public let facts: NurseRegistrationFacts
}

/// A line of `nurse show`'s registrations.
public struct NurseRegistrationLine: Sendable {
    public let id: UUID
    public let status: String
    public let regional: Bool
    public let expiresOn: CalendarDate?
    public let institutionName: String
    public let county: RegionCode
}

/// A line of `nurse list`: the ID number as the database shows it to the reader (`nurse_v`).
public struct NurseListing: Sendable {
    public let id: UUID
    public let name: String
    public let idNumber: String
    public let status: PersonStatus
}

/// An active regional filing and the counties R-54 decides on.
public struct RegionalNurseFiling: Sendable {
    public let id: UUID
    public let from: CalendarDate
    public let homeCounty: RegionCode
    public let county: RegionCode
}

/// A line of `pilot list`.
public struct PilotListing: Sendable {
    public let id: UUID
    public let region: RegionCode
    public let name: String
    public let from: CalendarDate
    public let to: CalendarDate?
    public let regionalRegistrations: Int
}

extension Store {
    /// A nurse by id or resident ID number, locked first when `lock`.
    public func nurse(_ ref: String, lock: Bool = false) throws -> NurseRecord {
        let (ids, numbers) = try personKey(ref, in: .nurse, field: "nurse")
        guard
            let row = try readLocked(
                "nurse", byID: ids.first, lock: lock,
                {
                    try connection.query(
                        "SELECT id, id_number, name, status FROM regctl_nurses(\(ids)::uuid[], \(numbers)::text[])"
                    ).first
                })
        else {
            throw Store.nurseNotFound(ref)
        }
        let id = try row.decode(0, as: UUID.self)
        return NurseRecord(
            id: id, idNumber: try row.decode(1, as: String.self), name: try row.decode(2, as: String.self),
            status: try row.decode(3, as: PersonStatus.self), blacklisted: try blacklisted(id))
    }

    /// A nurse named to read about: outside the reader's scope, not found (R-72), as `physicianToRead`.
    public func nurseToRead(_ ref: String) throws -> NurseRecord {
        let n = try nurse(ref)
        try requireInScope("nurse", n.id, else: Store.nurseNotFound(ref))
        return n
    }

    static func nurseNotFound(_ ref: String) -> RegctlError {
        Store.notFound(
            "nurse", quotedPersonKey(ref),
            hint: "give the nurse's id or 18-character resident ID number (regctl nurse list)")
    }

    /// Nurses' registrations (or some by id) in every region, as the rules need them whoever acts.
    private func nurseRegistrations(nurses: [UUID], ids: [UUID] = []) throws -> [NurseRegistrationRecord] {
        try connection.query(
            """
            SELECT r.id, r.nurse, r.institution, r.county, r.status, r.regional, r.expires_on, r.applied_on
            FROM regctl_nurse_registrations(\(nurses)::uuid[], \(ids)::uuid[]) r
            """
        ).map { row in
            let id = try row.decode("id", as: UUID.self)
            let institution = try row.decode("institution", as: UUID.self)
            return NurseRegistrationRecord(
                id: id, nurse: try row.decode("nurse", as: UUID.self), institution: institution,
                appliedOn: try row.decode("applied_on", as: CalendarDate.self),
                facts: NurseRegistrationFacts(
                    id: id, institution: institution,
                    institutionCounty: try row.decode("county", as: RegionCode.self),
                    status: try row.decode("status", as: NurseRegistrationStatus.self),
                    regional: try row.decode("regional", as: Bool.self),
                    expiresOn: try row.decode("expires_on", as: CalendarDate?.self)))
        }
    }

    /// One nurse registration by id, locked when `lock`.
    public func nurseRegistration(_ ref: String, lock: Bool = false) throws -> NurseRegistrationRecord {
        let id = try recordID(
            ref, in: .nurseRegistration, of: "nurse registration", printedBy: "nurse register or nurse show")
        if lock { try self.lock("nurse_registration", [id]) }
        guard let r = try nurseRegistrations(nurses: [], ids: [id]).first else {
            throw Store.notFound("nurse registration", ref, hint: "list them with regctl nurse show N")
        }
        return r
    }

    /// Every registration of a nurse, in every region.
    public func nurseRegistrations(ofNurse nurse: UUID) throws -> [NurseRegistrationRecord] {
        try nurseRegistrations(nurses: [nurse])
    }

    /// `nurse show`'s registrations of a nurse, as the reader may see them, in the order applied for.
    public func nurseRegistrationLines(ofNurse nurse: UUID) throws -> [NurseRegistrationLine] {
        try connection.query(
            """
            SELECT r.id, r.status, r.regional, r.expires_on, i.name, i.region FROM nurse_registration r
            JOIN institution i ON i.id = r.institution WHERE r.nurse = \(nurse) ORDER BY r.applied_on
            """
        ).map { row in
            NurseRegistrationLine(
                id: try row.decode(0, as: UUID.self), status: try row.decode(1, as: String.self),
                regional: try row.decode(2, as: Bool.self), expiresOn: try row.decode(3, as: CalendarDate?.self),
                institutionName: try row.decode(4, as: String.self), county: try row.decode(5, as: RegionCode.self))
        }
    }

    /// The active filings of a nurse (every region's), as the filing rules take them; at one institution when given.
    public func activeNurseFilings(ofNurse nurse: UUID, at institution: UUID? = nil) throws -> [FilingFacts] {
        try connection.query(
            """
            SELECT id, contract_no, valid_from, valid_to FROM regctl_active_nurse_filings(ARRAY[\(nurse)]::uuid[])
            WHERE \(institution)::uuid IS NULL OR institution = \(institution)
            """
        ).map { row in
            FilingFacts(
                id: try row.decode(0, as: UUID.self), contractNo: try row.decode(1, as: String.self),
                period: ContractPeriod(
                    from: try row.decode(2, as: CalendarDate.self), to: try row.decode(3, as: CalendarDate.self)))
        }
    }

    /// The nurse's ID number as `nurse_v` shows it to the reader (the masking view, R-72); nil outside its scope.
    public func nurseIDNumberAsShown(_ nurse: UUID) throws -> String? {
        try connection.query("SELECT id_number FROM nurse_v WHERE id = \(nurse)").first?.decode(0, as: String.self)
    }

    /// `nurse list`: the nurses the reader sees, those with a live registration in `region` when given.
    public func nurses(registeredIn region: RegionCode?, page: ListPage) throws -> [NurseListing] {
        // A prefecture's or county's nurses: from the registrations at its institutions (as physicians,
        // `physicians(registeredIn:)`); a province's or the country's: by name, testing each.
        let byRegion = region.map { !$0.isProvince } == true
        let filter: SQL =
            region == nil || byRegion
            ? "TRUE"
            : """
            EXISTS (SELECT 1 FROM nurse_registration r JOIN institution i ON i.id = r.institution
                    WHERE r.nurse = n.id AND r.status IN ('pending', 'active') AND \(regionFilter("i.region", region)))
            """
        let source: SQL =
            byRegion
            ? page.ofRegion(
                region!, people: "nurse", view: "nurse_v", registrations: "nurse_registration", person: "nurse",
                live: "r.status IN ('pending', 'active')", as: "n")
            : "nurse_v n"
        return try connection.query(
            """
            SELECT n.id, n.name, n.id_number, n.status FROM \(source)
            WHERE \(filter) AND \(page.nameFilter("n.name"))
              AND \(page.afterFilter("n", in: "nurse"))
            ORDER BY n.name, n.id LIMIT \(page.limit)
            """
        ).map { row in
            NurseListing(
                id: try row.decode(0, as: UUID.self), name: try row.decode(1, as: String.self),
                idNumber: try row.decode(2, as: String.self), status: try row.decode(3, as: PersonStatus.self))
        }
    }

    public func addNurse(id: UUID, idNumber: ResidentID, name: String, qualificationNo: String) throws {
        try connection.execute(
            """
            INSERT INTO nurse (id, id_number, name, sex, birth_date, qualification_no)
            VALUES (\(id), \(idNumber), \(name), \(idNumber.sex.rawValue), \(idNumber.birthDate), \(qualificationNo))
            """)
    }

    public func addNurseRegistration(
        id: UUID, nurse: UUID, institution: InstitutionRecord, regional: Bool, appliedOn: CalendarDate
    ) throws {
        try connection.execute(
            """
            INSERT INTO nurse_registration (id, province, nurse, institution, regional, status, applied_on)
            VALUES (\(id), \(institution.facts.county.province.value), \(nurse), \(institution.id), \(regional), 'pending', \(appliedOn))
            """)
    }

    /// R-50: approved on `day` by the acting registrar, valid until `expires`.
    public func approveNurseRegistration(_ id: UUID, on day: CalendarDate, expires: CalendarDate) throws {
        try connection.execute(
            """
            UPDATE nurse_registration SET status = 'active', decided_on = \(day), decided_by = \(actor.id), expires_on = \(expires)
            WHERE id = \(id)
            """)
    }

    public func rejectNurseRegistration(_ id: UUID, on day: CalendarDate, reason: String) throws {
        try connection.execute(
            """
            UPDATE nurse_registration SET status = 'rejected', decided_on = \(day), decided_by = \(actor.id), rejection_reason = \(reason)
            WHERE id = \(id)
            """)
    }

    /// R-51: renewed on `day`, valid until `expires`.
    public func renewNurseRegistration(_ id: UUID, on day: CalendarDate, expires: CalendarDate) throws {
        try connection.execute(
            "UPDATE nurse_registration SET expires_on = \(expires), renewed_on = \(day) WHERE id = \(id)")
    }

    /// R-50: active registrations whose five years have run out by `day` expire. Returns their ids.
    public func expireNurseRegistrations(on day: CalendarDate) throws -> [UUID] {
        try connection.query(
            """
            UPDATE nurse_registration SET status = 'expired' WHERE status = 'active' AND expires_on <= \(day) RETURNING id
            """
        ).map { try $0.decode(0, as: UUID.self) }
    }

    public func addNurseFiling(
        id: UUID, registration: UUID, nurse: UUID, institution: InstitutionRecord, contractNo: String,
        period: ContractPeriod
    ) throws {
        try connection.execute(
            """
            INSERT INTO nurse_filing (id, province, registration, nurse, institution, contract_no, valid_from, valid_to)
            VALUES (\(id), \(institution.facts.county.province.value), \(registration), \(nurse), \(institution.id), \(contractNo),
                    \(period.from), \(period.to))
            """)
    }

    /// R-54: active nurse filings begun by `day`, with the county of the registration's institution and of the
    /// filing's, for `NurseRules.filingEndWhenUncovered`.
    public func activeNurseFilings(startedBy day: CalendarDate) throws -> [RegionalNurseFiling] {
        try connection.query(
            """
            SELECT f.id, f.valid_from, ri.region AS home_county, fi.region AS county
            FROM nurse_filing f JOIN nurse_registration r ON r.id = f.registration
            JOIN institution ri ON ri.id = r.institution JOIN institution fi ON fi.id = f.institution
            WHERE f.status = 'active' AND f.valid_from <= \(day)
            """
        ).map { row in
            RegionalNurseFiling(
                id: try row.decode("id", as: UUID.self), from: try row.decode("valid_from", as: CalendarDate.self),
                homeCounty: try row.decode("home_county", as: RegionCode.self),
                county: try row.decode("county", as: RegionCode.self))
        }
    }

    // MARK: pilots (R-52)

    public func pilots() throws -> [PilotFacts] {
        try connection.query("SELECT id, region, valid_from, valid_to FROM pilot").map { row in
            PilotFacts(
                id: try row.decode(0, as: UUID.self), region: try row.decode(1, as: RegionCode.self),
                from: try row.decode(2, as: CalendarDate.self), to: try row.decode(3, as: CalendarDate?.self))
        }
    }

    /// A pilot by id, locked (its end is being decided).
    public func pilotLocked(_ id: UUID) throws -> PilotFacts? {
        try connection.query("SELECT id, region, valid_from, valid_to FROM pilot WHERE id = \(id) FOR UPDATE").first.map
        { row in
            PilotFacts(
                id: try row.decode(0, as: UUID.self), region: try row.decode(1, as: RegionCode.self),
                from: try row.decode(2, as: CalendarDate.self), to: try row.decode(3, as: CalendarDate?.self))
        }
    }

    public func addPilot(id: UUID, region: RegionCode, from: CalendarDate, to: CalendarDate?) throws {
        try connection.execute(
            "INSERT INTO pilot (id, region, valid_from, valid_to) VALUES (\(id), \(region.value), \(from), \(to))")
    }

    public func endPilot(_ id: UUID, on day: CalendarDate) throws {
        try connection.execute("UPDATE pilot SET valid_to = \(day) WHERE id = \(id)")
    }

    /// `pilot list`, with each pilot's active regional registrations inside its region (counted over the
    /// region's range of codes, `RegionRange`, the one definition of what lies inside a region).
    public func pilotListing() throws -> [PilotListing] {
        let pilots = try connection.query(
            "SELECT p.id, p.region, r.name, p.valid_from, p.valid_to FROM pilot p JOIN region r ON r.code = p.region ORDER BY p.valid_from, p.region"
        ).map { row in
            (
                id: try row.decode(0, as: UUID.self), region: try row.decode(1, as: RegionCode.self),
                name: try row.decode(2, as: String.self), from: try row.decode(3, as: CalendarDate.self),
                to: try row.decode(4, as: CalendarDate?.self)
            )
        }
        let ranges = pilots.map { RegionRange($0.region) }
        var counts: [UUID: Int] = [:]
        for row in try connection.query(
            """
            SELECT x.id, (SELECT count(*) FROM nurse_registration nr JOIN institution i ON i.id = nr.institution
                          WHERE nr.regional AND nr.status = 'active' AND i.region BETWEEN x.low::bpchar AND x.high::bpchar)
            FROM unnest(\(pilots.map(\.id))::uuid[], \(ranges.map(\.low))::text[], \(ranges.map(\.high))::text[]) AS x(id, low, high)
            """)
        {
            counts[try row.decode(0, as: UUID.self)] = try row.decode(1, as: Int.self)
        }
        return pilots.map {
            PilotListing(
                id: $0.id, region: $0.region, name: $0.name, from: $0.from, to: $0.to,
                regionalRegistrations: counts[$0.id] ?? 0)
        }
    }
}
