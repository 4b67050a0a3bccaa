import Foundation
import Dates

public enum NurseRegistrationStatus: String, CaseIterable, Sendable, Codable {
    case pending, active, rejected, expired, cancelled

    public var isLive: Bool { self == .pending || self == .active }
}

/// A pilot region (护士区域注册试点) and its period (R-52).
public struct PilotFacts: Sendable, Equatable {
    public let id: UUID
    public let region: RegionCode
    public let from: CalendarDate
    public let to: CalendarDate?

    public init(id: UUID, region: RegionCode, from: CalendarDate, to: CalendarDate?) {
        self.id = id
        self.region = region
        self.from = from
        self.to = to
    }

    public func covers(_ county: RegionCode, on day: CalendarDate) -> Bool {
        region.covers(county) && from <= day && (to.map { day <= $0 } ?? true)
    }
}

/// A nurse registration as the rules see it.
public struct NurseRegistrationFacts: Sendable, Equatable {
    public let id: UUID
    public let institution: UUID
    public let institutionCounty: RegionCode
    public let status: NurseRegistrationStatus
    public let regional: Bool
    public let expiresOn: CalendarDate?

    public init(
        id: UUID, institution: UUID, institutionCounty: RegionCode, status: NurseRegistrationStatus, regional: Bool,
        expiresOn: CalendarDate?
    ) {
        self.id = id
        self.institution = institution
        self.institutionCounty = institutionCounty
        self.status = status
        self.regional = regional
        self.expiresOn = expiresOn
    }
}

/// R-50 … R-54: nurse registration, renewal, and the regional-registration pilot.
public enum NurseRules {
    public static let validityYears = 5
    public static let renewalNoticeDays = 30

    /// R-51: the last day a renewal may be applied for.
    public static func renewalDeadline(expires: CalendarDate) -> CalendarDate {
        expires.adding(days: -renewalNoticeDays)
    }

    /// R-52: the pilots covering a county on a day (it or an ancestor has a pilot then).
    public static func pilots(covering county: RegionCode, on day: CalendarDate, among pilots: [PilotFacts])
        -> [PilotFacts]
    {
        pilots.filter { $0.covers(county, on: day) }
    }

    /// R-54: a regional filing ends with the pilot that covered it. Returns nil while a pilot covers both the
    /// nurse's home county and the filing's county on `day`; otherwise the day it ended: the last day a pilot
    /// covering both was in force (else the day before `day`), never before the day before the filing began.
    public static func filingEndWhenUncovered(
        homeCounty home: RegionCode, county: RegionCode, filingFrom from: CalendarDate,
        on day: CalendarDate, pilots: [PilotFacts]
    ) -> CalendarDate? {
        guard Self.pilots(covering: home, on: day, among: pilots).filter({ $0.region.covers(county) }).isEmpty else {
            return nil
        }
        let lastCovered =
            pilots.filter { $0.region.covers(home) && $0.region.covers(county) }.compactMap(\.to).filter { $0 < day }
            .max()
            ?? day.adding(days: -1)
        return max(lastCovered, from.adding(days: -1))
    }

    /// R-50, R-53: may the nurse register at this institution (regionally or not)?
    public static func register(
        nurseStatus: PersonStatus, nurseBlacklisted: Bool, institution: InstitutionFacts, regional: Bool,
        live: [NurseRegistrationFacts], pilots: [PilotFacts], on day: CalendarDate
    ) throws(RuleViolation) {
        if nurseStatus == .deceased {
            throw RuleViolation("nurse.deceased", rule: "R-50", "the nurse is recorded as deceased")
        }
        try Eligibility.person("nurse", blacklisted: nurseBlacklisted, toGet: "registration")
        try Eligibility.institution(institution, rule: "R-50", for: "a nurse registration")
        if let held = live.first {
            throw RuleViolation(
                "nurse.registration-exists", rule: "R-50",
                "the nurse already has a \(held.status.rawValue) registration (\(held.id.text)); a nurse holds one registration, with one primary institution"
            )
        }
        if regional && NurseRules.pilots(covering: institution.county, on: day, among: pilots).isEmpty {
            throw RuleViolation(
                "nurse.not-in-pilot", rule: "R-53", field: "regional",
                "\(institution.name) (\(institution.county)) is in no nurse regional-registration pilot on \(day); register without the regional option, bound to the institution"
            )
        }
    }

    /// R-50: only a pending application is decided, not before it was made (as R-14 for physicians).
    public static func checkDecision(status: NurseRegistrationStatus, appliedOn: CalendarDate, on date: CalendarDate)
        throws(RuleViolation)
    {
        guard status == .pending else {
            throw RuleViolation(
                "registration.not-pending", rule: "R-50",
                "the nurse registration is \(status.rawValue); only a pending one is approved or rejected")
        }
        guard date >= appliedOn else {
            throw RuleViolation(
                "input.date", rule: "R-50",
                "the decision date \(date) is before the application (\(appliedOn)); give a date on or after it")
        }
    }

    /// R-50, R-60: at approval the nurse and the primary institution must still be eligible.
    public static func checkApproval(nurseBlacklisted: Bool, institution: InstitutionFacts) throws(RuleViolation) {
        try Eligibility.person("nurse", blacklisted: nurseBlacklisted, toGet: "approval")
        try Eligibility.institution(institution, rule: "R-50", for: "a nurse registration")
    }

    /// R-50: valid five years from approval.
    public static func expiry(approvedOn: CalendarDate) -> CalendarDate { approvedOn.adding(years: validityYears) }

    /// R-51: renewal no later than 30 days before expiry; extends five years from the old expiry.
    public static func renew(_ r: NurseRegistrationFacts, nurseBlacklisted: Bool, on day: CalendarDate)
        throws(RuleViolation) -> CalendarDate
    {
        if r.status == .expired || (r.expiresOn.map { day >= $0 } ?? false) {
            throw RuleViolation(
                "nurse.expired", rule: "R-51",
                "the registration expired on \(r.expiresOn?.description ?? "?"); apply for a new registration (nurse register)"
            )
        }
        guard r.status == .active, let expires = r.expiresOn else {
            throw RuleViolation(
                "registration.not-active", rule: "R-51",
                "the registration is \(r.status.rawValue); only an active registration is renewed")
        }
        try Eligibility.person("nurse", blacklisted: nurseBlacklisted, toGet: "renewal")
        let deadline = renewalDeadline(expires: expires)
        guard day <= deadline else {
            throw RuleViolation(
                "nurse.renewal-too-late", rule: "R-51",
                "renewal is applied for at least \(renewalNoticeDays) days before expiry (by \(deadline)); the registration expires \(expires), after which a new registration is needed"
            )
        }
        return expires.adding(years: validityYears)
    }

    /// R-53: a regional nurse files another institution inside the pilot region, as physicians do (R-22).
    public static func file(
        _ r: NurseRegistrationFacts, nurseBlacklisted: Bool, institution: InstitutionFacts, period: ContractPeriod,
        pilots: [PilotFacts], activeAtInstitution: [FilingFacts], on day: CalendarDate
    ) throws(RuleViolation) {
        if r.status == .expired || (r.expiresOn.map { day >= $0 } ?? false) {
            throw RuleViolation(
                "nurse.expired", rule: "R-51",
                "the nurse's registration expired on \(r.expiresOn?.description ?? "?"); a new registration is needed")
        }
        guard r.status == .active else {
            throw RuleViolation(
                "registration.not-active", rule: "R-53",
                "the nurse's registration is \(r.status.rawValue); filings are made under an active registration")
        }
        guard r.regional else {
            throw RuleViolation(
                "nurse.not-in-pilot", rule: "R-53",
                "the nurse's registration is bound to its institution (not regional); outside a pilot a nurse files no other institution"
            )
        }
        let home = NurseRules.pilots(covering: r.institutionCounty, on: period.from, among: pilots)
        guard home.contains(where: { $0.covers(institution.county, on: period.from) }) else {
            throw RuleViolation(
                "nurse.not-in-pilot", rule: "R-53",
                "\(institution.name) (\(institution.county)) is outside the pilot region of the nurse's registration on \(period.from); regional nurses file institutions inside it"
            )
        }
        guard institution.id != r.institution else {
            throw RuleViolation(
                "filing.primary-institution", rule: "R-53",
                "\(institution.name) is the registration's primary institution")
        }
        try Eligibility.person("nurse", blacklisted: nurseBlacklisted, toGet: "new filing")
        try Eligibility.institution(institution, rule: "R-53", for: "a filing")
        guard period.to >= period.from else {
            throw RuleViolation(
                "input.period", rule: "R-53", "the contract ends (\(period.to)) before it starts (\(period.from))")
        }
        if let clash = activeAtInstitution.first(where: { $0.period.overlaps(period) }) {
            throw RuleViolation(
                "filing.overlap", rule: "R-53",
                "an active filing at \(institution.name) (contract \(clash.contractNo), \(clash.period.from) to \(clash.period.to)) overlaps this period"
            )
        }
    }
}
