import API
import ArgumentParser
import Registration

struct RegionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "region",
        abstract: "GB/T 2260 regions (reference data).",
        subcommands: [List.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List regions, optionally the children of one region or of one level.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Only the direct children of this 6-digit region code (330000 lists 浙江's prefectures).")
        var parent: String?
        @Option(help: "Only this level: province, prefecture or county.")
        var level: String?

        func run() throws { try dispatch(RegionList.name, arguments, options) }
    }
}
