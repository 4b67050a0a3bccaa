import Dates
import Foundation
import Registration

/// What a command sees while it runs: the store (inside its transaction),
/// the actor, today's date, and the records it touched (for its event).
public final class CommandContext {
    public let store: Store
    public let actor: Actor
    public let today: CalendarDate
    /// Ids of the records the command touched, written to its event.
    public var touched: [UUID] = []
    /// Before/after and other details for the event.
    public var details: String?

    init(store: Store, actor: Actor, today: CalendarDate) {
        self.store = store
        self.actor = actor
        self.today = today
    }

    public func touch(_ ids: UUID...) { touched += ids }

    /// The day a decision or an application is dated: `--on`, else today; never after today
    /// (`DecisionDates.check`), since a decision dated ahead makes every report of the days between wrong.
    public func decisionDay(_ on: CalendarDate?, flag: String = "on") throws -> CalendarDate {
        guard let on else { return today }
        try DecisionDates.check(on, today: today, field: flag)
        return on
    }
}

/// One command of the API: parsed from arguments (CLI flags or a JSON line), run by the handler.
public protocol Command: Sendable {
    /// The CLI's words joined by a dot: `filing.add`.
    static var name: String { get }
    /// Parses and checks the form of the arguments (usage errors, exit 64).
    init(_ arguments: Arguments) throws
    /// Loads facts, applies the rules, writes. Runs inside the handler's transaction.
    func run(_ context: CommandContext) throws -> CommandOutput
    /// True for the one command that runs as the database login itself rather than as the application
    /// role of the actor's kind (`seed`: a bulk load that drops and rebuilds the tables' keys, which only
    /// the schema's owner may do).
    static var runsAsLogin: Bool { get }
    /// True for the public look-ups, which the network door answers for anyone (no account, no event) as
    /// the database role `regctl_public`, which reads through the public functions only.
    static var isPublic: Bool { get }
    /// True for the commands that only read (lists, shows, reports, look-ups, the event log's reads): given
    /// a standby (`--read-database`), the handler runs them there, and writes their event on the primary.
    /// `ReadOnlyCommands.swift` names them all in one place; a standby refuses any of them that would write.
    static var readsOnly: Bool { get }
}

extension Command {
    public static var runsAsLogin: Bool { false }
    public static var isPublic: Bool { false }
    public static var readsOnly: Bool { false }
}

/// The commands of the API by name, for `exec` and the CLI.
public enum CommandRegistry {
    public static let all: [any Command.Type] = [
        RegionList.self, StaffAdd.self, StaffDisable.self, StaffPassword.self, StaffList.self, EventsList.self,
        EventsHead.self, EventsVerify.self,
        InstitutionAdd.self, InstitutionShow.self, InstitutionList.self,
        InstitutionClose.self, InstitutionSuspend.self, InstitutionReinstate.self,
        PhysicianAdd.self, PhysicianShow.self, PhysicianList.self, PhysicianRetire.self,
        CalendarImport.self, CalendarList.self,
        RegistrationApply.self, RegistrationApprove.self, RegistrationReject.self, RegistrationChange.self,
        RegistrationLeave.self, RegistrationCancel.self, RegistrationShow.self, RegistrationList.self,
        FilingAdd.self, FilingEnd.self, FilingList.self,
        PolicySet.self, PolicyList.self,
        StudioOpen.self, StudioClose.self, StudioList.self,
        NurseAdd.self, NurseShow.self, NurseList.self, NurseRegister.self, NurseApprove.self, NurseReject.self,
        NurseRenew.self, NurseFile.self,
        PilotAdd.self, PilotEnd.self, PilotList.self,
        CreditAdd.self, CreditLift.self, CreditList.self, InspectDraw.self, Maintain.self,
        Seed.self, MultisiteReport.self, SocialBedsReport.self, ProcessingReport.self, StudiosReport.self,
        NursePilotReport.self,
        ExpiringReport.self, CreditReport.self, RosterReport.self, LookupPhysician.self,
        LookupNurse.self, LookupInstitution.self
    ]

    static let byName: [String: any Command.Type] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    public static func type(named name: String) -> (any Command.Type)? { byName[name] }
}
