import Foundation
import Dates

public enum CreditKind: String, CaseIterable, Sendable, Codable {
    case commendation, warning, penalty, blacklist

    /// penalties and blacklist records are public; warnings and commendations are not.
    public var isPublic: Bool { self == .penalty || self == .blacklist }
}

/// A credit record as the rules see it.
public struct CreditFacts: Sendable, Equatable {
    public let kind: CreditKind
    public let decidedOn: CalendarDate
    public let until: CalendarDate?
    public let liftedOn: CalendarDate?

    public init(kind: CreditKind, decidedOn: CalendarDate, until: CalendarDate?, liftedOn: CalendarDate?) {
        self.kind = kind
        self.decidedOn = decidedOn
        self.until = until
        self.liftedOn = liftedOn
    }
}

/// R-60 … R-62: credit records, the blacklist, and spot checks.
public enum CreditRules {
    /// In force on `day`: decided, not lifted, not past its end date.
    public static func isInForce(_ r: CreditFacts, on day: CalendarDate) -> Bool {
        r.decidedOn <= day && (r.liftedOn.map { $0 > day } ?? true) && (r.until.map { $0 >= day } ?? true)
    }

    /// a blacklist record in force blocks new registrations, filings, studios and renewals.
    public static func isBlacklisted(_ records: [CreditFacts], on day: CalendarDate) -> Bool {
        records.contains { $0.kind == .blacklist && isInForce($0, on: day) }
    }

    /// A new record's dates.
    public static func checkNew(decidedOn: CalendarDate, until: CalendarDate?) throws(RuleViolation) {
        if let until, until < decidedOn {
            throw RuleViolation(
                "input.period", rule: "R-60", field: "until",
                "the record ends (\(until)) before it was decided (\(decidedOn)); give an end on or after the day of the decision"
            )
        }
    }

    /// Lifting a record: once, not before it was decided.
    public static func lift(_ r: CreditFacts, on day: CalendarDate) throws(RuleViolation) {
        if let lifted = r.liftedOn {
            throw RuleViolation("credit.lifted", rule: "R-60", "the record was already lifted on \(lifted)")
        }
        guard day >= r.decidedOn else {
            throw RuleViolation(
                "input.date", rule: "R-60", "the record was decided on \(r.decidedOn); it cannot be lifted before that")
        }
    }
}

/// a reproducible random draw (双随机) from a seed.
///
/// The generator is SplitMix64 seeded with the 64-bit FNV-1a hash of the seed's
/// UTF-8 bytes; the draw is a partial Fisher–Yates shuffle of the candidates in
/// a fixed order (sorted by key). Integer arithmetic only, so the same seed and
/// the same candidates give the same draw on every run and platform.
public struct SeededDraw: Sendable {
    private var state: UInt64

    public init(seed: String) {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in seed.utf8 {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01B3
        }
        state = h
    }

    /// A generator started from a 64-bit state (synthetic data derives one per record).
    public init(state: UInt64) {
        self.state = state
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in 0..<n without modulo bias (rejection sampling).
    public mutating func below(_ n: Int) -> Int {
        precondition(n > 0)
        let bound = UInt64(n)
        let limit = UInt64.max - UInt64.max % bound
        while true {
            let x = next()
            if x < limit { return Int(x % bound) }
        }
    }

    /// A uniform value in [0, 1), from the top 53 bits.
    public mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// True with probability `p`.
    public mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// `count` of `candidates` (all when fewer), in draw order.
    public mutating func sample<T>(_ candidates: [T], count: Int) -> [T] {
        var pool = candidates
        let k = min(count, pool.count)
        for i in 0..<k {
            let j = i + below(pool.count - i)
            pool.swapAt(i, j)
        }
        return Array(pool.prefix(k))
    }
}
