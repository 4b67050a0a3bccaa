import API
import ArgumentParser
import Registration
import Foundation
#if canImport(Glibc)
    import Glibc
#endif

struct FilingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "filing", abstract: "Multi-site filings under contracts (多点执业备案, R-20 … R-26).",
        subcommands: [Add.self, End.self, List.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "File an additional institution under a contract; prints the filing's id.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Physician id or resident ID number.") var physician: String
        @Option(help: "Institution id or credit code.") var institution: String
        @Option(help: "Contract number (合同编号).") var contractNo: String
        @Option(help: "Contract start (YYYY-MM-DD).") var from: Day
        @Option(help: "Contract end (YYYY-MM-DD), included.") var to: Day
        @Option(help: "Scope practised there (one of the registration's).") var scope: String?
        func run() throws { try dispatch(FilingAdd.name, arguments, options) }
    }

    struct End: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "End a filing (R-24), named by id or by --institution and --contract-no.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Filing id.") var filing: String?
        @Option(help: "The filing's institution (with --contract-no instead of the id).") var institution: String?
        @Option(help: "The filing's contract number.") var contractNo: String?
        @Option(help: "Date (YYYY-MM-DD).") var on: Day
        @Option(help: "Why.") var reason: String?
        func run() throws { try dispatch(FilingEnd.name, arguments, options) }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List filings, with their standing (R-26).")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Only this physician's.") var physician: String?
        @Option(help: "Only at this institution.") var institution: String?
        @Option(help: "active or ended.") var status: String?
        func run() throws { try dispatch(FilingList.name, arguments, options) }
    }
}
