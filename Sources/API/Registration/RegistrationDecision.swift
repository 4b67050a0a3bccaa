import Dates
import Foundation
import Registration

/// The decisions of `registration apply` and `registration leave`, shared by the commands and the imports.
enum RegistrationDecision {
    /// Access and R-10 ….
    static func apply(
        actor: Actor, physician p: PhysicianRecord, institution inst: InstitutionRecord, scopes: [String],
        existing: [RegistrationRecord], on day: CalendarDate
    ) throws -> RegistrationRules.Application {
        let region = RegistrationRules.practiceRegion(level: p.facts.level, institutionCounty: inst.facts.county)
        try Access.requireInstitution(
            actor, institution: inst.facts.id, regions: [region, inst.facts.county],
            to: "apply for registrations at \(inst.facts.name)")
        return try RegistrationRules.apply(
            physician: p.facts, institution: inst.facts, scopes: scopes, existing: existing.map(\.facts), on: day)
    }

    /// The registration an application becomes, as the rules see it before a decision.
    static func pending(
        _ r: NewRegistration, institution inst: InstitutionRecord
    ) -> RegistrationRecord {
        RegistrationRecord(
            id: r.id, physician: r.physician.id, institution: inst.id, appliedOn: r.appliedOn,
            category: r.physician.facts.category.rawValue, institutionOwnership: inst.facts.ownership.rawValue,
            facts: RegistrationFacts(
                id: r.id, region: r.application.region, institution: inst.id,
                institutionCounty: inst.facts.county, institutionCategory: inst.facts.category, status: .pending,
                scopes: r.scopes, isHome: r.application.isHome))
    }

    /// Access and R-17.
    static func leave(actor: Actor, registration reg: RegistrationRecord, on day: CalendarDate) throws {
        try Access.requireInstitution(
            actor, institution: reg.facts.institution, regions: [reg.facts.region, reg.facts.institutionCounty],
            to: "record leaves in \(reg.facts.region)")
        try RegistrationRules.leave(registration: reg.facts, on: day)
    }
}
