import Dates
import Foundation
import Registration

/// A synthetic person's identity: a resident ID whose region, birth date and
/// sex agree with the record, unique by construction.
struct SeedIdentity {
    let idNumber: String
    let birth: CalendarDate
    let sex: Sex

    static let firstBirth = CalendarDate(year: 1956, month: 1, day: 1)!
    /// Birth days 1956-01-01 … 1999-12-31 times 1,000 sequence numbers.
    static let space: UInt64 = 16_071 * 1_000
    /// A prime above `space`: multiplying by it permutes 0..<space.
    static let stride: UInt64 = 16_777_213

    /// Person `local` of a county (physicians first, then nurses) maps one-to-one onto
    /// (birth day, sequence), so no two people share an ID number.
    init(county: String, local: Int, seed: UInt64) {
        var h: UInt64 = seed
        for b in county.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        let k = (UInt64(local) % SeedIdentity.space * SeedIdentity.stride + h % SeedIdentity.space) % SeedIdentity.space
        birth = SeedIdentity.firstBirth.adding(days: Int(k / 1_000))
        let sequence = Int(k % 1_000)
        sex = sequence % 2 == 1 ? .male : .female
        let d = birth
        let first17 =
            county + SeedText.padded(d.year, 4) + SeedText.padded(d.month, 2) + SeedText.padded(d.day, 2)
            + SeedText.padded(sequence, 3)
        idNumber = first17 + String(ResidentID.checkCharacter(for: first17))
    }

    func age(on day: CalendarDate) -> Int {
        var years = day.year - birth.year
        if (day.month, day.day) < (birth.month, birth.day) { years -= 1 }
        return years
    }
}

/// Everything seed writes about one physician: the person, the home registration,
/// filings and a studio (credit records draw from a stream of their own).
struct SeedPhysician {
    let index: Int
    let county: Int
    let identity: SeedIdentity
    let name: String
    let level: PhysicianLevel
    let category: PracticeCategory
    var status: PersonStatus = .active
    var statusOn: CalendarDate?
    var certificateNo: String?
    var registration: SeedRegistration?
    var filings: [SeedFiling] = []
    var studio: SeedStudio?

    init(_ w: SeedWorld, _ i: Int) {
        index = i
        let c = SeedWorld.county(of: i, in: w.physicianStart)
        county = c
        let local = i - w.physicianStart[c]
        identity = SeedIdentity(county: w.counties[c].code, local: local, seed: w.seed)
        var g = w.generator(.physician, i)
        name = SeedText.personName(&g)
        level = g.chance(0.17) ? .assistant : .physician
        let k = g.unit()
        category = k < 0.74 ? .clinical : k < 0.90 ? .tcm : k < 0.96 ? .dental : .publicHealth
        let age = identity.age(on: w.asOf)
        let retirement = identity.birth.adding(years: 60)
        if age >= 60, g.chance(age >= 65 ? 0.85 : 0.5) {
            status = .retired
            statusOn = retirement
        }

        guard let primary = w.employer(in: c, &g) else { return }
        var r = SeedRegistration(index: i, institution: primary)
        r.region = level == .physician ? w.counties[c].province : w.counties[c].code
        let earliest = max(SeedWorld.reformStart, identity.birth.adding(years: 24))
        guard earliest < w.asOf else { return }
        r.applied = SeedWorld.day(between: earliest, and: w.asOf.adding(days: -1), &g)
        let scopes = category.scopes
        let inst = w.institutions[primary]
        r.scopes = [category == .clinical ? scopes[g.below(12)] : scopes[0]]
        if inst.category.isGrassroots, category == .clinical, g.chance(0.4), r.scopes[0] != "全科医学" {
            r.scopes.append("全科医学")
        }

        // Most applications are decided within four weeks; some recent ones are still pending (and overdue).
        let u = g.unit()
        let delay = u < 0.6 ? 1 + g.below(14) : u < 0.9 ? 15 + g.below(14) : 29 + g.below(17)
        let decided = r.applied.adding(days: delay)
        if decided > w.asOf || (r.applied.days(until: w.asOf) <= 50 && g.chance(0.5)) {
            r.status = .pending
            registration = r
            return
        }
        r.decided = decided
        if g.chance(0.025) {
            r.status = .rejected
            r.rejection = "材料不全，请补正后重新申请"
            registration = r
            return
        }
        r.status = .active
        certificateNo =
            level.certificateDigit + category.certificateDigits + r.region + SeedText.padded(certificateSerial(w), 6)

        // What happened since: death, retirement, leaving, moving on.
        if g.chance(0.004) {
            status = .deceased
            statusOn = SeedWorld.day(between: decided, and: w.asOf, &g)
            r.cancel(on: statusOn!, .death)
        } else if status == .retired {
            let v = g.unit()
            let since = max(decided, retirement)
            if v < 0.3 {
                if since.adding(years: 2) <= w.asOf {
                    r.cancel(on: since.adding(years: 2), .leaveTwoYears)
                } else {
                    r.leave(since: since, .retired)
                }
            } else if v < 0.45 {
                r.cancel(on: SeedWorld.day(between: since, and: w.asOf, &g), .ownApplication)
            }
        } else {
            let v = g.unit()
            if v < 0.02 {
                r.cancel(on: SeedWorld.day(between: decided, and: w.asOf, &g), g.chance(0.5) ? .moved : .ownApplication)
            } else if v < 0.035 {
                r.leave(
                    since: SeedWorld.day(between: max(decided, w.asOf.adding(days: -700)), and: w.asOf, &g),
                    g.chance(0.5) ? .resigned : .transferred)
            }
        }
        registration = r
        guard r.status == .active else { return }

        // Multi-site practice: hosts in the registration's region, mostly social institutions.
        let files = level == .physician ? g.chance(inst.category.isGrassroots ? 0.2 : 0.45) : g.chance(0.08)
        if files {
            let n = g.chance(0.7) ? 1 : g.chance(0.73) ? 2 : 3
            var hosts: Set<Int> = [primary]
            for _ in 0..<n {
                guard let host = chooseHost(w, &g, primary: primary, avoiding: hosts) else { continue }
                hosts.insert(host)
                filings += SeedFiling.chain(
                    w, &g, host: host, after: decided, contract: "HT\(i)-", number: filings.count)
            }
        }

        // Studios: a share of practising retirees, and a few in-service physicians in spare time.
        if level == .physician, status == .retired ? g.chance(0.35) : g.chance(0.005) {
            for _ in 0..<8 {
                guard let host = w.anyInstitution(in: c, &g) else { break }
                let h = w.institutions[host]
                guard h.status == .active, h.category.mayHostStudio, host != primary else { continue }
                let from = max(decided, status == .retired ? retirement : decided, SeedWorld.reformStart)
                guard from <= w.asOf else { break }
                var s = SeedStudio(
                    host: host, name: "\(name)医生工作室", opened: SeedWorld.day(between: from, and: w.asOf, &g))
                if g.chance(0.05) { s.closed = SeedWorld.day(between: s.opened, and: w.asOf, &g) }
                studio = s
                break
            }
        }
    }

    /// serials number a prefix's certificates; person `index` is unique inside its
    /// province (physicians' prefixes name the province) and county (assistants' name the county).
    func certificateSerial(_ w: SeedWorld) -> Int {
        if level == .assistant { return index - w.physicianStart[county] + 1 }
        return index - w.physicianStart[w.counties[county].provinceRange.lowerBound] + 1
    }

    /// A host for a filing: an active institution other than the primary, in the primary's
    /// county (assistants, R-21) or mostly nearby in the province; social ones preferred.
    func chooseHost(_ w: SeedWorld, _ g: inout SeededDraw, primary: Int, avoiding: Set<Int>) -> Int? {
        let provinceCounties = w.counties[county].provinceRange
        for _ in 0..<10 {
            let c =
                level == .assistant || g.chance(0.55)
                ? county : provinceCounties.lowerBound + g.below(provinceCounties.count)
            guard let host = w.anyInstitution(in: c, &g), !avoiding.contains(host) else { continue }
            let h = w.institutions[host]
            guard h.status == .active, h.category != .villageClinic else { continue }
            if !h.social, !g.chance(0.3) { continue }
            return host
        }
        return nil
    }
}

struct SeedRegistration {
    let index: Int
    let institution: Int
    var region = ""
    var scopes: [String] = []
    var status: RegistrationStatus = .pending
    var applied = SeedWorld.reformStart
    var decided: CalendarDate?
    var rejection: String?
    var leaveSince: CalendarDate?
    var leaveReason: LeaveReason?
    var cancelled: CalendarDate?
    var cancelReason: CancellationReason?

    init(index: Int, institution: Int) {
        self.index = index
        self.institution = institution
    }

    mutating func cancel(on day: CalendarDate, _ reason: CancellationReason) {
        status = .cancelled
        cancelled = day
        cancelReason = reason
        leaveSince = nil
        leaveReason = nil
    }

    mutating func leave(since day: CalendarDate, _ reason: LeaveReason) {
        status = .onLeave
        leaveSince = day
        leaveReason = reason
    }
}

/// A contract at a host; renewals start the day after the previous one ends.
struct SeedFiling {
    let host: Int
    let contractNo: String
    let from: CalendarDate
    let to: CalendarDate
    var ended: CalendarDate? = nil

    static func chain(
        _ w: SeedWorld, _ g: inout SeededDraw, host: Int, after: CalendarDate, contract: String, number: Int
    ) -> [SeedFiling] {
        var out: [SeedFiling] = []
        var from = SeedWorld.day(between: after, and: w.asOf, &g)
        while true {
            let to = from.adding(days: 365 * (1 + g.below(3)) - 1)
            let ended = to < w.asOf ? to : nil
            out.append(
                SeedFiling(
                    host: host, contractNo: contract + String(number + out.count + 1), from: from, to: to, ended: ended)
            )
            guard ended != nil, g.chance(0.6) else { return out }
            from = to.adding(days: 1)
        }
    }
}

struct SeedStudio {
    let host: Int
    let name: String
    let opened: CalendarDate
    var closed: CalendarDate?
}

/// A nurse, the current registration (R-50, R-51; regional under a pilot, R-53) and filings.
struct SeedNurse {
    let index: Int
    let county: Int
    let identity: SeedIdentity
    let name: String
    let qualificationNo: String
    var status: PersonStatus = .active
    var registration: SeedNurseRegistration?
    var filings: [SeedFiling] = []

    init(_ w: SeedWorld, _ i: Int) {
        index = i
        let c = SeedWorld.county(of: i, in: w.nurseStart)
        county = c
        let local = i - w.nurseStart[c]
        // After the county's physicians in the same identity space: nobody shares an ID number.
        identity = SeedIdentity(
            county: w.counties[c].code, local: w.physicianStart[c + 1] - w.physicianStart[c] + local, seed: w.seed)
        qualificationNo = "N" + w.counties[c].code + SeedText.padded(local, 7)
        var g = w.generator(.nurse, i)
        name = SeedText.personName(&g)
        let age = identity.age(on: w.asOf)
        if age >= 55, g.chance(0.7) { status = .retired }
        let earliest = max(SeedWorld.reformStart, identity.birth.adding(years: 20))
        guard earliest < w.asOf, let primary = w.employer(in: c, &g) else { return }
        var r = SeedNurseRegistration(institution: primary)
        r.applied = SeedWorld.day(between: earliest, and: w.asOf.adding(days: -1), &g)
        let u = g.unit()
        let decided = r.applied.adding(days: u < 0.7 ? 1 + g.below(14) : 15 + g.below(30))
        if decided > w.asOf || (r.applied.days(until: w.asOf) <= 50 && g.chance(0.5)) {
            registration = r
            return
        }
        r.decided = decided
        if g.chance(0.015) {
            r.status = .rejected
            registration = r
            return
        }
        r.status = .active
        r.expires = decided.adding(years: 5)
        while r.expires! <= w.asOf {
            guard status == .active, g.chance(0.75) else {
                r.status = .expired
                break
            }
            r.renewed = r.expires!.adding(days: -(30 + g.below(60)))
            r.expires = r.expires!.adding(years: 5)
        }
        if status == .retired, r.status == .active, g.chance(0.8) { r.status = .cancelled }
        if let pilot = w.pilot(covering: c, on: decided), g.chance(0.6) {
            r.regional = true
            // a regional nurse may file institutions inside the pilot region.
            if r.status == .active, g.chance(0.1) {
                let region = w.counties(of: pilot, near: c)
                for _ in 0..<6 {
                    guard let host = w.anyInstitution(in: region.lowerBound + g.below(region.count), &g),
                        host != primary,
                        w.institutions[host].status == .active
                    else { continue }
                    filings = SeedFiling.chain(
                        w, &g, host: host, after: max(decided, pilot.from), contract: "NHT\(i)-", number: 0)
                    break
                }
            }
        }
        registration = r
    }
}

struct SeedNurseRegistration {
    let institution: Int
    var status: NurseRegistrationState = .pending
    var regional = false
    var applied = SeedWorld.reformStart
    var decided: CalendarDate?
    var expires: CalendarDate?
    var renewed: CalendarDate?

    init(institution: Int) { self.institution = institution }
}

enum NurseRegistrationState: String {
    case pending, active, rejected, expired, cancelled
}
