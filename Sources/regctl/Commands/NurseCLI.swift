import API
import ArgumentParser
import Registration

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
        static let configuration = CommandConfiguration(
            abstract: "List nurses (registered in the region), a page at a time.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Only inside this region.") var region: Region?
        @Option(help: "Only names that begin so (the whole name, or its first characters: 陈 finds 陈明 and 陈立).")
        var name: String?
        @Option(help: "The next page: the rows after this one (its id, or the first 8 characters of it or more).")
        var after: String?
        @Option(help: "At most this many rows (default 100).") var limit: Int?
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
