import API
import ArgumentParser

/// The flags of the regional reports (CLI.md, "Reports"). Every report accepts them all (the contract), but
/// its help lists only those it reads (`R.options`, in the API); one that does not apply is named in a warning.
struct ReportFlags<R: ReportOptions>: CommandArgumentGroup {
    static func shown(_ option: ReportOption) -> ArgumentVisibility { R.options.contains(option) ? .default : .hidden }

    @Option(
        help: ArgumentHelp(
            "Region code: a province, prefecture or county (default: your region; admin: the whole country).",
            visibility: shown(.region)))
    var region: Region?
    @Option(help: ArgumentHelp("First day of the period (YYYY-MM-DD).", visibility: shown(.from))) var from: Day?
    @Option(
        help: ArgumentHelp(
            "Last day of the period, or the as-of date (YYYY-MM-DD, default today).", visibility: shown(.to)))
    var to: Day?
    @Option(
        help: ArgumentHelp(
            "Days ahead (default 60: a nurse's renewal closes 30 days before expiry).", visibility: shown(.within)))
    var within: Int?
    @Option(
        help: ArgumentHelp(
            "At most this many rows in each list (default 200); totals count everything.", visibility: shown(.limit)))
    var limit: Int?
    @Flag(
        help: ArgumentHelp(
            "Recount figures the daily run precomputed (for the whole country).", visibility: shown(.live)))
    var live = false
    @Option(
        help: ArgumentHelp(
            "Only this section of the report (figures, or a section's name as JSON names it); CSV otherwise gives every section.",
            visibility: shown(.section)))
    var section: String?
}

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Reports on the reform and for follow-up (docs/reports.md defines each).",
        subcommands: [
            Multisite.self, SocialBeds.self, Processing.self, Studios.self, NursePilot.self, Expiring.self, Credit.self,
            Roster.self
        ])

    struct Multisite: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Multi-site practice: filings in force by host ownership, region and category.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var flags: ReportFlags<MultisiteReport>
        func run() throws { try dispatch(MultisiteReport.name, arguments, options) }
    }

    struct SocialBeds: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "social-beds", abstract: "Social share of approved beds against the 25% target.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var flags: ReportFlags<SocialBedsReport>
        func run() throws { try dispatch(SocialBedsReport.name, arguments, options) }
    }

    struct Processing: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Applications by status, working days to decide, overdue list.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var flags: ReportFlags<ProcessingReport>
        func run() throws { try dispatch(ProcessingReport.name, arguments, options) }
    }

    struct Studios: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Open studios by county; share of grassroots institutions hosting one.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var flags: ReportFlags<StudiosReport>
        func run() throws { try dispatch(StudiosReport.name, arguments, options) }
    }

    struct NursePilot: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "nurse-pilot", abstract: "Nurse pilot: regional registrations, nurses at 2+ institutions.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var flags: ReportFlags<NursePilotReport>
        func run() throws { try dispatch(NursePilotReport.name, arguments, options) }
    }

    struct Expiring: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Contracts, nurse registrations and leave clocks running out within N days.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var flags: ReportFlags<ExpiringReport>
        func run() throws { try dispatch(ExpiringReport.name, arguments, options) }
    }

    struct Credit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Blacklist in force, penalties by institution, records needing follow-up.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var flags: ReportFlags<CreditReport>
        func run() throws { try dispatch(CreditReport.name, arguments, options) }
    }

    struct Roster: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Everyone who practises at an institution, with their standing (R-26), and contracts about to start.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Institution id or credit code (HR: your own by default).") var institution: String?
        @Option(
            help:
                "The day (YYYY-MM-DD, today or later; default today); contracts starting in the 30 days after it are listed too."
        )
        var on: Day?
        func run() throws { try dispatch(RosterReport.name, arguments, options) }
    }
}
