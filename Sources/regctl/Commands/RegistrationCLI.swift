import API
import ArgumentParser
import Registration
import Foundation
#if canImport(Glibc)
    import Glibc
#endif

struct RegistrationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registration", abstract: "Physicians' regional registrations (区域注册, R-10 … R-19).",
        subcommands: [Apply.self, Approve.self, Reject.self, Change.self, Leave.self, Cancel.self, Show.self, List.self]
    )

    struct Apply: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply for a registration at a primary institution; prints the application's id.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Physician id or resident ID number.") var physician: String
        @Option(help: "Primary institution id or credit code.") var institution: String
        @Option(help: "Practice scopes, comma-separated (1 to 3, R-12).") var scope: String
        @Option(help: "Application date (default today).") var on: Day?
        func run() throws { try dispatch(RegistrationApply.name, arguments, options) }
    }

    struct Approve: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Approve a pending application (R-14).")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Registration id.") var registration: String
        @Option(help: "Decision date (default today).") var on: Day?
        func run() throws { try dispatch(RegistrationApprove.name, arguments, options) }
    }

    struct Reject: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reject a pending application, with a reason (R-14).")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Registration id.") var registration: String
        @Option(help: "Why (shown to the applicant).") var reason: String
        @Option(help: "Decision date (default today).") var on: Day?
        func run() throws { try dispatch(RegistrationReject.name, arguments, options) }
    }

    struct Change: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Change the primary institution (same region) or the scopes (R-16); returns an on-leave registration to active (R-17)."
        )
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Registration id.") var registration: String
        @Option(help: "New primary institution.") var institution: String?
        @Option(help: "New scopes, comma-separated.") var scope: String?
        @Option(help: "Date (default today).") var on: Day?
        func run() throws { try dispatch(RegistrationChange.name, arguments, options) }
    }

    struct Leave: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record that the physician left the primary institution (R-17); filings end.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Registration id.") var registration: String
        @Option(help: "Why the physician left.") var reason: Choice<LeaveReason>
        @Option(help: "Date (YYYY-MM-DD).") var on: Day
        func run() throws { try dispatch(RegistrationLeave.name, arguments, options) }
    }

    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel a registration (R-19); its filings end.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Registration id.") var registration: String
        @Option(help: "Why the registration is cancelled.") var reason: Choice<CancellationReason>
        @Option(help: "Date (YYYY-MM-DD).") var on: Day
        func run() throws { try dispatch(RegistrationCancel.name, arguments, options) }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a registration.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Registration id.") var registration: String
        func run() throws { try dispatch(RegistrationShow.name, arguments, options) }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List registrations.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Only this physician's.") var physician: String?
        @Option(help: "Only in this region (any level).") var region: Region?
        @Option(help: "Only this status (pending ones show their deadline, R-15).") var status:
            Choice<RegistrationStatus>?
        @Flag(help: "Only pending applications past their 20-working-day deadline.") var overdue = false
        @Option(help: "At most this many rows, oldest application first (default 100).") var limit: Int?
        func run() throws { try dispatch(RegistrationList.name, arguments, options) }
    }
}
