import Foundation
import Dates

/// R-40 … R-44: studios of retired and in-service physicians at grassroots and elderly-care hosts.
public enum StudioRules {
    /// What opening a studio does to the physician's registration.
    public enum Opening: Equatable, Sendable {
        /// Under an active registration covering the host.
        case underRegistration(UUID)
        /// an on-leave registration resumes with the host as new primary institution.
        case resuming(UUID, RegistrationRules.Change)
    }

    /// May this physician open a studio at this host?
    public static func open(
        physician: PhysicianFacts, age: Int, host: InstitutionFacts, registrations: [RegistrationFacts],
        openAtHost: Bool, resume: Bool, maxAge: Int?, on date: CalendarDate
    ) throws(RuleViolation) -> Opening {
        if physician.status == .deceased {
            throw RuleViolation("physician.deceased", rule: "R-41", "the physician is recorded as deceased")
        }
        try Eligibility.person("physician", blacklisted: physician.blacklisted, toGet: "studio")
        guard host.category.mayHostStudio else {
            throw RuleViolation(
                "studio.host-ineligible", rule: "R-40",
                "\(host.name) is a \(host.category.chineseName); a studio's host is a grassroots institution (基层: community health centre or station, township health centre, village clinic, outpatient department, clinic, medical office) or an elderly-care-medical institution (医养结合)"
            )
        }
        guard host.status == .active else {
            throw RuleViolation(
                "studio.host-ineligible", rule: "R-40",
                "\(host.name) is \(host.status.rawValue); a studio's host must be active")
        }
        try Eligibility.institution(host, rule: "R-40", for: "a studio")
        if let maxAge, age > maxAge {
            throw RuleViolation(
                "studio.age", rule: "R-42",
                "the physician is \(age); the province's policy allows studios up to age \(maxAge)")
        }
        guard
            let reg = registrations.first(where: {
                $0.status.isLive && $0.status != .pending && $0.region.covers(host.county)
            })
        else {
            throw RuleViolation(
                "studio.outside-region", rule: "R-41",
                "the physician has no active registration covering \(host.county), where \(host.name) is; open a studio there after registering in that province (registration apply, R-20)"
            )
        }
        if openAtHost {
            throw RuleViolation(
                "studio.exists", rule: "R-43",
                "the physician already has an open studio at \(host.name); close it before opening another there")
        }
        switch (reg.status, resume) {
        case (.active, false):
            return .underRegistration(reg.id)
        case (.active, true):
            throw RuleViolation(
                "input.resume", rule: "R-41", field: "resume",
                "resuming is for a registration on leave; this one is active, so open the studio without it")
        case (.onLeave, true):
            let change = try RegistrationRules.change(
                registration: reg, physician: physician, newInstitution: host, newScopes: nil, on: date)
            return .resuming(reg.id, change)
        case (.onLeave, false):
            throw RuleViolation(
                "registration.not-active", rule: "R-41", field: "resume",
                "the registration is on leave; to resume practice through this studio, open it resuming (the host becomes the primary institution)"
            )
        default:
            throw RuleViolation(
                "registration.not-active", rule: "R-41",
                "the registration covering \(host.county) is \(reg.status.rawValue)")
        }
    }

    /// Whole years of age on `date`.
    public static func age(born: CalendarDate, on date: CalendarDate) -> Int {
        var years = date.year - born.year
        if (date.month, date.day) < (born.month, born.day) { years -= 1 }
        return years
    }

    /// only an open studio closes.
    public static func close(isOpen: Bool, openedOn: CalendarDate, on date: CalendarDate) throws(RuleViolation) {
        guard isOpen else { throw RuleViolation("studio.closed", rule: "R-44", "the studio is already closed") }
        guard date >= openedOn else {
            throw RuleViolation(
                "input.date", rule: "R-44", "the studio opened on \(openedOn); it cannot close before that")
        }
    }
}
