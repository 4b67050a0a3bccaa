import API
import ArgumentParser
import Registration

struct StudioCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "studio", abstract: "Physicians' studios at grassroots and elderly-care hosts (R-40 … R-44).",
        subcommands: [Open.self, Close.self, List.self])

    struct Open: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Open a studio; prints its id. --resume ends a leave: the host becomes the primary institution.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Physician id or resident ID number.") var physician: String
        @Option(help: "Host institution (grassroots or elderly-care-medical).") var host: String
        @Option(help: "The studio's name.") var name: String
        @Option(help: "Opening date (YYYY-MM-DD).") var from: Day
        @Flag(help: "Resume practice from leave through this studio (R-41).") var resume = false
        func run() throws { try dispatch(StudioOpen.name, arguments, options) }
    }

    struct Close: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Close a studio.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Studio id.") var studio: String
        @Option(help: "Date (YYYY-MM-DD).") var on: Day
        func run() throws { try dispatch(StudioClose.name, arguments, options) }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List studios.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Only hosts inside this region.") var region: Region?
        @Option(help: "Only this physician's.") var physician: String?
        func run() throws { try dispatch(StudioList.name, arguments, options) }
    }
}

struct NurseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nurse", abstract: "Nurses, their registrations and regional filings (R-50 … R-54).",
        subcommands: [Add.self, Show.self, List.self, Register.self, Approve.self, Reject.self, Renew.self, File.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a nurse.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Name.") var name: String
        @Option(help: "Resident ID number.") var idNumber: String
        @Option(help: "Qualification certificate number.") var qualificationNo: String
        func run() throws { try dispatch(NurseAdd.name, arguments, options) }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a nurse.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Nurse id or resident ID number.") var nurse: String
        func run() throws { try dispatch(NurseShow.name, arguments, options) }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List nurses (registered in the region).")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Only inside this region.") var region: Region?
        func run() throws { try dispatch(NurseList.name, arguments, options) }
    }

    struct Register: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply for a nurse registration at a primary institution; prints its id (pending).")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Nurse id or resident ID number.") var nurse: String
        @Option(help: "Primary institution.") var institution: String
        @Flag(help: "A regional registration (only inside a pilot region, R-53).") var regional = false
        @Option(help: "Application date (default today).") var on: Day?
        func run() throws { try dispatch(NurseRegister.name, arguments, options) }
    }

    struct Approve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Approve a pending nurse registration (valid five years).")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Nurse registration id.") var registration: String
        @Option(help: "Decision date (default today).") var on: Day?
        func run() throws { try dispatch(NurseApprove.name, arguments, options) }
    }

    struct Reject: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reject a pending nurse registration.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Nurse registration id.") var registration: String
        @Option(help: "Why.") var reason: String
        @Option(help: "Decision date (default today).") var on: Day?
        func run() throws { try dispatch(NurseReject.name, arguments, options) }
    }

    struct Renew: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Renew a registration (at least 30 days before expiry, R-51).")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Nurse registration id.") var registration: String
        @Option(help: "Date (default today).") var on: Day?
        func run() throws { try dispatch(NurseRenew.name, arguments, options) }
    }

    struct File: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "File another institution in the pilot region for a regional nurse (R-53).")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Nurse id or resident ID number.") var nurse: String
        @Option(help: "Institution.") var institution: String
        @Option(help: "Contract number.") var contractNo: String
        @Option(help: "Contract start.") var from: Day
        @Option(help: "Contract end (included).") var to: Day
        func run() throws { try dispatch(NurseFile.name, arguments, options) }
    }
}

struct PilotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pilot", abstract: "Nurse regional-registration pilot regions (R-52).",
        subcommands: [Add.self, End.self, List.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Open a pilot in a region (any level) for a period.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Region code.") var region: Region
        @Option(help: "First day.") var from: Day
        @Option(help: "Last day (open-ended when left out).") var to: Day?
        func run() throws { try dispatch(PilotAdd.name, arguments, options) }
    }

    struct End: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "End a pilot on a date (its regional filings end, R-54).")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Pilot id.") var pilot: String
        @Option(help: "Last day of the pilot.") var on: Day
        func run() throws { try dispatch(PilotEnd.name, arguments, options) }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List pilots.")
        @OptionGroup var options: GlobalOptions
        func run() throws { try dispatch(PilotList.name, arguments, options) }
    }
}

struct CreditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "credit", abstract: "Credit records and the blacklist (R-60, R-61).",
        subcommands: [Add.self, Lift.self, List.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a commendation, warning, penalty or blacklist entry; prints its id.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Physician, nurse or institution (id, ID number or credit code).") var subject: String
        @Option(help: "The kind of record.") var kind: Choice<CreditKind>
        @Option(help: "Decision date.") var on: Day
        @Option(help: "The decision's document reference (文号).") var document: String
        @Option(help: "Last day in force (open-ended when left out).") var until: Day?
        @Option(help: "A note.") var note: String?
        func run() throws { try dispatch(CreditAdd.name, arguments, options) }
    }

    struct Lift: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lift a credit record from a date.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Credit record id.") var credit: String
        @Option(help: "Date.") var on: Day
        func run() throws { try dispatch(CreditLift.name, arguments, options) }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List credit records.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Only this subject's.") var subject: String?
        @Option(help: "Only this kind.") var kind: Choice<CreditKind>?
        @Flag(help: "Only records in force today.") var inForce = false
        func run() throws { try dispatch(CreditList.name, arguments, options) }
    }
}

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect", abstract: "Spot checks (双随机, R-62).", subcommands: [Draw.self])

    struct Draw: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Draw institutions and inspectors of a region from a seed: the same seed and data give the same draw.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Region code.") var region: Region
        @Option(help: "How many institutions.") var institutions: Int
        @Option(help: "How many inspectors.") var inspectors: Int
        @Option(help: "The seed (any text, announced in advance).") var seed: String
        func run() throws { try dispatch(InspectDraw.name, arguments, options) }
    }
}

struct MaintainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "maintain",
        abstract:
            "The daily run: contract ends, leave-2y, nurse expiry, pilot ends. Idempotent; catches up on missed days.")
    @OptionGroup var options: GlobalOptions
    @Option(help: "The day to run for (default today).") var on: Day?
    func run() throws { try dispatch(Maintain.name, arguments, options) }
}
