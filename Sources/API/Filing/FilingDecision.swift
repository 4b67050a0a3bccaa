import Dates
import Foundation
import Registration

/// `filing.add`'s decision from its facts, shared by the command (facts loaded one by one) and
/// the contracts import (facts loaded in bulk): which registration the filing goes under, after
/// access and the filing rules (R-20 … ).
enum FilingDecision {
    static func add(
        actor: Actor, physician p: PhysicianRecord, institution inst: InstitutionRecord,
        registrations: [RegistrationRecord],
        activeFilings: [ActiveFiling], maxActiveFilings: (RegionCode) throws -> Int?,
        period: ContractPeriod, scope: String?
    ) throws -> RegistrationRecord {
        let regs = registrations.filter { $0.facts.status.isLive }
        // The registration whose region covers the institution; else the home one, so the rule explains.
        guard
            let reg = regs.first(where: { $0.facts.region.covers(inst.facts.county) && $0.facts.status == .active })
                ?? regs.first(where: { $0.facts.region.covers(inst.facts.county) })
                ?? regs.first(where: { $0.facts.isHome }) ?? regs.first
        else {
            throw RegctlError(
                "registration.not-active",
                "the physician has no registration; apply for one first (registration apply)", rule: "R-22")
        }
        // A registrar of the site's county or of the registration's region; HR of the site.
        try Access.requireInstitution(
            actor, institution: inst.facts.id, regions: [inst.facts.county, reg.facts.region],
            to: "file practice at \(inst.facts.name)")
        let atInstitution = activeFilings.filter { $0.institution == inst.id }
            .map { FilingFacts(id: $0.id, contractNo: $0.contractNo, period: $0.period) }
        try FilingRules.add(
            registration: reg.facts, physician: p.facts, institution: inst.facts, period: period, scope: scope,
            activeAtInstitution: atInstitution, activeFilingCount: activeFilings.count,
            maxActiveFilings: try maxActiveFilings(reg.facts.region.province))
        return reg
    }

    /// `filing.end`'s decision: access, then R-24. Returns the day it ends.
    static func end(
        actor: Actor, institution: UUID, county: RegionCode, status: String, period: ContractPeriod,
        on day: CalendarDate
    ) throws -> CalendarDate {
        try Access.requireInstitution(
            actor, institution: institution, regions: [county], to: "end filings at this institution")
        return try FilingRules.end(status: status, period: period, on: day)
    }
}
