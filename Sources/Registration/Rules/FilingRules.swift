import Foundation
import Dates

/// A contract period `[from, to]`, both days included.
public struct ContractPeriod: Equatable, Sendable {
    public let from: CalendarDate
    public let to: CalendarDate

    public init(from: CalendarDate, to: CalendarDate) {
        self.from = from
        self.to = to
    }

    public func overlaps(_ other: ContractPeriod) -> Bool { from <= other.to && other.from <= to }
}

/// An active filing of the same physician at the same institution, for R-22's overlap check.
public struct FilingFacts: Equatable, Sendable {
    public let id: UUID
    public let contractNo: String
    public let period: ContractPeriod

    public init(id: UUID, contractNo: String, period: ContractPeriod) {
        self.id = id
        self.contractNo = contractNo
        self.period = period
    }
}

/// R-20 … R-26: filing additional practice sites under contracts.
public enum FilingRules {
    /// R-22 (with R-21, R-23, R-25, R-60): may the physician file this institution for this period?
    public static func add(
        registration r: RegistrationFacts, physician: PhysicianFacts, institution: InstitutionFacts,
        period: ContractPeriod, scope: String?, activeAtInstitution: [FilingFacts],
        activeFilingCount: Int, maxActiveFilings: Int?
    ) throws(RuleViolation) {
        guard r.status == .active else {
            throw RuleViolation(
                "registration.not-active", rule: "R-22",
                "the registration is \(r.status.rawValue); filings are made under an active registration")
        }
        guard r.region.covers(institution.county) else {
            if physician.level == .assistant {
                throw RuleViolation(
                    "filing.outside-region", rule: "R-21",
                    "\(institution.name) is outside \(r.region), the one county where an assistant physician practises; an assistant files only institutions in that county"
                )
            }
            throw RuleViolation(
                "filing.outside-region", rule: "R-22",
                "\(institution.name) is in \(institution.county.province), outside this registration's region \(r.region); to practise there, first apply for a registration in that province (registration apply, R-20), then file under it"
            )
        }
        guard institution.id != r.institution else {
            throw RuleViolation(
                "filing.primary-institution", rule: "R-22",
                "\(institution.name) is the registration's primary institution; a filing is for an additional institution"
            )
        }
        try Eligibility.person("physician", blacklisted: physician.blacklisted, toGet: "new filing")
        try Eligibility.institution(institution, rule: "R-22", for: "a filing")
        guard period.to >= period.from else {
            throw RuleViolation(
                "input.period", rule: "R-22", field: "to",
                "the contract ends (\(period.to)) before it starts (\(period.from)); give a start on or before the end")
        }
        if let effective = r.effectiveOn, period.from < effective {
            throw RuleViolation(
                "filing.before-registration", rule: "R-22",
                "the contract starts \(period.from), before the registration became active (\(effective)); start it on or after \(effective)"
            )
        }
        if let scope, !r.scopes.contains(scope) {
            throw RuleViolation(
                "input.scope", rule: "R-22",
                "\(Quoted.value(scope)) is not among the registration's scopes (\(r.scopes.joined(separator: ","))); a filing practises within them"
            )
        }
        if let clash = activeAtInstitution.first(where: { $0.period.overlaps(period) }) {
            throw RuleViolation(
                "filing.overlap", rule: "R-22",
                "an active filing at \(institution.name) (contract \(clash.contractNo), \(clash.period.from) to \(clash.period.to)) overlaps \(period.from) to \(period.to); a renewal starts the day after the previous contract ends (R-25), or end that filing first"
            )
        }
        if let cap = maxActiveFilings, activeFilingCount >= cap {
            throw RuleViolation(
                "filing.cap", rule: "R-23",
                "the province allows \(cap) active filings per physician and this physician has \(activeFilingCount); end one first"
            )
        }
    }

    /// R-24: an active filing ends on request; the end date is not after the contract's end.
    public static func end(status: String, period: ContractPeriod, on date: CalendarDate) throws(RuleViolation)
        -> CalendarDate
    {
        guard status == "active" else {
            throw RuleViolation("filing.not-active", rule: "R-24", "the filing has already ended")
        }
        guard date >= period.from.adding(days: -1) else {
            throw RuleViolation(
                "input.date", rule: "R-24", "the end date \(date) is before the contract started (\(period.from))")
        }
        return endDay(of: period, endedOn: date)
    }

    /// R-24: the day a filing (a physician's or a nurse's) ends when something ends it on `day`: its
    /// contract's last day if that came first (the maintenance run ends a lapsed contract on its last day),
    /// and never before the day before it began (a filing that had not started yet ends unstarted). The
    /// one definition for a request, a leave or cancellation (R-17, R-19), an institution's closure and the
    /// daily run; the store writes the days it returns.
    public static func endDay(of period: ContractPeriod, endedOn day: CalendarDate) -> CalendarDate {
        max(min(day, period.to), period.from.adding(days: -1))
    }

    /// What a row naming an existing contract does to it (R-25).
    public enum ContractUpdate: Equatable, Sendable {
        /// The same period and scope: nothing to write.
        case unchanged
        /// A new period or scope, to be checked as a new filing would be beside the physician's others.
        case update
    }

    /// R-25: a contract number names one contract of an institution. A row naming an existing one for the
    /// same physician updates it while it is active (its period and scope); the same values change
    /// nothing; another physician's, or an ended contract (a renewal is a new contract with its own
    /// number), is refused.
    public static func updateContract(
        contractNo: String, heldBySamePhysician: Bool, active: Bool, period: ContractPeriod, scope: String?,
        newPeriod: ContractPeriod, newScope: String?
    ) throws(RuleViolation) -> ContractUpdate {
        guard heldBySamePhysician else {
            throw RuleViolation(
                "filing.contract-exists", rule: "R-25",
                "this institution already has a filing under contract \(contractNo) for another physician; a contract number names one contract"
            )
        }
        if period == newPeriod && scope == newScope { return .unchanged }
        guard active else {
            throw RuleViolation(
                "filing.contract-exists", rule: "R-25",
                "contract \(contractNo) has ended; a renewal is a new contract with its own number (R-25)")
        }
        return .update
    }

    /// R-26: active for a continuous year at a social institution: 稳定执业.
    public static func isStable(active: Bool, from: CalendarDate, ownership: Ownership, asOf: CalendarDate) -> Bool {
        active && ownership == .social && from.adding(years: 1) <= asOf
    }
}
