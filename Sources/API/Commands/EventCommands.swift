import Dates
import Foundation
import Postgres
import Registration

/// `events list`: the log of accepted and refused commands. ID numbers are masked except for admin.
public struct EventsList: Command {
    public static let name = "events.list"
    let subject: String?, actorFilter: String?, since: CalendarDate?, outcome: String?, limit: Int

    public init(_ a: Arguments) throws {
        subject = try a.optionalString("subject")
        actorFilter = try a.optionalString("actor")
        since = try a.optionalDate("since")
        outcome = try a.optionalString("outcome")
        limit = try a.optionalInt("limit") ?? 1000
        if let outcome, !["accepted", "refused", "failed"].contains(outcome) {
            throw Arguments.usage(
                "input.outcome", "outcome", "\(Quoted.value(outcome)) is not accepted, refused or failed")
        }
    }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        var subjectID: UUID?
        if let subject {
            if let u = UUID(uuidString: subject) {
                subjectID = u
            } else if let p = try? c.store.physicianToRead(subject) {
                subjectID = p.id
            } else {
                subjectID = try c.store.institution(subject).id
            }
        }
        // Non-admins see their own events.
        let actor = c.actor.role == .admin ? actorFilter : c.actor.id
        let rows = try c.connection.query(
            """
            SELECT e.at, e.actor, e.command, e.outcome, e.error_code, e.arguments::text AS arguments,
                   array_to_string(e.subjects, ' ') AS subjects
            FROM event e
            WHERE (\(actor)::text IS NULL OR e.actor = \(actor))
              AND (\(subjectID)::uuid IS NULL OR e.subjects @> ARRAY[\(subjectID)::uuid])
              AND (\(since)::date IS NULL OR e.at >= (\(since)::date)::timestamp AT TIME ZONE 'Asia/Shanghai')
              AND (\(outcome)::text IS NULL OR e.outcome = \(outcome))
            ORDER BY e.at, e.id LIMIT \(limit)
            """
        ).map { row -> [Cell] in
            let at = try row.decode("at", as: Date.self)
            var args = try row.decode("arguments", as: String.self)
            if c.actor.role != .admin { args = maskIDNumbers(args) }
            return [
                .text(Self.shanghaiTimestamp(at)), .text(try row.decode("actor", as: String.self)),
                .text(try row.decode("command", as: String.self)), .text(try row.decode("outcome", as: String.self)),
                Cell(try row.decode("error_code", as: String?.self)), .json(args),
                .list(try row.decode("subjects", as: String.self).split(separator: " ").map(String.init))
            ]
        }
        return CommandOutput(
            table: ResultTable(
                columns: ["at", "actor", "command", "outcome", "error_code", "arguments", "subjects"], rows: rows))
    }

    static func shanghaiTimestamp(_ d: Date) -> String {
        let shifted = d.addingTimeInterval(8 * 3600)
        let day = CalendarDate.today(now: d)
        let secs = Int(shifted.timeIntervalSince1970.rounded(.down)) % 86_400
        // ISO 8601 with its offset, so that a program reading it never guesses the zone.
        return String(format: "%@T%02d:%02d:%02d+08:00", day.description, secs / 3600, secs / 60 % 60, secs % 60)
    }
}

/// Replaces every resident ID number in a text with its masked form.
/// Each one is masked by `ResidentID.mask`, the one Swift definition of a masked number.
func maskIDNumbers(_ text: String) -> String {
    guard let re = try? NSRegularExpression(pattern: "(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])") else { return text }
    var out = text
    for m in re.matches(in: text, range: NSRange(text.startIndex..., in: text)).reversed() {
        guard let range = Range(m.range, in: out) else { continue }
        out.replaceSubrange(range, with: ResidentID.mask(String(out[range])))
    }
    return out
}
