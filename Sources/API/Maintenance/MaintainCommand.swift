import Dates
import Foundation
import Registration

/// `maintain [--on DATE]`: the daily run; idempotent, and it catches up on missed days.
public struct Maintain: Command {
    public static let name = "maintain"
    let on: CalendarDate?
    public init(_ a: Arguments) throws { on = try a.optionalDate("on") }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        try Access.requireAdmin(c.actor, to: "run the daily maintenance")
        let day = on ?? c.today
        // R-24: a filing whose contract ended before today has ended (FilingRules.endDay: on its last day).
        let endedFilings = try c.store.endActiveFilings(
            .contractEndedBefore(day), on: day, reason: EndReason.contractEnded.rawValue)
        let endedNurseFilings = try c.store.endActiveFilings(
            .contractEndedBefore(day), of: .nurse, on: day, reason: EndReason.contractEnded.rawValue)
        c.touched += endedFilings + endedNurseFilings
        let filings = endedFilings.count, nurseFilings = endedNurseFilings.count
        // R-18: two full years on leave lapse (leave-2y), cancelled on the day they lapsed.
        var lapsed = 0
        for leave in try c.store.registrationsOnLeave() {
            let ends = RegistrationRules.leaveEnds(since: leave.since)
            guard ends <= day else { continue }
            _ = try RegistrationCancellation.cancel(
                leave.id, physician: leave.physician, reason: .leaveTwoYears, on: ends, c)
            lapsed += 1
        }
        // R-50: nurse registrations past their five years expire.
        let expired = try c.store.expireNurseRegistrations(on: day)
        c.touched += expired
        // R-54: regional filings end with their pilot.
        let pilotEnded = try PilotEnds.endUncoveredFilings(on: day, c)
        // The national multi-site figures for the day, counted once here rather than per reader.
        let snapshot = try c.store.snapshotMultisite(on: day)
        // R-71: the day's events sealed into the chain, and its head recorded with this run's event.
        let sealed = try c.store.sealAllEvents()
        let head = try c.store.chainHead()
        c.details = """
            {"on": "\(day)", "filings_ended": \(filings), "nurse_filings_ended": \(nurseFilings), "leave_2y_cancelled": \(lapsed), \
            "nurse_registrations_expired": \(expired.count), "pilot_filings_ended": \(pilotEnded), \
            "chain_head": {"seq": \(head?.seq ?? 0), "hash": "\(head?.hash ?? "")"}}
            """
        return CommandOutput(
            table: ResultTable(
                columns: ["change", "count"],
                rows: [
                    [.text("filings ended at contract end (R-24)"), .int(filings)],
                    [.text("nurse filings ended at contract end"), .int(nurseFilings)],
                    [.text("registrations cancelled after two years on leave (R-18)"), .int(lapsed)],
                    [.text("nurse registrations expired (R-50)"), .int(expired.count)],
                    [.text("regional nurse filings ended with their pilot (R-54)"), .int(pilotEnded)],
                    [.text("national multi-site figures precomputed (rows)"), .int(snapshot)],
                    [.text("events sealed into the chain (R-71)"), .int(sealed)]
                ]),
            notes: head.map {
                [
                    Phrase(
                        en: "event chain head: seq \($0.seq) hash \($0.hash) (ship it out: regctl events head)",
                        zh: "操作日志哈希链头：序号 \($0.seq)，哈希 \($0.hash)（请另行保存：regctl events head）")
                ]
            }
                ?? [])
    }
}
