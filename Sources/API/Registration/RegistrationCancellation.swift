import Dates
import Foundation
import Registration

/// Cancelling one registration, for `registration cancel` and the daily run: the physician's
/// other live registrations are read and locked, `CancellationPlan` decides what becomes of them, and the
/// store carries the plan out.
enum RegistrationCancellation {
    static func cancel(
        _ id: UUID, physician: UUID, reason: CancellationReason, on day: CalendarDate, _ c: CommandContext
    ) throws -> (filingsEnded: Int, studiosClosed: Int) {
        let remaining = try c.store.otherLiveRegistrations(of: physician, except: id)
        let plan = CancellationPlan(reason: reason, on: day, remaining: remaining)
        let effects = try c.store.cancelRegistration(id, as: plan)
        c.touched += effects.filings + effects.studios
        c.touch(id, physician)
        return (effects.filings.count, effects.studios.count)
    }
}
