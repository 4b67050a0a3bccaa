import API
import ArgumentParser
import Registration

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
