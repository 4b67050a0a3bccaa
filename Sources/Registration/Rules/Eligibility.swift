import Foundation
/// R-60 and the active-institution checks that registrations, filings, studios and nurse
/// registrations share: one function each, so the codes and messages cannot drift apart.
public enum Eligibility {
    /// A person on the blacklist (a record in force) gets nothing new.
    public static func person(_ kind: String, blacklisted: Bool, toGet what: String) throws(RuleViolation) {
        if blacklisted {
            throw RuleViolation(
                "\(kind).blacklisted", rule: "R-60",
                "the \(kind) is on the blacklist (a record in force); no \(what) until it is lifted or ends")
        }
    }

    /// An institution must not be blacklisted and must be active (`rule` names the rule asking).
    public static func institution(_ i: InstitutionFacts, rule: String, for what: String) throws(RuleViolation) {
        if i.blacklisted {
            throw RuleViolation(
                "institution.blacklisted", rule: "R-60",
                "\(i.name) is on the blacklist (a record in force); no \(what) there until it is lifted or ends: choose another institution"
            )
        }
        guard i.status == .active else {
            throw RuleViolation(
                "institution.inactive", rule: rule,
                "\(i.name) is \(i.status.rawValue), not active; \(what) needs an active institution")
        }
    }
}
