import API
import ArgumentParser
import Registration

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
