import Foundation
import Dates

/// R-10 … R-19: applying, deciding, changing, leave and cancellation of a physician's regional registration.
public enum RegistrationRules {
    /// R-10: a physician's practice region is the province of the primary institution; an assistant's is its county.
    public static func practiceRegion(level: PhysicianLevel, institutionCounty: RegionCode) -> RegionCode {
        level == .physician ? institutionCounty.province : institutionCounty
    }

    /// R-12: one to three scopes from the category's list; more than one only at a grassroots primary institution.
    public static func checkScopes(_ scopes: [String], category: PracticeCategory, primary: InstitutionCategory)
        throws(RuleViolation)
    {
        guard !scopes.isEmpty else {
            throw RuleViolation(
                "registration.scope-count", rule: "R-12",
                "give at least one practice scope (执业范围), for \(category.chineseName): \(category.scopes.joined(separator: "、"))"
            )
        }
        for s in scopes where !category.scopes.contains(s) {
            throw RuleViolation(
                "input.scope", rule: "R-12",
                "\(Quoted.value(s)) is not a practice scope of category \(category.rawValue) (\(category.chineseName)); choose from: \(category.scopes.joined(separator: "、"))"
            )
        }
        guard Set(scopes).count == scopes.count else {
            throw RuleViolation(
                "input.scope", rule: "R-12", "a scope is named twice (\(scopes.joined(separator: ","))); name each once"
            )
        }
        guard scopes.count <= 3 else {
            throw RuleViolation(
                "registration.scope-count", rule: "R-12",
                "\(scopes.count) scopes given; a registration has at most three")
        }
        if scopes.count > 1 && !primary.isGrassroots {
            throw RuleViolation(
                "registration.scope-count", rule: "R-12",
                "more than one scope is allowed only when the primary institution is grassroots (基层); this one is a \(primary.chineseName). Keep one scope, or choose a grassroots primary institution"
            )
        }
    }

    /// Blocks that apply to any new registration, approval or change (R-13, R-60).
    public static func checkEligible(physician: PhysicianFacts, institution: InstitutionFacts) throws(RuleViolation) {
        if physician.status == .deceased {
            throw RuleViolation(
                "physician.deceased", rule: "R-13",
                "the physician is recorded as deceased; nothing can be registered for them")
        }
        try Eligibility.person(
            "physician", blacklisted: physician.blacklisted, toGet: "new registration, filing or studio")
        try Eligibility.institution(institution, rule: "R-13", for: "a registration")
    }

    /// What an accepted application becomes.
    public struct Application: Equatable, Sendable {
        public let region: RegionCode
        public let isHome: Bool
    }

    /// R-13 (with R-11, R-12, R-20, R-21): may this physician apply at this primary institution?
    public static func apply(
        physician: PhysicianFacts, institution: InstitutionFacts, scopes: [String],
        existing: [RegistrationFacts], on date: CalendarDate
    ) throws(RuleViolation) -> Application {
        try checkEligible(physician: physician, institution: institution)
        let region = practiceRegion(level: physician.level, institutionCounty: institution.county)
        let live = existing.filter { $0.status.isLive }
        if physician.level == .assistant, let held = live.first {
            throw RuleViolation(
                "registration.assistant-single", rule: "R-21",
                "an assistant physician (执业助理医师) holds one registration in all and already has one in \(held.region) (\(held.status.rawValue)); change that registration's institution instead (registration change), within its county"
            )
        }
        if let same = live.first(where: { $0.region == region }) {
            throw RuleViolation(
                "registration.exists-in-region", rule: "R-11",
                "the physician already has a \(same.status.rawValue) registration in region \(region) (\(same.id.text)); change it (registration change) instead of applying again"
            )
        }
        if let cancelled = existing.filter({
            $0.region == region && $0.status == .cancelled && $0.cancelReason == .assessmentFailed
        })
        .compactMap(\.cancelledOn).max(), date < cancelled.adding(years: 1) {
            throw RuleViolation(
                "registration.recently-cancelled", rule: "R-13",
                "the physician's registration in \(region) was cancelled for a failed assessment on \(cancelled); a new application is possible from \(cancelled.adding(years: 1)) (医师法 §16)"
            )
        }
        try checkScopes(scopes, category: physician.category, primary: institution.category)
        if let home = live.first(where: \.isHome), Set(home.scopes) != Set(scopes) {
            throw RuleViolation(
                "registration.scopes-differ", rule: "R-20",
                "a registration in another region carries the same scopes as the home registration (\(home.scopes.joined(separator: ","))); apply with those scopes, or change the home registration first"
            )
        }
        return Application(region: region, isHome: live.isEmpty)
    }

    /// R-14: only a pending application is decided, not before it was made.
    public static func checkDecision(status: RegistrationStatus, appliedOn: CalendarDate, on date: CalendarDate)
        throws(RuleViolation)
    {
        guard status == .pending else {
            throw RuleViolation(
                "registration.not-pending", rule: "R-14",
                "the registration is \(status.rawValue); only a pending application can be approved or rejected")
        }
        guard date >= appliedOn else {
            throw RuleViolation(
                "input.date", rule: "R-14",
                "the decision date \(date) is before the application (\(appliedOn)); give a date on or after it")
        }
    }

    /// R-14: the 15-digit practice certificate number.
    public static func certificateNumber(
        level: PhysicianLevel, category: PracticeCategory, region: RegionCode, serial: Int
    ) -> String {
        let s = String(serial)
        return level.certificateDigit + category.certificateDigits + region.value
            + String(repeating: "0", count: max(0, 6 - s.count)) + s
    }

    /// The prefix under which serials are counted (all but the serial).
    public static func certificatePrefix(level: PhysicianLevel, category: PracticeCategory, region: RegionCode)
        -> String
    {
        level.certificateDigit + category.certificateDigits + region.value
    }

    /// R-15: working days a registrar has to decide.
    public static let decisionWorkingDays = 20

    /// R-15: a decision is due within 20 working days of the application.
    public static func decisionDeadline(appliedOn: CalendarDate, calendar: WorkingCalendar) -> CalendarDate {
        calendar.adding(workingDays: decisionWorkingDays, to: appliedOn)
    }

    /// R-15: pending past the deadline.
    public static func isOverdue(
        status: RegistrationStatus, appliedOn: CalendarDate, today: CalendarDate, calendar: WorkingCalendar
    ) -> Bool {
        status == .pending && today > decisionDeadline(appliedOn: appliedOn, calendar: calendar)
    }

    /// R-18: the day a leave is cancelled by the maintenance run (two full years).
    public static func leaveEnds(since: CalendarDate) -> CalendarDate { since.adding(years: 2) }

    /// What a change does.
    public struct Change: Equatable, Sendable {
        public let institution: UUID
        public let scopes: [String]
        /// True when an on-leave registration returns to active (R-17).
        public let returnsFromLeave: Bool
    }

    /// R-16, R-17: changing the primary institution within the region, or the scopes.
    public static func change(
        registration r: RegistrationFacts, physician: PhysicianFacts, newInstitution: InstitutionFacts?,
        newScopes: [String]?, on date: CalendarDate
    ) throws(RuleViolation) -> Change {
        guard newInstitution != nil || newScopes != nil else {
            throw RuleViolation(
                "input.change", rule: "R-16", field: "institution",
                "say what changes: the primary institution, the scopes or both")
        }
        switch r.status {
        case .active: break
        case .onLeave:
            guard newInstitution != nil else {
                throw RuleViolation(
                    "registration.not-active", rule: "R-17", field: "institution",
                    "the registration is on leave; a change while on leave names the new primary institution, which returns it to active"
                )
            }
            if let since = r.leaveSince, date >= leaveEnds(since: since) {
                throw RuleViolation(
                    "registration.not-active", rule: "R-18",
                    "the leave began \(since), more than two years before \(date); the registration lapses (leave-2y): apply for a new registration"
                )
            }
        default:
            throw RuleViolation(
                "registration.not-active", rule: "R-16",
                "the registration is \(r.status.rawValue); only an active or on-leave registration can be changed")
        }
        var primaryCategory = r.institutionCategory
        var institutionID = r.institution
        if let inst = newInstitution {
            let region = practiceRegion(level: physician.level, institutionCounty: inst.county)
            guard region == r.region else {
                throw RuleViolation(
                    "registration.other-region", rule: "R-16",
                    "\(inst.name) is in \(region), outside this registration's region \(r.region); moving to another region is a new registration there (registration apply, R-20) followed by cancelling this one with reason moved"
                )
            }
            guard inst.id != r.institution || r.status == .onLeave else {
                throw RuleViolation(
                    "input.change", rule: "R-16", "\(inst.name) is already the primary institution; nothing to change")
            }
            try checkEligible(physician: physician, institution: inst)
            primaryCategory = inst.category
            institutionID = inst.id
        } else {
            try Eligibility.person("physician", blacklisted: physician.blacklisted, toGet: "change")
        }
        let scopes = newScopes ?? r.scopes
        try checkScopes(scopes, category: physician.category, primary: primaryCategory)
        return Change(institution: institutionID, scopes: scopes, returnsFromLeave: r.status == .onLeave)
    }

    /// R-17: leaving the primary institution puts an active registration on leave.
    public static func leave(registration r: RegistrationFacts, on date: CalendarDate) throws(RuleViolation) {
        guard r.status == .active else {
            throw RuleViolation(
                "registration.not-active", rule: "R-17",
                "the registration is \(r.status.rawValue); only an active registration goes on leave")
        }
        if let effective = r.effectiveOn, date < effective {
            throw RuleViolation(
                "input.date", rule: "R-17",
                "the leave date \(date) is before the registration took effect (\(effective))")
        }
    }

    /// R-19: any registration not already cancelled or rejected can be cancelled.
    public static func cancel(registration r: RegistrationFacts) throws(RuleViolation) {
        guard r.status.isLive else {
            throw RuleViolation(
                "registration.not-active", rule: "R-19", "the registration is already \(r.status.rawValue)")
        }
    }
}

/// R-19: what cancelling a registration does, decided in one place and carried out by the store: the
/// registration is cancelled, its filings end and the studios that depended on it close, all on `day`;
/// when the physician is left with live registrations and none of them is home, the oldest (by
/// application day, then id) becomes home.
public struct CancellationPlan: Sendable, Equatable {
    public let day: CalendarDate
    public let reason: CancellationReason
    public let newHome: UUID?

    /// A live registration the physician keeps: its id, the day it was applied for, whether it is home.
    public struct Remaining: Sendable, Equatable {
        public let id: UUID
        public let appliedOn: CalendarDate
        public let isHome: Bool
        public init(id: UUID, appliedOn: CalendarDate, isHome: Bool) {
            self.id = id
            self.appliedOn = appliedOn
            self.isHome = isHome
        }
    }

    public init(reason: CancellationReason, on day: CalendarDate, remaining: [Remaining]) {
        self.day = day
        self.reason = reason
        newHome =
            remaining.contains(where: \.isHome)
            ? nil
            : remaining.min { ($0.appliedOn, $0.id.text) < ($1.appliedOn, $1.id.text) }?.id
    }
}
