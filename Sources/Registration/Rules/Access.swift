import Foundation
import Dates

/// Staff roles (R-70).
public enum StaffRole: String, CaseIterable, Sendable, Codable {
    case admin, registrar, hr, analyst
}

/// Who is acting, and over what (R-70).
public struct Actor: Sendable, Equatable {
    public let id: String
    public let role: StaffRole
    public let region: RegionCode?
    public let institution: UUID?
    /// HR's institution as people name it (名称（统一社会信用代码）), for refusals; read once the account acts.
    public var institutionLabel: String?

    public init(id: String, role: StaffRole, region: RegionCode? = nil, institution: UUID? = nil) {
        self.id = id
        self.role = role
        self.region = region
        self.institution = institution
    }
}

/// R-70: registrars act inside their region, HR for its institution, analysts only read, admin everything.
public enum Access {
    static func denied(_ actor: Actor, _ what: String) -> RuleViolation {
        let scope: String
        switch actor.role {
        case .admin: scope = "everything"
        case .registrar: scope = "region \(actor.region?.value ?? "?") and the regions inside it"
        case .hr: scope = "institution \(actor.institutionLabel ?? actor.institution?.text ?? "?")"
        case .analyst: scope = "reading only"
        }
        return RuleViolation(
            "permission.denied", rule: "R-70",
            "\(actor.id) (\(actor.role.rawValue), scope: \(scope)) may not \(what); ask a registrar of that region or an admin"
        )
    }

    /// Only admin (staff accounts, holiday calendar).
    public static func requireAdmin(_ actor: Actor, to what: String) throws(RuleViolation) {
        guard actor.role == .admin else { throw denied(actor, what) }
    }

    /// Registrar or admin, anywhere (records not tied to a region, such as a physician's identity).
    public static func requireRegistrar(_ actor: Actor, to what: String) throws(RuleViolation) {
        guard actor.role == .admin || actor.role == .registrar else { throw denied(actor, what) }
    }

    /// Registrar whose region covers `region`, or admin. The SQL copy, which the database checks again on
    /// every decision of an application, is `regctl_may_decide` (migration 0007); RoleMatrixTests
    /// checks both on one table of cases.
    public static func requireRegion(_ actor: Actor, _ region: RegionCode, to what: String) throws(RuleViolation) {
        if actor.role == .admin { return }
        guard actor.role == .registrar, let mine = actor.region, mine.covers(region) else { throw denied(actor, what) }
    }

    /// Registrar or admin acting on a person (a retirement, a death): a registrar must cover one of the
    /// person's registrations (`regions`: each registration's region and its institution's county); a
    /// person registered nowhere is any registrar's (identities are national).
    public static func requirePerson(_ actor: Actor, regions: [RegionCode], to what: String) throws(RuleViolation) {
        switch actor.role {
        case .admin: return
        case .registrar:
            guard regions.isEmpty || actor.region.map({ mine in regions.contains(where: mine.covers) }) == true else {
                throw denied(actor, what)
            }
        case .hr, .analyst:
            throw denied(actor, what)
        }
    }

    /// Registrar covering any of `regions`, HR of `institution`, or admin: work on a record tied to an institution.
    public static func requireInstitution(_ actor: Actor, institution: UUID?, regions: [RegionCode], to what: String)
        throws(RuleViolation)
    {
        switch actor.role {
        case .admin: return
        case .registrar:
            guard let mine = actor.region, regions.contains(where: mine.covers) else { throw denied(actor, what) }
        case .hr:
            guard actor.institution == institution else { throw denied(actor, what) }
        case .analyst:
            throw denied(actor, what)
        }
    }

    /// R-70 for reports: admin reads any region (nil: the whole country); registrars and
    /// analysts read inside their region (nil: all of it); HR reads only its own roster.
    public static func reportRegion(_ actor: Actor, requested: RegionCode?) throws(RuleViolation) -> RegionCode? {
        switch actor.role {
        case .admin:
            return requested
        case .registrar, .analyst:
            guard let mine = actor.region else { throw denied(actor, "read reports") }
            guard let requested else { return mine }
            guard mine.covers(requested) else { throw denied(actor, "read reports on region \(requested)") }
            return requested
        case .hr:
            throw denied(actor, "read regional reports (HR reads its institution's roster: regctl report roster)")
        }
    }

    /// R-70 for reading an institution's records (its roster, its filings): admin, HR of the
    /// institution, registrars and analysts covering its region.
    public static func requireRosterReader(
        _ actor: Actor, institution: UUID, region: RegionCode, what: String = "roster"
    ) throws(RuleViolation) {
        switch actor.role {
        case .admin: return
        case .hr:
            guard actor.institution == institution else { throw denied(actor, "read another institution's \(what)") }
        case .registrar, .analyst:
            guard let mine = actor.region, mine.covers(region) else {
                throw denied(actor, "read the \(what) of an institution in \(region)")
            }
        }
    }

    /// R-70/R-72: the region a list of people reads: the one asked for, narrowed to the reader's own when the
    /// reader's lies inside it (a registrar or analyst sees no one registered outside it: the row-level
    /// policy would drop them one by one), the reader's own when none is asked for.
    public static func listRegion(_ actor: Actor, requested: RegionCode?) -> RegionCode? {
        guard actor.role == .registrar || actor.role == .analyst, let own = actor.region else { return requested }
        guard let requested else { return own }
        return requested.covers(own) ? own : requested
    }

    /// R-72: whether the actor may find a person outside its scope by the full ID number: admin, and
    /// registrars, who register people from anywhere (one person at a time, each look-up an event).
    /// Everyone else finds only the people its scope shows it (the row-level policy on `physician`
    /// and `nurse`), and is told "not found" for anyone else, as for a number nobody holds.
    public static func findsAnyone(_ actor: Actor) -> Bool {
        actor.role == .admin || actor.role == .registrar
    }

    /// R-72: a birth date as shown beside the ID number: in full with a full number, else its year only
    /// (the masked characters of a resident ID number are the birth date).
    public static func birthDateShown(_ birth: CalendarDate, fullIDNumber: Bool) -> String {
        fullIDNumber ? birth.description : String(birth.year)
    }

    /// R-72: whether the actor may read a subject's ID number in full. The SQL copy, for readers in
    /// SQL, is `regctl_person_access` (migration 0007); RoleMatrixTests checks both on one table of cases.
    public static func seesFullIDNumber(_ actor: Actor, subjectRegions: [RegionCode]) -> Bool {
        switch actor.role {
        case .admin: return true
        case .registrar: return actor.region.map { mine in subjectRegions.contains(where: mine.covers) } ?? false
        default: return false
        }
    }
}
