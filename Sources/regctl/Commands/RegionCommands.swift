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
        static let configuration = CommandConfiguration(abstract: "List regions, optionally the children of one region or of one level.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Only the direct children of this 6-digit region code (330000 lists 浙江's prefectures).")
        var parent: String?
        @Option(help: "Only this level: province, prefecture or county.")
        var level: String?

        func run() throws {
            try perform {
                if let parent, RegionCode(parent) == nil {
                    throw usageError("input.region", flag: "--parent", "'\(parent)' is not a region code; give 6 digits, such as 330000 (浙江省)")
                }
                if let level, !Regions.levels.contains(level) {
                    throw usageError("input.level", flag: "--level", "'\(level)' is not a level; use province, prefecture or county")
                }
                let connection = try options.open()
                let regions = try Regions.list(connection, parent: parent.flatMap(RegionCode.init)?.value, level: level)
                emit(ResultTable(columns: ["code", "name", "level", "parent"],
                                 rows: regions.map { [.text($0.code), .text($0.name), .text($0.level), Cell($0.parent)] })
                    .render(options.format))
            }
        }
    }
}
