import API
import ArgumentParser
import Registration

struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy", abstract: "Per-province policy settings (R-23 max_active_filings, R-42 studio_max_age).",
        subcommands: [Set.self, List.self])

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a province's policy (a registrar of the province, or admin).")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Province code, e.g. 330000.") var province: Region
        @Option(help: "Cap on a physician's active filings in the province (R-23).") var maxActiveFilings: Int?
        @Flag(help: "Remove the cap (the default: no cap).") var noMaxActiveFilings = false
        @Option(help: "Oldest age at which a physician may open a studio (R-42).") var studioMaxAge: Int?
        @Flag(help: "Remove the studio age limit (the default: none).") var noStudioMaxAge = false
        func run() throws { try dispatch(PolicySet.name, arguments, options) }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List every province's policy.")
        @OptionGroup var options: GlobalOptions
        func run() throws { try dispatch(PolicyList.name, arguments, options) }
    }
}
