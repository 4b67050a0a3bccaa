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
enum EventChain {
    struct Head {
        let seq: Int64
        let at: Date
        let hash: String
    }

    /// Seals every committed event not yet sealed; returns how many. Returns 0 at once when another
    /// sealer is at work (it seals what this would have).
    static func sealAll(_ connection: Connection) throws -> Int {
        var total = 0
        while true {
            let n = try connection.query("SELECT regctl_seal_events(10000)")[0].decode(0, as: Int.self)
            total += n
            if n < 10000 { return total }
        }
    }

    static func head(_ connection: Connection) throws -> Head? {
        try connection.query(
            "SELECT seq, at, encode(hash, 'hex') FROM event WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1"
        ).first.map {
            Head(
                seq: try $0.decode(0, as: Int64.self), at: try $0.decode(1, as: Date.self),
                hash: try $0.decode(2, as: String.self))
        }
    }

    /// Exported heads read back: every line of `events head` output (any format) gives a seq and its
    /// hash; a field-per-line format (`seq …` then `hash …`) is paired in order.
    static func anchors(in text: String) -> [(seq: Int64, hash: String)] {
        var found: [(Int64, String)] = []
        var pending: Int64?
        for line in text.split(whereSeparator: \.isNewline) {
            let tokens = line.split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map(String.init)
            let hash = tokens.first { $0.count == 64 && $0.allSatisfy(\.isHexDigit) }?.lowercased()
            let number = tokens.first { $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) && $0.count <= 18 }
                .flatMap { Int64($0) }
            if let hash {
                if let seq = (tokens.contains("hash") && pending != nil) ? pending : (number ?? pending) {
                    found.append((seq, hash))
                }
                pending = nil
            } else if tokens.first?.lowercased() == "seq" || tokens.contains("seq") && tokens.count <= 3, let number {
                pending = number
            }
        }
        return found
    }

    enum Finding: Error { case broken(String) }

    /// Recomputes the chain from `since`'s first sealed event (or the first) to the head; checks the
    /// anchors. Returns what it checked; throws `events.chain-broken` naming the first event missing
    /// or altered, or the first exported head the chain no longer holds.
    static func verify(_ c: CommandContext, since: CalendarDate?, anchors: [(seq: Int64, hash: String)]) throws
        -> CommandOutput
    {
        let db = c.connection
        var start: Int64 = 1
        if let since {
            guard
                let first = try db.query(
                    """
                    SELECT min(seq) FROM event WHERE seq IS NOT NULL AND at >= (\(since)::date)::timestamp AT TIME ZONE 'Asia/Shanghai'
                    """)[0].decode(0, as: Int64?.self)
            else {
                return CommandOutput(fields: [
                    ("ok", .bool(true)), ("checked", .int(0)), ("note", .text("no sealed event on or after \(since)"))
                ])
            }
            start = first
        }
        var previous: [UInt8] = []
        if start > 1 {
            guard let stored = try db.query("SELECT encode(hash, 'hex') FROM event WHERE seq = \(start - 1)").first
            else {
                throw broken(
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
                let at = EventsList.shanghaiTimestamp(try row.decode(2, as: Date.self))
                guard seq == expected else {
                    let gap =
                        seq - expected == 1
                        ? "the event at place \(expected)" : "the events at places \(expected)…\(seq - 1)"
                    throw broken(
                        "\(gap) of the chain \(seq - expected == 1 ? "is" : "are") missing (deleted): the chain goes on at place \(seq) with event \(id.text) of \(at)"
                    )
                }
                let digest = SHA256.digest(previous + Array(try row.decode(4, as: String.self).utf8))
                guard hex(digest) == (try row.decode(3, as: String.self)) else {
                    throw broken(
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
                throw broken(
                    "an exported head (place \(seq), \(hash.prefix(12))…) is no longer in the chain, which ends at place \(last): events were deleted and the chain rewritten"
                )
            }
            guard now == hash else {
                throw broken(
                    "the chain was rewritten: at place \(seq) the exported head is \(hash.prefix(12))…, the chain now gives \(now.prefix(12))…"
                )
            }
        }
        let unsealed = try db.query("SELECT count(*) FROM event WHERE seq IS NULL")[0].decode(0, as: Int.self)
        return CommandOutput(
            fields: [
                ("ok", .bool(true)), ("checked", .int(checked)), ("from", .int(Int(start))), ("to", .int(Int(last))),
                ("head", .text(hex(previous))), ("anchors", .int(anchors.count)), ("unsealed", .int(unsealed))
            ],
            notes: unsealed > 0
                ? ["\(unsealed) recent events are not sealed yet (the next command or the daily run seals them)"] : [])
    }

    static func broken(_ message: String) -> RegctlError {
        RegctlError(
            "events.chain-broken", message + "; restore the event log from a backup and find out who changed it",
            rule: "R-71")
    }

    static func bytes(hex: String) -> [UInt8] {
        let digits = Array(hex.utf8)
        return stride(from: 0, to: digits.count - 1, by: 2).compactMap {
            UInt8(String(decoding: digits[$0...$0 + 1], as: UTF8.self), radix: 16)
        }
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { b in
            let s = String(b, radix: 16)
            return s.count == 1 ? "0" + s : s
        }.joined()
    }
}

/// `events head`: seals what is committed and prints the chain's head (place, time, hash), to be
/// shipped out of the database (a file elsewhere, a ticket, a mail) and checked later with
/// `events verify --anchor FILE`.
public struct EventsHead: Command {
    public static let name = "events.head"
    public init(_ a: Arguments) throws {}

    public func run(_ c: CommandContext) throws -> CommandOutput {
        try Access.requireAdmin(c.actor, to: "read the event chain's head")
        _ = try EventChain.sealAll(c.connection)
        guard let head = try EventChain.head(c.connection) else {
            return CommandOutput(
                fields: [("seq", .int(0)), ("at", .null), ("hash", .text(""))], notes: ["no event is sealed yet"])
        }
        return CommandOutput(fields: [
            ("seq", .int(Int(head.seq))), ("at", .text(EventsList.shanghaiTimestamp(head.at))),
            ("hash", .text(head.hash))
        ])
    }
}

/// `events verify [--since DATE] [--anchor FILE]` (R-71).
public struct EventsVerify: Command {
    public static let name = "events.verify"
    let since: CalendarDate?, anchor: String?

    public init(_ a: Arguments) throws {
        since = try a.optionalDate("since")
        anchor = try a.optionalString("anchor")
    }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        try Access.requireAdmin(c.actor, to: "verify the event chain")
        var anchors: [(seq: Int64, hash: String)] = []
        if let anchor {
            guard let data = FileManager.default.contents(atPath: anchor),
                let text = String(data: data, encoding: .utf8)
            else {
                throw RegctlError(
                    "input.file", "cannot read \(anchor); give a file of heads saved from regctl events head",
                    status: .usage, field: "anchor")
            }
            anchors = EventChain.anchors(in: text)
            guard !anchors.isEmpty else {
                throw RegctlError(
                    "input.file",
                    "\(anchor) holds no head (a place and a 64-digit hash, as regctl events head prints them)",
                    status: .usage, field: "anchor")
            }
        }
        return try EventChain.verify(c, since: since, anchors: anchors)
    }
}
