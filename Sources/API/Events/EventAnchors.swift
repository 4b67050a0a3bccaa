import Dates
import Foundation
import Registration

/// R-71's tamper evidence. Each event, once sealed, carries `seq` (its place in the chain, 1, 2, …)
/// and `hash` = SHA-256(hash of seq − 1 ‖ its canonical content), the first over an empty hash. The
/// database seals (`regctl_seal_events`, with PostgreSQL's own SHA-256) shortly after commit; regctl
/// recomputes the chain here with its own implementation, so two implementations must agree. The
/// head (last seq and hash) leaves the database (`events head`, the daily run) and is checked later
/// against the chain (`events verify --anchor`), which the database's owner could otherwise rewrite.
/// Reading exported heads of R-71's event chain back (`events verify --anchor`).
enum EventChain {
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
}

/// `events head`: seals what is committed and prints the chain's head (place, time, hash), to be
/// shipped out of the database (a file elsewhere, a ticket, a mail) and checked later with
/// `events verify --anchor FILE`.
public struct EventsHead: Command {
    public static let name = "events.head"
    public init(_ a: Arguments) throws {}

    public func run(_ c: CommandContext) throws -> CommandOutput {
        try Access.requireAdmin(c.actor, to: "read the event chain's head")
        _ = try c.store.sealAllEvents()
        guard let head = try c.store.chainHead() else {
            return CommandOutput(
                fields: [("seq", .int(0)), ("at", .null), ("hash", .text(""))],
                notes: [Phrase(en: "no event is sealed yet", zh: "尚无已封存的操作日志")])
        }
        return CommandOutput(fields: [
            ("seq", .int(Int(head.seq))), ("at", .text(Store.shanghaiTimestamp(head.at))),
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
        guard let check = try c.store.verifyChain(since: since, anchors: anchors) else {
            return CommandOutput(fields: [
                ("ok", .bool(true)), ("checked", .int(0)),
                ("note", .text("no sealed event on or after \(since.map { "\($0)" } ?? "")"))
            ])
        }
        return CommandOutput(
            fields: [
                ("ok", .bool(true)), ("checked", .int(check.checked)), ("from", .int(Int(check.from))),
                ("to", .int(Int(check.to))), ("head", .text(check.head)), ("anchors", .int(anchors.count)),
                ("unsealed", .int(check.unsealed))
            ],
            notes: check.unsealed > 0
                ? [
                    Phrase(
                        en:
                            "\(check.unsealed) recent events are not sealed yet (the next command or the daily run seals them)",
                        zh: "最近 \(check.unsealed) 条操作日志尚未封存（下一条命令或每日任务会封存）")
                ]
                : [])
    }
}
