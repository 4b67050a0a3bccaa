import Dates
import Foundation
import Postgres
import Registration

/// R-71's tamper evidence. Each event, once sealed, carries `seq` (its place in the chain, 1, 2, …)
/// and `hash` = SHA-256(hash of seq − 1 ‖ its canonical content), the first over an empty hash. The
/// database seals (`regctl_seal_events`, with PostgreSQL's own SHA-256) shortly after commit; regctl
/// recomputes the chain here with its own implementation, so two implementations must agree. The
/// head (last seq and hash) leaves the database (`events head`, the daily run) and is checked later
/// against the chain (`events verify --anchor`), which the database's owner could otherwise rewrite.
public struct ChainHead: Sendable {
    public let seq: Int64
    public let at: Date
    public let hash: String
}

/// What `verifyChain` checked: the places from `from` to `to`, the head's hash, events not sealed yet.
public struct ChainCheck: Sendable {
    public let checked: Int
    public let from: Int64
    public let to: Int64
    public let head: String
    public let unsealed: Int
}

/// A line of `events list`.
public struct EventListing: Sendable {
    public let at: Date
    public let actor: String
    public let command: String
    public let outcome: String
    public let errorCode: String?
    /// The arguments as JSON text, as recorded.
    public let arguments: String
    public let subjects: [UUID]
}

extension Store {
    /// `events list`: by actor, subject, day (Beijing) and outcome (each optional), in order; at most `limit`.
    public func events(actor: String?, subject: UUID?, since: CalendarDate?, outcome: String?, limit: Int) throws
        -> [EventListing]
    {
        try connection.query(
            """
            SELECT e.at, e.actor, e.command, e.outcome, e.error_code, e.arguments::text AS arguments, e.subjects
            FROM event e
            WHERE (\(actor)::text IS NULL OR e.actor = \(actor))
              AND (\(subject)::uuid IS NULL OR e.subjects @> ARRAY[\(subject)::uuid])
              AND (\(since)::date IS NULL OR e.at >= (\(since)::date)::timestamp AT TIME ZONE 'Asia/Shanghai')
              AND (\(outcome)::text IS NULL OR e.outcome = \(outcome))
            ORDER BY e.at, e.id LIMIT \(limit)
            """
        ).map { row in
            EventListing(
                at: try row.decode("at", as: Date.self), actor: try row.decode("actor", as: String.self),
                command: try row.decode("command", as: String.self),
                outcome: try row.decode("outcome", as: String.self),
                errorCode: try row.decode("error_code", as: String?.self),
                arguments: try row.decode("arguments", as: String.self),
                subjects: try row.decode("subjects", as: [UUID].self))
        }
    }

    /// Seals every committed event not yet sealed; returns how many. Returns 0 at once when another
    /// sealer is at work (it seals what this would have).
    public func sealAllEvents() throws -> Int {
        var total = 0
        while true {
            let n = try connection.query("SELECT regctl_seal_events(10000)")[0].decode(0, as: Int.self)
            total += n
            if n < 10000 { return total }
        }
    }

    public func chainHead() throws -> ChainHead? {
        try connection.query(
            "SELECT seq, at, encode(hash, 'hex') FROM event WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1"
        ).first.map {
            ChainHead(
                seq: try $0.decode(0, as: Int64.self), at: try $0.decode(1, as: Date.self),
                hash: try $0.decode(2, as: String.self))
        }
    }

    /// Recomputes the chain from `since`'s first sealed event (or the first) to the head; checks the
    /// anchors. Returns what it checked; throws `events.chain-broken` naming the first event missing
    /// or altered, or the first exported head the chain no longer holds.
    /// Nil when no event is sealed on or after `since`.
    public func verifyChain(since: CalendarDate?, anchors: [(seq: Int64, hash: String)]) throws -> ChainCheck? {
        let db = connection
        var start: Int64 = 1
        if let since {
            guard
                let first = try db.query(
                    """
                    SELECT min(seq) FROM event WHERE seq IS NOT NULL AND at >= (\(since)::date)::timestamp AT TIME ZONE 'Asia/Shanghai'
                    """)[0].decode(0, as: Int64?.self)
            else { return nil }
            start = first
        }
        var previous: [UInt8] = []
        if start > 1 {
            guard let stored = try db.query("SELECT encode(hash, 'hex') FROM event WHERE seq = \(start - 1)").first
            else {
                throw Store.chainBroken(
                    "the event at place \(start - 1) of the chain, just before \(since.map { "\($0)" } ?? "the start"), is missing"
                )
            }
            previous = bytes(hex: try stored.decode(0, as: String.self))
        }
        let wanted = Dictionary(anchors.map { ($0.seq, $0.hash) }, uniquingKeysWith: { a, _ in a })
        var computedAtAnchor: [Int64: String] = [:]
        var expected = start
        var checked = 0
        while true {
            let rows = try db.query(
                """
                SELECT e.seq, e.id, e.at, encode(e.hash, 'hex'), regctl_event_canonical(e) FROM event e
                WHERE e.seq >= \(expected) ORDER BY e.seq LIMIT 5000
                """)
            if rows.count == 0 { break }
            for row in rows {
                let seq = try row.decode(0, as: Int64.self)
                let id = try row.decode(1, as: UUID.self)
                let at = Store.shanghaiTimestamp(try row.decode(2, as: Date.self))
                guard seq == expected else {
                    let gap =
                        seq - expected == 1
                        ? "the event at place \(expected)" : "the events at places \(expected)…\(seq - 1)"
                    throw Store.chainBroken(
                        "\(gap) of the chain \(seq - expected == 1 ? "is" : "are") missing (deleted): the chain goes on at place \(seq) with event \(id.text) of \(at)"
                    )
                }
                let digest = SHA256.digest(previous + Array(try row.decode(4, as: String.self).utf8))
                guard hex(digest) == (try row.decode(3, as: String.self)) else {
                    throw Store.chainBroken(
                        "event \(id.text) of \(at) (place \(seq) of the chain) was altered: its content no longer gives its hash"
                    )
                }
                if wanted[seq] != nil { computedAtAnchor[seq] = hex(digest) }
                previous = digest
                expected = seq + 1
                checked += 1
            }
        }
        let last = expected - 1
        for (seq, hash) in anchors.sorted(by: { $0.seq < $1.seq }) {
            let now: String?
            if seq < start {
                now = try db.query("SELECT encode(hash, 'hex') FROM event WHERE seq = \(seq)").first?.decode(
                    0, as: String?.self)
            } else {
                now = computedAtAnchor[seq]
            }
            guard let now else {
                throw Store.chainBroken(
                    "an exported head (place \(seq), \(hash.prefix(12))…) is no longer in the chain, which ends at place \(last): events were deleted and the chain rewritten"
                )
            }
            guard now == hash else {
                throw Store.chainBroken(
                    "the chain was rewritten: at place \(seq) the exported head is \(hash.prefix(12))…, the chain now gives \(now.prefix(12))…"
                )
            }
        }
        let unsealed = try db.query("SELECT count(*) FROM event WHERE seq IS NULL")[0].decode(0, as: Int.self)
        return ChainCheck(checked: checked, from: start, to: last, head: hex(previous), unsealed: unsealed)
    }

    static func chainBroken(_ message: String) -> RegctlError {
        RegctlError(
            "events.chain-broken", message + "; restore the event log from a backup and find out who changed it",
            rule: "R-71")
    }

    private func bytes(hex: String) -> [UInt8] {
        let digits = Array(hex.utf8)
        return stride(from: 0, to: digits.count - 1, by: 2).compactMap {
            UInt8(String(decoding: digits[$0...$0 + 1], as: UTF8.self), radix: 16)
        }
    }

    private func hex(_ bytes: [UInt8]) -> String {
        bytes.map { b in
            let s = String(b, radix: 16)
            return s.count == 1 ? "0" + s : s
        }.joined()
    }

    /// An instant as ISO 8601 in Beijing time, with its offset, so that a program reading it never guesses
    /// the zone.
    public static func shanghaiTimestamp(_ d: Date) -> String {
        let shifted = d.addingTimeInterval(8 * 3600)
        let day = CalendarDate.today(now: d)
        let secs = Int(shifted.timeIntervalSince1970.rounded(.down)) % 86_400
        return String(format: "%@T%02d:%02d:%02d+08:00", day.description, secs / 3600, secs / 60 % 60, secs % 60)
    }
}
