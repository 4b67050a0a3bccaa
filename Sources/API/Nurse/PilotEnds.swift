import Dates
import Foundation
import Registration

/// ends the active regional nurse filings no pilot covers any more on `day`, each on the last day one
/// did (`NurseRules.filingEndWhenUncovered`), in one statement; for `pilot end` and the daily run.
enum PilotEnds {
    static func endUncoveredFilings(on day: CalendarDate, _ c: CommandContext) throws -> Int {
        let pilots = try c.store.pilots()
        var ids: [UUID] = [], days: [CalendarDate] = []
        for f in try c.store.activeNurseFilings(startedBy: day) {
            guard
                let ends = NurseRules.filingEndWhenUncovered(
                    homeCounty: f.homeCounty, county: f.county, filingFrom: f.from, on: day, pilots: pilots)
            else { continue }
            ids.append(f.id)
            days.append(ends)
        }
        c.touched += try c.store.endFilings(.nurse, ids: ids, on: days, reason: EndReason.pilotEnded.rawValue)
        return ids.count
    }
}
