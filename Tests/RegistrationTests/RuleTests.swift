import Foundation
import Testing
import Dates
@testable import Registration

func d(_ s: String) -> CalendarDate { CalendarDate(parsing: s)! }

/// A record id for the tests, named by a short text (the same text gives the same id).
func rid(_ s: String) -> UUID {
    if let u = UUID(uuidString: s) { return u }
    let hex = s.unicodeScalars.map { String(format: "%02x", $0.value & 0xFF) }.joined()
    let padded = (hex + String(repeating: "0", count: 32)).prefix(32)
    let h = Array(padded)
    return UUID(
        uuidString:
            "\(String(h[0..<8]))-\(String(h[8..<12]))-\(String(h[12..<16]))-\(String(h[16..<20]))-\(String(h[20..<32]))"
    )!
}

let xihu = RegionCode("330106")!
let hospital = InstitutionFacts(
    id: rid("H"), name: "省人民医院", county: xihu, category: .generalHospital, ownership: .public, status: .active,
    blacklisted: false)
let clinic = InstitutionFacts(
    id: rid("C"), name: "和睦门诊部", county: xihu, category: .outpatientDepartment, ownership: .social, status: .active,
    blacklisted: false)
let nanjing = InstitutionFacts(
    id: rid("N"), name: "鼓楼诊所", county: RegionCode("320102")!, category: .clinic, ownership: .social, status: .active,
    blacklisted: false)
let doctor = PhysicianFacts(id: rid("P"), level: .physician, category: .clinical, status: .active, blacklisted: false)
let assistant = PhysicianFacts(
    id: rid("A"), level: .assistant, category: .clinical, status: .active, blacklisted: false)

func registration(
    _ status: RegistrationStatus = .active, region: String = "330000", institution: InstitutionFacts = hospital,
    scopes: [String] = ["内科"],
    home: Bool = true, effective: String? = "2026-01-05", leave: String? = nil,
    cancelled: String? = nil, reason: CancellationReason? = nil
) -> RegistrationFacts {
    RegistrationFacts(
        id: rid("R"), region: RegionCode(region)!, institution: institution.id, institutionCounty: institution.county,
        institutionCategory: institution.category, status: status, scopes: scopes, isHome: home,
        effectiveOn: effective.map(d), leaveSince: leave.map(d), cancelledOn: cancelled.map(d), cancelReason: reason)
}

func violation(_ body: () throws -> Void) -> RuleViolation? {
    do {
        try body()
        return nil
    } catch { return error as? RuleViolation }
}

func code(_ body: () throws -> Void) -> String? {
    do {
        try body()
        return nil
    } catch let v as RuleViolation { return v.code } catch { return "unexpected: \(error)" }
}

@Suite struct ApplyRuleTests {
    @Test func practiceRegionByLevel() {
        #expect(RegistrationRules.practiceRegion(level: .physician, institutionCounty: xihu).value == "330000")
        #expect(RegistrationRules.practiceRegion(level: .assistant, institutionCounty: xihu).value == "330106")
    }

    @Test func firstApplicationIsHome() throws {
        let a = try RegistrationRules.apply(
            physician: doctor, institution: hospital, scopes: ["内科"], existing: [], on: d("2026-03-01"))
        #expect(a.region.value == "330000" && a.isHome)
    }

    @Test(arguments: [
        (["内科", "外科"], InstitutionCategory.generalHospital, "registration.scope-count"),
        ([], .clinic, "registration.scope-count"),
        (["内科", "外科", "儿科", "全科医学"], .clinic, "registration.scope-count"),
        (["中医"], .clinic, "input.scope"),
        (["内科", "内科"], .clinic, "input.scope")
    ])
    func scopeRules(scopes: [String], primary: InstitutionCategory, expected: String) {
        #expect(code { try RegistrationRules.checkScopes(scopes, category: .clinical, primary: primary) } == expected)
    }

    @Test func threeScopesAtGrassroots() {
        #expect(
            code {
                try RegistrationRules.checkScopes(
                    ["内科", "外科", "儿科"], category: .clinical, primary: .townshipHealthCenter)
            } == nil)
    }

    @Test func refusals() {
        var dead = doctor
        dead.status = .deceased
        var black = doctor
        black.blacklisted = true
        var blackInst = hospital
        blackInst.blacklisted = true
        var closed = hospital
        closed.status = .suspended
        let on = d("2026-03-01")
        #expect(
            code {
                _ = try RegistrationRules.apply(
                    physician: dead, institution: hospital, scopes: ["内科"], existing: [], on: on)
            } == "physician.deceased")
        #expect(
            code {
                _ = try RegistrationRules.apply(
                    physician: black, institution: hospital, scopes: ["内科"], existing: [], on: on)
            } == "physician.blacklisted")
        #expect(
            code {
                _ = try RegistrationRules.apply(
                    physician: doctor, institution: blackInst, scopes: ["内科"], existing: [], on: on)
            } == "institution.blacklisted")
        #expect(
            code {
                _ = try RegistrationRules.apply(
                    physician: doctor, institution: closed, scopes: ["内科"], existing: [], on: on)
            } == "institution.inactive")
        #expect(
            code {
                _ = try RegistrationRules.apply(
                    physician: doctor, institution: hospital, scopes: ["内科"], existing: [registration(.pending)], on: on
                )
            } == "registration.exists-in-region")
        #expect(
            code {
                _ = try RegistrationRules.apply(
                    physician: doctor, institution: hospital, scopes: ["内科"],
                    existing: [registration(.onLeave, leave: "2026-01-01")], on: on)
            } == "registration.exists-in-region")
        #expect(
            code {
                _ = try RegistrationRules.apply(
                    physician: assistant, institution: nanjing, scopes: ["内科"],
                    existing: [registration(region: "330106")], on: on)
            } == "registration.assistant-single")
    }

    @Test func cancelledAndRejectedDoNotHoldTheRegion() throws {
        let on = d("2026-03-01")
        let gone = [
            registration(.cancelled, cancelled: "2025-01-01", reason: .moved), registration(.rejected, home: false)
        ]
        #expect(
            try RegistrationRules.apply(
                physician: doctor, institution: hospital, scopes: ["内科"], existing: gone, on: on
            ).isHome)
    }

    @Test func failedAssessmentWaitsAYear() {
        let prior = [registration(.cancelled, cancelled: "2025-06-01", reason: .assessmentFailed)]
        #expect(
            code {
                _ = try RegistrationRules.apply(
                    physician: doctor, institution: hospital, scopes: ["内科"], existing: prior, on: d("2026-05-31"))
            } == "registration.recently-cancelled")
        #expect(
            code {
                _ = try RegistrationRules.apply(
                    physician: doctor, institution: hospital, scopes: ["内科"], existing: prior, on: d("2026-06-01"))
            } == nil)
    }

    @Test func secondRegionCarriesTheHomeScopes() throws {
        let home = [registration()]
        let a = try RegistrationRules.apply(
            physician: doctor, institution: nanjing, scopes: ["内科"], existing: home, on: d("2026-03-01"))
        #expect(a.region.value == "320000" && !a.isHome)
        #expect(
            code {
                _ = try RegistrationRules.apply(
                    physician: doctor, institution: nanjing, scopes: ["外科"], existing: home, on: d("2026-03-01"))
            } == "registration.scopes-differ")
    }

    @Test func decisions() {
        #expect(
            code {
                try RegistrationRules.checkDecision(status: .active, appliedOn: d("2026-03-01"), on: d("2026-03-02"))
            } == "registration.not-pending")
        #expect(
            code {
                try RegistrationRules.checkDecision(status: .pending, appliedOn: d("2026-03-01"), on: d("2026-02-28"))
            } == "input.date")
        #expect(
            code {
                try RegistrationRules.checkDecision(status: .pending, appliedOn: d("2026-03-01"), on: d("2026-03-01"))
            } == nil)
    }

    @Test func certificateNumber() {
        let n = RegistrationRules.certificateNumber(
            level: .assistant, category: .tcm, region: RegionCode("330106")!, serial: 42)
        #expect(n == "220330106000042")
        #expect(n.count == 15)
        #expect(
            RegistrationRules.certificateNumber(
                level: .physician, category: .publicHealth, region: RegionCode("330000")!, serial: 999_999)
                == "140330000999999")
    }

    @Test func overdue() {
        let cal = WorkingCalendar()
        #expect(
            !RegistrationRules.isOverdue(
                status: .pending, appliedOn: d("2026-03-02"), today: d("2026-03-30"), calendar: cal))
        #expect(
            RegistrationRules.isOverdue(
                status: .pending, appliedOn: d("2026-03-02"), today: d("2026-03-31"), calendar: cal))
        #expect(
            !RegistrationRules.isOverdue(
                status: .active, appliedOn: d("2026-03-02"), today: d("2026-12-31"), calendar: cal))
    }
}

@Suite struct ChangeLeaveCancelRuleTests {
    @Test func changeWithinRegion() throws {
        let c = try RegistrationRules.change(
            registration: registration(), physician: doctor, newInstitution: clinic, newScopes: ["内科", "全科医学"],
            on: d("2026-04-01"))
        #expect(c.institution == rid("C") && c.scopes == ["内科", "全科医学"] && !c.returnsFromLeave)
    }

    @Test func movingRegionIsNotAChange() {
        #expect(
            code {
                _ = try RegistrationRules.change(
                    registration: registration(), physician: doctor, newInstitution: nanjing, newScopes: nil,
                    on: d("2026-04-01"))
            } == "registration.other-region")
    }

    @Test func scopesMustFitTheNewPrimary() {
        let atClinic = registration(institution: clinic, scopes: ["内科", "外科"])
        #expect(
            code {
                _ = try RegistrationRules.change(
                    registration: atClinic, physician: doctor, newInstitution: hospital, newScopes: nil,
                    on: d("2026-04-01"))
            } == "registration.scope-count")
    }

    @Test func leaveEndsWithANewPrimaryWithinTwoYears() throws {
        let onLeave = registration(.onLeave, leave: "2025-01-10")
        let back = try RegistrationRules.change(
            registration: onLeave, physician: doctor, newInstitution: clinic, newScopes: nil, on: d("2027-01-09"))
        #expect(back.returnsFromLeave)
        #expect(
            code {
                _ = try RegistrationRules.change(
                    registration: onLeave, physician: doctor, newInstitution: clinic, newScopes: nil,
                    on: d("2027-01-10"))
            } == "registration.not-active")
        #expect(
            code {
                _ = try RegistrationRules.change(
                    registration: onLeave, physician: doctor, newInstitution: nil, newScopes: ["外科"],
                    on: d("2026-01-10"))
            } == "registration.not-active")
        #expect(RegistrationRules.leaveEnds(since: d("2024-02-29")).description == "2026-02-28")
    }

    @Test func leaveAndCancel() {
        #expect(
            code { try RegistrationRules.leave(registration: registration(.pending), on: d("2026-04-01")) }
                == "registration.not-active")
        #expect(code { try RegistrationRules.leave(registration: registration(), on: d("2025-12-31")) } == "input.date")
        #expect(code { try RegistrationRules.leave(registration: registration(), on: d("2026-04-01")) } == nil)
        #expect(
            code {
                try RegistrationRules.cancel(
                    registration: registration(.cancelled, cancelled: "2026-01-01", reason: .other))
            } == "registration.not-active")
        #expect(code { try RegistrationRules.cancel(registration: registration(.onLeave, leave: "2026-02-01")) } == nil)
    }
}

@Suite struct FilingRuleTests {
    let period = ContractPeriod(from: d("2026-03-01"), to: d("2027-02-28"))

    func add(
        _ r: RegistrationFacts = registration(), physician: PhysicianFacts = doctor,
        institution: InstitutionFacts = clinic,
        period: ContractPeriod? = nil, scope: String? = nil, existing: [FilingFacts] = [], count: Int = 0,
        cap: Int? = nil
    ) -> String? {
        code {
            try FilingRules.add(
                registration: r, physician: physician, institution: institution, period: period ?? self.period,
                scope: scope,
                activeAtInstitution: existing, activeFilingCount: count, maxActiveFilings: cap)
        }
    }

    @Test func accepted() { #expect(add() == nil) }

    @Test func refusals() {
        var black = doctor
        black.blacklisted = true
        var blackInst = clinic
        blackInst.blacklisted = true
        var closed = clinic
        closed.status = .closed
        #expect(add(institution: nanjing) == "filing.outside-region")
        #expect(add(institution: hospital) == "filing.primary-institution")
        #expect(add(institution: closed) == "institution.inactive")
        #expect(add(physician: black) == "physician.blacklisted")
        #expect(add(institution: blackInst) == "institution.blacklisted")
        #expect(add(period: ContractPeriod(from: d("2026-05-01"), to: d("2026-04-30"))) == "input.period")
        #expect(add(period: ContractPeriod(from: d("2026-01-04"), to: d("2026-12-31"))) == "filing.before-registration")
        #expect(add(registration(.onLeave, leave: "2026-02-01")) == "registration.not-active")
        #expect(add(scope: "外科") == "input.scope")
        #expect(
            add(existing: [
                FilingFacts(
                    id: rid("F"), contractNo: "old", period: ContractPeriod(from: d("2025-03-01"), to: d("2026-03-01")))
            ]) == "filing.overlap")
        #expect(add(count: 3, cap: 3) == "filing.cap")
        #expect(add(count: 2, cap: 3) == nil)
    }

    @Test func outsideRegionSaysToRegisterThere() throws {
        let v = violation {
            try FilingRules.add(
                registration: registration(), physician: doctor, institution: nanjing, period: period, scope: nil,
                activeAtInstitution: [], activeFilingCount: 0, maxActiveFilings: nil)
        }
        #expect(v?.rule == "R-22")
        #expect(v?.message.contains("registration apply") == true)
        #expect(v?.message.contains("320000") == true)
    }

    @Test func assistantsStayInTheirCounty() {
        let county = registration(region: "330106")
        let otherCounty = InstitutionFacts(
            id: rid("X"), name: "上城诊所", county: RegionCode("330102")!, category: .clinic, ownership: .social,
            status: .active, blacklisted: false)
        #expect(add(county, physician: assistant, institution: otherCounty) == "filing.outside-region")
        #expect(add(county, physician: assistant, institution: clinic) == nil)
    }

    @Test func renewalStartsTheDayAfter() {
        let previous = FilingFacts(
            id: rid("F"), contractNo: "old", period: ContractPeriod(from: d("2025-03-01"), to: d("2026-02-28")))
        #expect(add(existing: [previous]) == nil)
    }

    @Test func endingAndStanding() throws {
        #expect(try FilingRules.end(status: "active", period: period, on: d("2030-01-01")) == d("2027-02-28"))
        #expect(try FilingRules.end(status: "active", period: period, on: d("2026-06-01")) == d("2026-06-01"))
        #expect(
            code { _ = try FilingRules.end(status: "ended", period: period, on: d("2026-06-01")) }
                == "filing.not-active")
        #expect(FilingRules.isStable(active: true, from: d("2025-03-01"), ownership: .social, asOf: d("2026-03-01")))
        #expect(!FilingRules.isStable(active: true, from: d("2025-03-02"), ownership: .social, asOf: d("2026-03-01")))
        #expect(!FilingRules.isStable(active: true, from: d("2020-01-01"), ownership: .public, asOf: d("2026-03-01")))
    }
}

/// R-24's end day and R-54's, the days the store writes.
@Suite struct EndDayRuleTests {
    @Test(arguments: [
        ("2026-06-01", "2026-06-01"),  // ended mid-contract: that day
        ("2027-05-01", "2027-03-01"),  // after the contract lapsed (the daily run): its last day
        ("2026-02-01", "2026-03-01")  // before it began: the day before it began, unstarted
    ])
    func filingEndDay(endedOn: String, expected: String) {
        let period = ContractPeriod(from: d("2026-03-02"), to: d("2027-03-01"))
        #expect(FilingRules.endDay(of: period, endedOn: d(endedOn)) == d(expected))
    }

    @Test func nurseFilingsEndWithTheirPilot() {
        let hz = RegionCode("330100")!, xh = RegionCode("330106")!, gs = RegionCode("330105")!,
            nj = RegionCode("320102")!
        let ended = PilotFacts(id: rid("p1"), region: hz, from: d("2026-01-01"), to: d("2026-06-30"))
        let running = PilotFacts(id: rid("p2"), region: xh, from: d("2026-01-01"), to: nil)
        // Still covered by the running pilot of 西湖: nothing ends.
        #expect(
            NurseRules.filingEndWhenUncovered(
                homeCounty: xh, county: xh, filingFrom: d("2026-03-01"), on: d("2026-07-15"), pilots: [ended, running])
                == nil)
        // 拱墅 was covered only by 杭州's pilot: the filing ended on its last day.
        #expect(
            NurseRules.filingEndWhenUncovered(
                homeCounty: xh, county: gs, filingFrom: d("2026-03-01"), on: d("2026-07-15"), pilots: [ended, running])
                == d("2026-06-30"))
        // A filing that began after the pilot ended ends unstarted; one never covered ends the day before.
        #expect(
            NurseRules.filingEndWhenUncovered(
                homeCounty: xh, county: gs, filingFrom: d("2026-07-10"), on: d("2026-07-15"), pilots: [ended])
                == d("2026-07-09"))
        #expect(
            NurseRules.filingEndWhenUncovered(
                homeCounty: xh, county: nj, filingFrom: d("2026-03-01"), on: d("2026-07-15"), pilots: [ended, running])
                == d("2026-07-14"))
    }
}

/// R-19: what a cancellation leaves behind.
@Suite struct CancellationPlanTests {
    typealias R = CancellationPlan.Remaining
    @Test func homePassesToTheOldestLiveRegistration() {
        let a = R(id: rid("B0000000-0000-0000-0000-000000000000"), appliedOn: d("2026-03-01"), isHome: false)
        let b = R(id: rid("a0000000-0000-0000-0000-000000000000"), appliedOn: d("2026-03-01"), isHome: false)
        let c = R(id: rid("00000000-0000-0000-0000-000000000000"), appliedOn: d("2026-04-01"), isHome: false)
        #expect(CancellationPlan(reason: .moved, on: d("2026-05-01"), remaining: [a, b, c]).newHome == b.id)
        // A home among them stays home; nothing left, nothing to hand over.
        let home = R(id: rid("c0000000-0000-0000-0000-000000000000"), appliedOn: d("2026-06-01"), isHome: true)
        #expect(CancellationPlan(reason: .moved, on: d("2026-05-01"), remaining: [a, home]).newHome == nil)
        #expect(CancellationPlan(reason: .death, on: d("2026-05-01"), remaining: []).newHome == nil)
        #expect(CancellationPlan(reason: .death, on: d("2026-05-01"), remaining: []).day == d("2026-05-01"))
    }
}

@Suite struct AccessRuleTests {
    let zj = Actor(id: "zj", role: .registrar, region: RegionCode("330000")!)
    let hz = Actor(id: "hz", role: .registrar, region: RegionCode("330100")!)
    let js = Actor(id: "js", role: .registrar, region: RegionCode("320000")!)
    let hr = Actor(id: "hr", role: .hr, institution: rid("C"))
    let analyst = Actor(id: "an", role: .analyst, region: RegionCode("330000")!)

    @Test func registrarsActInsideTheirRegion() {
        #expect(code { try Access.requireRegion(zj, RegionCode("330106")!, to: "x") } == nil)
        #expect(code { try Access.requireRegion(hz, RegionCode("330106")!, to: "x") } == nil)
        #expect(code { try Access.requireRegion(hz, RegionCode("330000")!, to: "x") } == "permission.denied")
        #expect(code { try Access.requireRegion(js, RegionCode("330000")!, to: "x") } == "permission.denied")
        #expect(code { try Access.requireRegion(analyst, RegionCode("330106")!, to: "x") } == "permission.denied")
    }

    @Test func hrActsForItsInstitution() {
        #expect(code { try Access.requireInstitution(hr, institution: rid("C"), regions: [xihu], to: "x") } == nil)
        #expect(
            code { try Access.requireInstitution(hr, institution: rid("H"), regions: [xihu], to: "x") }
                == "permission.denied")
        #expect(code { try Access.requireAdmin(hr, to: "x") } == "permission.denied")
    }

    @Test func fullIDNumbers() {
        #expect(Access.seesFullIDNumber(zj, subjectRegions: [xihu]))
        #expect(!Access.seesFullIDNumber(js, subjectRegions: [xihu]))
        #expect(!Access.seesFullIDNumber(analyst, subjectRegions: [xihu]))
        #expect(Access.seesFullIDNumber(Actor(id: "a", role: .admin), subjectRegions: []))
    }
}

@Suite struct EligibilityTests {
    @Test func blacklistAndActiveChecksShareOneFunction() {
        var black = clinic
        black.blacklisted = true
        var suspended = clinic
        suspended.status = .suspended
        #expect(
            violation { try Eligibility.institution(black, rule: "R-22", for: "a filing") }.map { [$0.code, $0.rule!] }
                == ["institution.blacklisted", "R-60"])
        #expect(
            violation { try Eligibility.institution(suspended, rule: "R-22", for: "a filing") }.map {
                [$0.code, $0.rule!]
            } == ["institution.inactive", "R-22"])
        #expect(violation { try Eligibility.institution(clinic, rule: "R-22", for: "a filing") } == nil)
        #expect(
            violation { try Eligibility.person("nurse", blacklisted: true, toGet: "renewal") }?.code
                == "nurse.blacklisted")
        #expect(violation { try Eligibility.person("physician", blacklisted: false, toGet: "studio") } == nil)
    }
}
