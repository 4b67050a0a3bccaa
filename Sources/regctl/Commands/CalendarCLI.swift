import API
import ArgumentParser
import Registration

struct CalendarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar", abstract: "The working-day calendar (R-05).",
        subcommands: [List.self, Import.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "The days off and the weekend days worked (调休), as loaded: the State Council's notices 2018–2026 ship with regctl."
        )
        @OptionGroup var options: GlobalOptions
        @Option(help: "One year only.") var year: Int?
        func run() throws { try dispatch(CalendarList.name, arguments, options) }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Load holidays and adjusted working days from CSV or an Excel workbook: date,kind (holiday|workday, or 日期,类型 with 放假|上班), UTF-8 or GBK."
        )
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The file: CSV or an Excel workbook (.xlsx).") var file: String
        @Option(help: "The sheet of a workbook to read (default: the first).") var sheet: String?
        func run() throws {
            var a = arguments
            a.set("encoding", options.encoding.rawValue)
            try dispatch(CalendarImport.name, a, options)
        }
    }
}
