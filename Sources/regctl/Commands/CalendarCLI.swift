import API
import ArgumentParser
import Registration

struct CalendarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar", abstract: "The working-day calendar (R-05).",
        subcommands: [Import.self])

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load holidays and adjusted working days from CSV: date,kind (holiday|workday).")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The CSV file.") var file: String
        func run() throws { try dispatch(CalendarImport.name, arguments, options) }
    }
}
