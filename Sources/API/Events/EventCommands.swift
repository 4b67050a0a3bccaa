import Dates
import Foundation
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
        let rows = try c.store.events(
            actor: actor, subject: subjectID, since: since, outcome: outcome, limit: limit
        ).map { e -> [Cell] in
            [
                .text(Store.shanghaiTimestamp(e.at)), .text(e.actor), .text(e.command), .text(e.outcome),
                Cell(e.errorCode), .json(c.actor.role == .admin ? e.arguments : maskIDNumbers(e.arguments)),
                .list(e.subjects.map(\.text))
            ]
        }
        return CommandOutput(
            table: ResultTable(
                columns: ["at", "actor", "command", "outcome", "error_code", "arguments", "subjects"], rows: rows))
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
