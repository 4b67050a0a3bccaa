import Dates
import Foundation
import Registration

/// How much synthetic data `regctl seed` writes, and where.
public enum SeedScale: String, CaseIterable, Sendable {
    case demo, province, national

    var institutions: Int {
        switch self {
        case .demo: 2_000
        case .province: 50_000
        case .national: 1_000_000
        }
    }
    var physicians: Int {
        switch self {
        case .demo: 9_000
        case .province: 225_000
        case .national: 4_500_000
        }
    }
    var nurses: Int {
        switch self {
        case .demo: 11_000
        case .province: 275_000
        case .national: 5_500_000
        }
    }
    /// The provinces (first two digits) the data lies in; nil for every province.
    var provincePrefixes: [String]? {
        switch self {
        case .demo: ["32", "33"]
        case .province: ["33"]
        case .national: nil
        }
    }
}

/// A county-level region the synthetic people and institutions live in.
struct SeedCounty: Sendable {
    let code: String
    let name: String
    let province: String
    /// Index of the first and one past the last county of its province in `SeedWorld.counties`.
    var provinceRange: Range<Int> = 0..<0
}

/// The skeleton every generated record hangs from: counties, how many institutions
/// and people each holds, and each institution's kind. Every record is a pure
/// function of (seed, kind of record, index), so each table is written in its own
/// pass without holding the others in memory, and the same seed gives the same data.
struct SeedWorld: Sendable {
    let seed: UInt64
    let asOf: CalendarDate
    let counties: [SeedCounty]
    /// Start index per county (and one past the end) of institutions, physicians and nurses.
    let institutionStart: [Int]
    let physicianStart: [Int]
    let nurseStart: [Int]
    let institutions: [SeedInstitution]
    /// Per institution, the running sum within its county of how many people it employs (0 for inactive ones).
    let employmentSum: [Double]
    let pilots: [SeedPilot]

    /// The reform's start in Zhejiang (浙卫发〔2018〕): the earliest date in the data.
    static let reformStart = CalendarDate(year: 2018, month: 4, day: 1)!

    init(seed: UInt64, scale: SeedScale, asOf: CalendarDate, counties input: [SeedCounty]) {
        self.seed = seed
        self.asOf = asOf
        var counties = input
        var start = 0
        for i in counties.indices where i == counties.count - 1 || counties[i + 1].province != counties[i].province {
            for j in start...i { counties[j].provinceRange = start..<(i + 1) }
            start = i + 1
        }
        self.counties = counties
        var weights: [Double] = []
        for c in counties.indices {
            var g = SeedWorld.generator(seed, .county, c)
            weights.append(0.3 + 1.4 * g.unit())
        }
        institutionStart = SeedWorld.allocate(scale.institutions, weights)
        physicianStart = SeedWorld.allocate(scale.physicians, weights)
        nurseStart = SeedWorld.allocate(scale.nurses, weights)
        var institutions: [SeedInstitution] = []
        var sums: [Double] = []
        institutions.reserveCapacity(scale.institutions)
        sums.reserveCapacity(scale.institutions)
        for c in counties.indices {
            var sum = 0.0
            for j in institutionStart[c]..<institutionStart[c + 1] {
                let inst = SeedInstitution(seed: seed, index: j, county: c, asOf: asOf)
                institutions.append(inst)
                if inst.status == .active { sum += Double(inst.beds) + 3 }
                sums.append(sum)
            }
        }
        self.institutions = institutions
        employmentSum = sums
        pilots = SeedWorld.choosePilots(seed, counties)
    }

    /// Contiguous blocks proportional to the weights, summing exactly to `total`.
    static func allocate(_ total: Int, _ weights: [Double]) -> [Int] {
        let sum = weights.reduce(0, +)
        var running = 0.0
        var starts = [0]
        for w in weights {
            running += w
            starts.append(Int((Double(total) * running / sum).rounded(.down)))
        }
        starts[starts.count - 1] = total
        return starts
    }

    /// What a generator is drawing for; each gets independent streams.
    enum Stream: UInt64 {
        case county = 1, institution = 2, physician = 3, nurse = 4, credit = 6, pilot = 7, uuid = 8
    }

    static func generator(_ seed: UInt64, _ stream: Stream, _ index: Int) -> SeededDraw {
        var z =
            seed &* 0x9E37_79B9_7F4A_7C15 ^ stream.rawValue &* 0xD1B5_4A32_D192_ED03 ^ UInt64(index)
            &* 0xA24B_AED4_963E_E407
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return SeededDraw(state: z ^ (z >> 31))
    }

    func generator(_ stream: Stream, _ index: Int) -> SeededDraw { SeedWorld.generator(seed, stream, index) }

    /// A version-4-shaped UUID that is a function of the seed, the table and the row number.
    func uuid(_ table: SeedTable, _ index: Int) -> String {
        var g = generator(.uuid, table.rawValue << 40 | index)
        return SeedText.uuid(g.next(), g.next())
    }

    /// The county holding entry `index` of a block allocation.
    static func county(of index: Int, in starts: [Int]) -> Int {
        var lo = 0, hi = starts.count - 2
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if starts[mid] <= index { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// An active institution of county `c`, drawn in proportion to its size; nil when the county has none.
    func employer(in c: Int, _ g: inout SeededDraw) -> Int? {
        let range = institutionStart[c]..<institutionStart[c + 1]
        guard let total = range.last.map({ employmentSum[$0] }), total > 0 else { return nil }
        let target = g.unit() * total
        var lo = range.lowerBound, hi = range.upperBound - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if employmentSum[mid] > target { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }

    /// Any institution of county `c` (uniformly), nil when it has none.
    func anyInstitution(in c: Int, _ g: inout SeededDraw) -> Int? {
        let n = institutionStart[c + 1] - institutionStart[c]
        return n > 0 ? institutionStart[c] + g.below(n) : nil
    }

    /// Pilot regions: all of Zhejiang from 2019, and three prefectures elsewhere from mid-2020.
    static func choosePilots(_ seed: UInt64, _ counties: [SeedCounty]) -> [SeedPilot] {
        var pilots: [SeedPilot] = []
        if counties.contains(where: { $0.province == "330000" }) {
            pilots.append(SeedPilot(region: "330000", from: CalendarDate(year: 2019, month: 1, day: 1)!))
        }
        var prefectures: [String] = []
        for c in counties where c.province != "330000" {
            let p = String(c.code.prefix(4)) + "00"
            if prefectures.last != p { prefectures.append(p) }
        }
        var g = generator(seed, .pilot, 0)
        for p in g.sample(prefectures, count: 3).sorted() {
            pilots.append(SeedPilot(region: p, from: CalendarDate(year: 2020, month: 7, day: 1)!))
        }
        return pilots
    }

    /// The pilot covering county `c` on `day`, if any.
    func pilot(covering c: Int, on day: CalendarDate) -> SeedPilot? {
        let code = counties[c].code
        return pilots.first { p in
            p.from <= day
                && (p.region == counties[c].province
                    || code.hasPrefix(p.region.prefix(4)) && !p.region.hasSuffix("0000"))
        }
    }

    /// Counties a pilot covers (indexes into `counties`).
    func counties(of pilot: SeedPilot, near c: Int) -> Range<Int> {
        let range = counties[c].provinceRange
        if pilot.region.hasSuffix("0000") { return range }
        let prefix = pilot.region.prefix(4)
        let first = range.first { counties[$0].code.hasPrefix(prefix) } ?? c
        let last = range.last { counties[$0].code.hasPrefix(prefix) } ?? c
        return first..<(last + 1)
    }

    /// A date uniformly in [from, to] (from when the range is empty).
    static func day(between from: CalendarDate, and to: CalendarDate, _ g: inout SeededDraw) -> CalendarDate {
        let span = from.days(until: to)
        return span <= 0 ? from : from.adding(days: g.below(span + 1))
    }
}

/// The tables seed writes, numbered for the UUID streams.
enum SeedTable: Int {
    case institution = 1, physician, registration, filing, studio, nurse, nurseRegistration, nurseFiling, pilot, credit,
        event
}

struct SeedPilot: Sendable {
    let region: String
    let from: CalendarDate
}

/// One synthetic institution: its kind, size and standing.
struct SeedInstitution: Sendable {
    let county: Int32
    let category: InstitutionCategory
    let social: Bool
    let forProfit: Bool
    let beds: Int32
    let status: InstitutionStatus

    /// Categories in about the proportions of the national statistics (村卫生室 half of all),
    /// each with the share run by social capital and a range of approved beds (public, social).
    static let mix:
        [(
            InstitutionCategory, weight: Double, social: Double, publicBeds: ClosedRange<Int>,
            socialBeds: ClosedRange<Int>
        )] = [
            (.villageClinic, 52, 0.3, 0...0, 0...0),
            (.clinic, 20, 0.95, 0...0, 0...0),
            (.medicalOffice, 6, 0.5, 0...0, 0...0),
            (.outpatientDepartment, 3.5, 0.95, 0...10, 0...20),
            (.communityHealthStation, 2.6, 0.3, 0...0, 0...0),
            (.communityHealthCenter, 1, 0.05, 0...60, 0...40),
            (.townshipHealthCenter, 3.2, 0.02, 10...120, 10...60),
            (.generalHospital, 2, 0.55, 150...2500, 20...600),
            (.tcmHospital, 0.6, 0.45, 100...900, 20...300),
            (.specialtyHospital, 1.1, 0.7, 60...800, 20...300),
            (.nursingHomeHospital, 0.3, 0.85, 50...300, 30...300),
            (.elderlyCareMedical, 1, 0.8, 20...200, 20...300),
            (.independentLab, 0.3, 0.95, 0...0, 0...0),
            (.imagingCenter, 0.2, 0.9, 0...0, 0...0),
            (.dialysisCenter, 0.3, 0.9, 0...0, 0...0),
            (.hospice, 0.1, 0.5, 10...60, 10...60),
            (.other, 5.8, 0.6, 0...0, 0...0)
        ]
    static let mixTotal = mix.reduce(0) { $0 + $1.weight }

    init(seed: UInt64, index: Int, county: Int, asOf: CalendarDate) {
        var g = SeedWorld.generator(seed, .institution, index)
        var pick = g.unit() * SeedInstitution.mixTotal
        var entry = SeedInstitution.mix[0]
        for m in SeedInstitution.mix {
            entry = m
            pick -= m.weight
            if pick < 0 { break }
        }
        self.county = Int32(county)
        category = entry.0
        social = g.chance(entry.social)
        forProfit = social && g.chance(0.6)
        let range = social ? entry.socialBeds : entry.publicBeds
        // Sizes are skewed: many small, few large (the square of a uniform draw).
        let u = g.unit()
        beds = Int32(range.lowerBound + Int(Double(range.upperBound - range.lowerBound) * u * u))
        let s = g.unit()
        status = s < 0.01 ? .suspended : s < 0.025 ? .closed : .active
    }
}

/// Fast, allocation-light formatting for millions of rows.
enum SeedText {
    static let hex = Array("0123456789abcdef".utf8)

    static func uuid(_ a: UInt64, _ b: UInt64) -> String {
        // Version 4 and the RFC 4122 variant, so the ids look like the ones commands create.
        let hi = (a & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000
        let lo = (b & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        var bytes = [UInt8](repeating: 0x2D, count: 36)
        var k = 0
        for (word, positions) in [(hi, 0..<16), (lo, 16..<32)] {
            for n in positions {
                if k == 8 || k == 13 || k == 18 || k == 23 { k += 1 }
                let shift = UInt64(60 - 4 * (n % 16))
                bytes[k] = hex[Int((word >> shift) & 0xF)]
                k += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `n` in decimal, zero-padded to `width` digits.
    static func padded(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// An 18-character unified social credit code for institution `index` of `county`.
    static func creditCode(index: Int, county: String, social: Bool, forProfit: Bool) -> String {
        let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
        var body = ""
        var n = index
        for _ in 0..<9 {
            body.append(alphabet[n % 31])
            n /= 31
        }
        let first17 = (social ? (forProfit ? "91" : "52") : "12") + county + String(body.reversed())
        return first17 + String(CreditCode.checkCharacter(for: first17)!)
    }

    static let surnames = Array(
        "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
    static let given = Array("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红建国文辉鹏宇浩婷雪琳晨欣悦思佳俊峰斌颖倩宁波杨蕾瑶慧")

    static func personName(_ g: inout SeededDraw) -> String {
        var s = String(surnames[g.below(surnames.count)])
        s.append(given[g.below(given.count)])
        if g.chance(0.7) { s.append(given[g.below(given.count)]) }
        return s
    }

    static let institutionWords = Array("仁和康宁博爱华美济民安康长庚同济惠民永安协和瑞金明德天使慈恩")

    static func institutionName(_ inst: SeedInstitution, county: String, index: Int) -> String {
        let w = institutionWords
        let word = String(w[index % w.count]) + String(w[(index / w.count) % w.count])
        let place = county.count > 2 ? String(county.dropLast()) : county
        switch inst.category {
        case .villageClinic: return "\(place)\(word)村卫生室"
        case .townshipHealthCenter: return "\(place)\(word)镇卫生院"
        default: return "\(place)\(word)\(inst.category.chineseName)"
        }
    }
}
