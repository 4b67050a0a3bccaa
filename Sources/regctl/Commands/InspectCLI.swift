import API
import ArgumentParser
import Registration

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
