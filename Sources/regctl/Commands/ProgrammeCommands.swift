import API
import ArgumentParser

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
        @Option(help: "Opening date (YYYY-MM-DD).") var from: String
        @Flag(help: "Resume practice from leave through this studio (R-41).") var resume = false
        func run() throws {
            var a = Arguments()
            a.set("physician", physician)
            a.set("host", host)
            a.set("name", name)
            a.set("from", from)
            a.set("resume", flag: resume)
            try dispatch(StudioOpen.name, a, options)
        }
    }

    struct Close: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Close a studio.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Studio id.") var studio: String
        @Option(help: "Date (YYYY-MM-DD).") var on: String
        func run() throws {
            var a = Arguments()
            a.set("studio", studio)
            a.set("on", on)
            try dispatch(StudioClose.name, a, options)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List studios.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Only hosts inside this region.") var region: String?
        @Option(help: "Only this physician's.") var physician: String?
        func run() throws {
            var a = Arguments()
            a.set("region", region)
            a.set("physician", physician)
            try dispatch(StudioList.name, a, options)
        }
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
        func run() throws {
            var a = Arguments()
            a.set("name", name)
            a.set("id_number", idNumber)
            a.set("qualification_no", qualificationNo)
            try dispatch(NurseAdd.name, a, options)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a nurse.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Nurse id or resident ID number.") var nurse: String
        func run() throws {
            var a = Arguments()
            a.set("nurse", nurse)
            try dispatch(NurseShow.name, a, options)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List nurses (registered in the region).")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Only inside this region.") var region: String?
        func run() throws {
            var a = Arguments()
            a.set("region", region)
            try dispatch(NurseList.name, a, options)
        }
    }

    struct Register: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply for a nurse registration at a primary institution; prints its id (pending).")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Nurse id or resident ID number.") var nurse: String
        @Option(help: "Primary institution.") var institution: String
        @Flag(help: "A regional registration (only inside a pilot region, R-53).") var regional = false
        @Option(help: "Application date (default today).") var on: String?
        func run() throws {
            var a = Arguments()
            a.set("nurse", nurse)
            a.set("institution", institution)
            a.set("regional", flag: regional)
            a.set("on", on)
            try dispatch(NurseRegister.name, a, options)
        }
    }

    struct Approve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Approve a pending nurse registration (valid five years).")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Nurse registration id.") var registration: String
        @Option(help: "Decision date (default today).") var on: String?
        func run() throws {
            var a = Arguments()
            a.set("registration", registration)
            a.set("on", on)
            try dispatch(NurseApprove.name, a, options)
        }
    }

    struct Reject: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reject a pending nurse registration.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Nurse registration id.") var registration: String
        @Option(help: "Why.") var reason: String
        @Option(help: "Decision date (default today).") var on: String?
        func run() throws {
            var a = Arguments()
            a.set("registration", registration)
            a.set("reason", reason)
            a.set("on", on)
            try dispatch(NurseReject.name, a, options)
        }
    }

    struct Renew: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Renew a registration (at least 30 days before expiry, R-51).")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Nurse registration id.") var registration: String
        @Option(help: "Date (default today).") var on: String?
        func run() throws {
            var a = Arguments()
            a.set("registration", registration)
            a.set("on", on)
            try dispatch(NurseRenew.name, a, options)
        }
    }

    struct File: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "File another institution in the pilot region for a regional nurse (R-53).")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Nurse id or resident ID number.") var nurse: String
        @Option(help: "Institution.") var institution: String
        @Option(help: "Contract number.") var contractNo: String
        @Option(help: "Contract start.") var from: String
        @Option(help: "Contract end (included).") var to: String
        func run() throws {
            var a = Arguments()
            a.set("nurse", nurse)
            a.set("institution", institution)
            a.set("contract_no", contractNo)
            a.set("from", from)
            a.set("to", to)
            try dispatch(NurseFile.name, a, options)
        }
    }
}

struct PilotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pilot", abstract: "Nurse regional-registration pilot regions (R-52).",
        subcommands: [Add.self, End.self, List.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Open a pilot in a region (any level) for a period.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Region code.") var region: String
        @Option(help: "First day.") var from: String
        @Option(help: "Last day (open-ended when left out).") var to: String?
        func run() throws {
            var a = Arguments()
            a.set("region", region)
            a.set("from", from)
            a.set("to", to)
            try dispatch(PilotAdd.name, a, options)
        }
    }

    struct End: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "End a pilot on a date (its regional filings end, R-54).")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Pilot id.") var pilot: String
        @Option(help: "Last day of the pilot.") var on: String
        func run() throws {
            var a = Arguments()
            a.set("pilot", pilot)
            a.set("on", on)
            try dispatch(PilotEnd.name, a, options)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List pilots.")
        @OptionGroup var options: GlobalOptions
        func run() throws { try dispatch(PilotList.name, Arguments(), options) }
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
        @Option(help: "commendation, warning, penalty or blacklist.") var kind: String
        @Option(help: "Decision date.") var on: String
        @Option(help: "The decision's document reference (文号).") var document: String
        @Option(help: "Last day in force (open-ended when left out).") var until: String?
        @Option(help: "A note.") var note: String?
        func run() throws {
            var a = Arguments()
            a.set("subject", subject)
            a.set("kind", kind)
            a.set("on", on)
            a.set("document", document)
            a.set("until", until)
            a.set("note", note)
            try dispatch(CreditAdd.name, a, options)
        }
    }

    struct Lift: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lift a credit record from a date.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Credit record id.") var credit: String
        @Option(help: "Date.") var on: String
        func run() throws {
            var a = Arguments()
            a.set("credit", credit)
            a.set("on", on)
            try dispatch(CreditLift.name, a, options)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List credit records.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Only this subject's.") var subject: String?
        @Option(help: "Only this kind.") var kind: String?
        @Flag(help: "Only records in force today.") var inForce = false
        func run() throws {
            var a = Arguments()
            a.set("subject", subject)
            a.set("kind", kind)
            a.set("in_force", flag: inForce)
            try dispatch(CreditList.name, a, options)
        }
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
        @Option(help: "Region code.") var region: String
        @Option(help: "How many institutions.") var institutions: Int
        @Option(help: "How many inspectors.") var inspectors: Int
        @Option(help: "The seed (any text, announced in advance).") var seed: String
        func run() throws {
            var a = Arguments()
            a.set("region", region)
            a.set("institutions", institutions)
            a.set("inspectors", inspectors)
            a.set("seed", seed)
            try dispatch(InspectDraw.name, a, options)
        }
    }
}

struct MaintainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "maintain",
        abstract:
            "The daily run: contract ends, leave-2y, nurse expiry, pilot ends. Idempotent; catches up on missed days.")
    @OptionGroup var options: GlobalOptions
    @Option(help: "The day to run for (default today).") var on: String?
    func run() throws {
        var a = Arguments()
        a.set("on", on)
        try dispatch(Maintain.name, a, options)
    }
}
