import API
import ArgumentParser
import Registration

struct InstitutionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "institution", abstract: "Medical institutions (医疗机构).",
        subcommands: [Add.self, Show.self, List.self, Close.self, Suspend.self, Reinstate.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record an institution.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Name (机构名称).") var name: String
        @Option(help: "Unified social credit code, 18 characters (统一社会信用代码).") var uscc: String
        @Option(help: "County region code (区划代码).") var region: Region
        @Option(help: "Ownership (举办主体; 公立 and 社会办 are read too).") var ownership: Choice<Ownership>
        @Option(help: "Category (机构类别; the Chinese names are read too).") var category: Choice<InstitutionCategory>
        @Option(help: "Approved beds (核定床位), 0 or more.") var beds: Int
        @Flag(help: "For-profit (social institutions only).") var forProfit = false
        @Option(help: "Practice-licence number (执业许可证登记号).") var licenseNo: String?
        @Option(
            help: ArgumentHelp(
                "Record a code whose check character fails, for this reason (kept in the event; R-02).",
                valueName: "reason")) var acceptCheckFailure: String?

        func run() throws { try dispatch(InstitutionAdd.name, arguments, options) }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show an institution.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Institution id or credit code.") var institution: String
        func run() throws { try dispatch(InstitutionShow.name, arguments, options) }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List institutions by region and name, a page at a time.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Only inside this region (any level).") var region: Region?
        @Option(help: "Only this category.") var category: Choice<InstitutionCategory>?
        @Option(help: "Only this ownership.") var ownership: Choice<Ownership>?
        @Option(help: "Only names that begin so (the whole name, or its first characters: 陈 finds 陈明 and 陈立).")
        var name: String?
        @Option(help: "The next page: the rows after this one (its id, or the first 8 characters of it or more).")
        var after: String?
        @Option(help: "At most this many rows (default 100).") var limit: Int?
        func run() throws { try dispatch(InstitutionList.name, arguments, options) }
    }

    struct Close: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Close an institution (its filings end, R-24).")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Institution id or credit code.") var institution: String
        @Option(help: "Date (YYYY-MM-DD).") var on: Day
        func run() throws { try dispatch(InstitutionClose.name, arguments, options) }
    }

    struct Suspend: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Suspend an institution.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Institution id or credit code.") var institution: String
        @Option(help: "Date (YYYY-MM-DD).") var on: Day
        func run() throws { try dispatch(InstitutionSuspend.name, arguments, options) }
    }

    struct Reinstate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reinstate a suspended institution.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Institution id or credit code.") var institution: String
        @Option(help: "Date (YYYY-MM-DD).") var on: Day
        func run() throws { try dispatch(InstitutionReinstate.name, arguments, options) }
    }
}
