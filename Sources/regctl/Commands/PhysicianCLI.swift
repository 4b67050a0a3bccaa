import API
import ArgumentParser
import Registration

struct PhysicianCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "physician", abstract: "Physicians (医师).",
        subcommands: [Add.self, Show.self, List.self, Retire.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a physician.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Name (姓名).") var name: String
        @Option(help: "Resident ID number, 18 characters (身份证号).") var idNumber: String
        @Option(help: "Qualification certificate number (医师资格证书编码).") var qualificationNo: String
        @Option(help: "Level (执业医师 or 执业助理医师 are read too).") var level: Choice<PhysicianLevel>
        @Option(help: "Category (类别; 临床, 中医, 口腔, 公共卫生 are read too).") var category: Choice<PracticeCategory>
        func run() throws { try dispatch(PhysicianAdd.name, arguments, options) }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a physician.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Physician id or resident ID number.") var physician: String
        func run() throws { try dispatch(PhysicianShow.name, arguments, options) }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List physicians (with a live registration in the region), a page at a time.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Only inside this region (any level).") var region: Region?
        @Option(help: "Only names that begin so (the whole name, or its first characters: 陈 finds 陈明 and 陈立).")
        var name: String?
        @Option(help: "The next page: the rows after this one (its id, or the first 8 characters of it or more).")
        var after: String?
        @Option(help: "At most this many rows (default 100).") var limit: Int?
        func run() throws { try dispatch(PhysicianList.name, arguments, options) }
    }

    struct Retire: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a physician's retirement.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Physician id or resident ID number.") var physician: String
        @Option(help: "Date (YYYY-MM-DD).") var on: Day
        func run() throws { try dispatch(PhysicianRetire.name, arguments, options) }
    }
}
