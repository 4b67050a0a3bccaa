import Dates
import Foundation
import Registration

/// `report credit`: the blacklist in force, penalties by institution, and the
/// blacklisted who still hold registrations, filings or studios (existing records are not
/// touched automatically: this list is how staff follow them up).
public struct CreditReport: ReportCommand {
    public static let name = "report.credit"
    let args: ReportArguments

    public init(_ a: Arguments) throws { args = try ReportArguments(a, reads: Self.options) }

    func report(_ c: CommandContext) throws -> CommandOutput {
        let scope = try ReportScope(args.region, c)
        let day = args.to ?? c.today
        let from = args.from ?? day.adding(days: -364)
        // in force is the rule's own function; SQL only narrows to blacklist records decided by then.
        let blacklisted = try c.store.blacklistRecords(region: scope.region, decidedBy: day).filter {
            CreditRules.isInForce($0.facts, on: day)
        }.map {
            (
                id: $0.id, subject: $0.subject, kind: $0.subjectKind, name: $0.subjectName ?? "?",
                document: $0.document, decided: $0.facts.decidedOn, until: $0.facts.until, county: $0.county?.value
            )
        }
        let blacklistRows: [[Cell]] = blacklisted.prefix(args.limit).map {
            [
                .text($0.kind), .text($0.name), Cell($0.county), .text($0.document), .text($0.decided.description),
                Cell($0.until?.description)
            ]
        }

        // What the blacklisted still hold (R-60 follow-up).
        let subjects = blacklisted.map(\.subject)
        let holdings = try c.store.holdings(of: subjects)
        var followUp: [[Cell]] = []
        var seen: Set<UUID> = []
        for b in blacklisted where seen.insert(b.subject).inserted {
            guard let h = holdings[b.subject], h.contains(where: { $0 > 0 }) else { continue }
            followUp.append([.text(b.kind), .text(b.name), Cell(b.county), .text(b.document)] + h.map(Cell.int))
        }
        let followUpCount = followUp.count

        // Penalties decided in the period, by institution: its own and its physicians' and nurses'.
        let penalties = try c.store.penaltiesByInstitution(region: scope.region, from: from, to: day, limit: args.limit)
            .map { p -> [Cell] in
                [
                    .text(p.institution.text), .text(p.name), .text(p.county.value), .int(p.own),
                    .int(p.practitioners), .int(p.total)
                ]
            }
        return CommandOutput(
            report: Report(
                title: Phrase(en: "Credit and supervision", zh: "信用监管"),
                summary: scope.summary + [
                    ("as_of", .text(day.description)), ("penalties_from", .text(from.description)),
                    ("blacklist_in_force", .int(blacklisted.count)), ("needing_follow_up", .int(followUpCount))
                ],
                sections: [
                    ReportSection(
                        "blacklist",
                        Phrase(en: "Blacklist records in force on \(day) (R-60)", zh: "\(day) 有效的黑名单记录（R-60）"),
                        ResultTable(
                            columns: ["subject_kind", "subject", "county", "document", "decided_on", "until"],
                            rows: blacklistRows),
                        note: .firstOf(blacklistRows.count, blacklisted.count)),
                    ReportSection(
                        "follow_up",
                        Phrase(
                            en: "Blacklisted, still holding records (R-60: not ended automatically)",
                            zh: "列入黑名单但仍有注册、备案或工作室（R-60：不自动终止，需跟进）"),
                        ResultTable(
                            columns: [
                                "subject_kind", "subject", "county", "document", "live_registrations", "active_filings",
                                "open_studios",
                                "nurse_registrations", "nurse_filings"
                            ], rows: Array(followUp.prefix(args.limit))),
                        note: .firstOf(min(followUp.count, args.limit), followUpCount)),
                    ReportSection(
                        "penalties_by_institution",
                        Phrase(
                            en:
                                "Penalties decided \(from) – \(day), by institution (own, and of the people whose primary institution it is)",
                            zh: "\(from) 至 \(day) 作出的行政处罚，按机构（机构本身及以其为主要执业机构的人员）"),
                        ResultTable(
                            columns: ["institution", "name", "county", "own", "its_practitioners", "total"],
                            rows: penalties))
                ]))
    }
}
