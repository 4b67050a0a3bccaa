import Dates
import Foundation
import Postgres
import Registration

/// A registration to write: `registration apply`'s decision (R-10 … R-13).
public struct NewRegistration: Sendable {
    public let id: UUID
    public let physician: PhysicianRecord
    public let institution: UUID
    public let application: RegistrationRules.Application
    public let scopes: [String]
    public let appliedOn: CalendarDate

    public init(
        id: UUID = UUID.random(), physician: PhysicianRecord, institution: UUID,
        application: RegistrationRules.Application,
        scopes: [String], appliedOn: CalendarDate
    ) {
        self.id = id
        self.physician = physician
        self.institution = institution
        self.application = application
        self.scopes = scopes
        self.appliedOn = appliedOn
    }
}

/// What `registration show` adds to the registration's facts.
public struct RegistrationDetails: Sendable {
    public let physicianName: String
    public let institutionName: String
    public let decidedOn: CalendarDate?
    public let decidedBy: String?
    public let rejectionReason: String?
    public let leaveReason: String?
    public let certificateNo: String?
}

/// A line of `registration list`.
public struct RegistrationListing: Sendable {
    public let id: UUID
    public let physicianName: String
    public let region: RegionCode
    public let institutionName: String
    public let scopes: [String]
    public let status: RegistrationStatus
    public let isHome: Bool
    public let appliedOn: CalendarDate
    public let effectiveOn: CalendarDate?
}

/// Registrations: applications, decisions, changes, leaves and cancellations (R-10 … R-19).
extension Store {
    public func addRegistration(_ r: NewRegistration) throws {
        try connection.execute(
            """
            INSERT INTO registration (id, province, physician, region, institution, category, scopes, status, is_home, applied_on)
            VALUES (\(r.id), \(r.application.region.province.value), \(r.physician.id), \(r.application.region.value),
                    \(r.institution), \(r.physician.facts.category), \(r.scopes), 'pending', \(r.application.isHome),
                    \(r.appliedOn))
            """)
    }

    /// R-14: approved on `day` by the acting registrar, in force from that day.
    public func approveRegistration(_ id: UUID, on day: CalendarDate) throws {
        try connection.execute(
            """
            UPDATE registration SET status = 'active', decided_on = \(day), effective_on = \(day), decided_by = \(actor.id)
            WHERE id = \(id)
            """)
    }

    /// R-14: rejected on `day` by the acting registrar.
    public func rejectRegistration(_ id: UUID, on day: CalendarDate, reason: String) throws {
        try connection.execute(
            """
            UPDATE registration SET status = 'rejected', decided_on = \(day), decided_by = \(actor.id), rejection_reason = \(reason), is_home = false
            WHERE id = \(id)
            """)
    }

    /// The next serial of a certificate prefix: the row lock on the prefix's counter serialises concurrent
    /// approvals, so no two physicians get one number.
    public func nextCertificateSerial(prefix: String) throws -> Int {
        try connection.query(
            """
            INSERT INTO certificate_serial (prefix, last) VALUES (\(prefix), 1)
            ON CONFLICT (prefix) DO UPDATE SET last = certificate_serial.last + 1 RETURNING last
            """)[0].decode(0, as: Int.self)
    }

    public func setCertificateNumber(_ physician: UUID, _ number: String) throws {
        try connection.execute("UPDATE physician SET certificate_no = \(number) WHERE id = \(physician)")
    }

    /// R-16, R-41: the registration's institution and scopes as a change decided; back in force (a leave ends).
    public func changeRegistration(_ id: UUID, institution: UUID, scopes: [String]) throws {
        try connection.execute(
            """
            UPDATE registration SET institution = \(institution), scopes = \(scopes), status = 'active', leave_since = NULL,
                   leave_reason = NULL
            WHERE id = \(id)
            """)
    }

    /// A physician's status from `day` (retired, deceased); `onlyIfActive` leaves another status as it is.
    public func setPhysicianStatus(_ physician: UUID, _ status: PersonStatus, on day: CalendarDate, onlyIfActive: Bool)
        throws
    {
        try connection.execute(
            """
            UPDATE physician SET status = \(status), status_on = \(day)
            WHERE id = \(physician) AND (NOT \(onlyIfActive) OR status = 'active')
            """)
    }

    /// R-19: the physician's other registrations still live, locked, as `CancellationPlan` takes them.
    public func otherLiveRegistrations(of physician: UUID, except id: UUID) throws -> [CancellationPlan.Remaining] {
        try connection.query(
            """
            SELECT id, applied_on, is_home FROM registration
            WHERE physician = \(physician) AND id <> \(id) AND status NOT IN ('cancelled', 'rejected') ORDER BY id FOR UPDATE
            """
        ).map { row in
            CancellationPlan.Remaining(
                id: try row.decode(0, as: UUID.self), appliedOn: try row.decode(1, as: CalendarDate.self),
                isHome: try row.decode(2, as: Bool.self))
        }
    }

    /// Carries out a cancellation `CancellationPlan` decided (R-19): the registration cancelled on the plan's
    /// day, its filings ended and its studios closed that day (R-24, R-44), the home handed to the
    /// registration the plan names. Returns the filings ended and the studios closed.
    public func cancelRegistration(_ id: UUID, as plan: CancellationPlan) throws -> (
        filings: [UUID], studios: [UUID]
    ) {
        try connection.execute(
            """
            UPDATE registration SET status = 'cancelled', cancelled_on = \(plan.day), cancel_reason = \(plan.reason),
                   leave_since = NULL, is_home = false
            WHERE id = \(id)
            """)
        let filings = try endActiveFilings(
            .registration(id), on: plan.day, reason: EndReason.registrationCancelled.rawValue)
        let studios = try closeStudios(
            .registration(id), on: plan.day, reason: EndReason.registrationCancelled.rawValue)
        if let home = plan.newHome {
            try connection.execute("UPDATE registration SET is_home = true WHERE id = \(home)")
        }
        return (filings, studios)
    }

    /// R-18: registrations on leave, locked, with the day their leave began (the daily run cancels those
    /// whose two years have run out).
    public func registrationsOnLeave() throws -> [(id: UUID, physician: UUID, since: CalendarDate)] {
        try connection.query(
            "SELECT id, physician, leave_since FROM registration WHERE status = 'on-leave' ORDER BY id FOR UPDATE"
        ).map {
            (try $0.decode(0, as: UUID.self), try $0.decode(1, as: UUID.self), try $0.decode(2, as: CalendarDate.self))
        }
    }

    public func registrationDetails(_ id: UUID) throws -> RegistrationDetails {
        let row = try connection.query(
            """
            SELECT p.name AS physician_name, i.name AS institution_name, r.decided_on, r.decided_by, r.rejection_reason,
                   r.leave_reason, p.certificate_no
            FROM registration r JOIN physician p ON p.id = r.physician JOIN institution i ON i.id = r.institution WHERE r.id = \(id)
            """)[0]
        return RegistrationDetails(
            physicianName: try row.decode("physician_name", as: String.self),
            institutionName: try row.decode("institution_name", as: String.self),
            decidedOn: try row.decode("decided_on", as: CalendarDate?.self),
            decidedBy: try row.decode("decided_by", as: String?.self),
            rejectionReason: try row.decode("rejection_reason", as: String?.self),
            leaveReason: try row.decode("leave_reason", as: String?.self),
            certificateNo: try row.decode("certificate_no", as: String?.self))
    }

    /// `registration list`: of a physician, in a region (the registration's or its institution's), at an HR
    /// reader's institution, of a status; at most `limit` rows.
    public func registrations(
        physician: UUID?, region: RegionCode?, institution: UUID?, status: RegistrationStatus?,
        appliedOnOrBefore: CalendarDate? = nil, limit: Int
    ) throws -> [RegistrationListing] {
        // Planner: the province condition is implied (a registration lies in its institution's province,
        // 0007) but said, so that the plan starts from the partition of the reader's province.
        try connection.query(
            """
            SELECT r.id, p.name, r.region, i.name AS institution, r.scopes, r.status, r.is_home, r.applied_on, r.effective_on
            FROM registration r JOIN physician p ON p.id = r.physician JOIN institution i ON i.id = r.institution
            WHERE (\(physician)::uuid IS NULL OR r.physician = \(physician))
              AND (\(region == nil) OR \(regionFilter("r.region", region)) OR \(regionFilter("i.region", region)))
              AND (\(region == nil) OR r.province = \(region?.province.value)::bpchar)
              AND (\(institution)::uuid IS NULL OR r.institution = \(institution))
              AND (\(status)::text IS NULL OR r.status = \(status))
              AND (\(appliedOnOrBefore)::date IS NULL OR r.applied_on <= \(appliedOnOrBefore))
            ORDER BY r.applied_on, r.id LIMIT \(limit)
            """
        ).map { row in
            RegistrationListing(
                id: try row.decode("id", as: UUID.self), physicianName: try row.decode("name", as: String.self),
                region: try row.decode("region", as: RegionCode.self),
                institutionName: try row.decode("institution", as: String.self),
                scopes: try row.decode("scopes", as: [String].self),
                status: try row.decode("status", as: RegistrationStatus.self),
                isHome: try row.decode("is_home", as: Bool.self),
                appliedOn: try row.decode("applied_on", as: CalendarDate.self),
                effectiveOn: try row.decode("effective_on", as: CalendarDate?.self))
        }
    }
}
