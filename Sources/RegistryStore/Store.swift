import Dates
import Foundation
import Postgres
import Registration

/// The registry's database as the commands see it: the one place with SQL. Every function takes and
/// returns domain values (records, facts, ids, dates), named for what it answers; the SQL, the planner
/// tricks and the row-level security it runs under stay in this module.
///
/// One `Store` wraps one connection and is used by one task at a time (not `Sendable`, as the
/// connection is not). `actor` and `today` are those of the command running: the handler sets them
/// before each command, and reads (a person by ID number, the blacklist on a day) and locks use them.
public final class Store {
    package let connection: Connection
    /// Whom the running command acts for.
    public internal(set) var actor: Actor
    /// The running command's day.
    public internal(set) var today: CalendarDate

    package init(connection: Connection, today: CalendarDate = CalendarDate.today()) {
        self.connection = connection
        self.actor = Actor(id: "", role: .admin)
        self.today = today
    }
}
