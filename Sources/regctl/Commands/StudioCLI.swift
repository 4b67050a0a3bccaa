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
