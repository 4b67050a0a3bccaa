import API
import ArgumentParser

/// The flags of the regional reports (CLI.md, "Reports").
struct ReportFlags: CommandArgumentGroup {
    @Option(help: "Region code: a province, prefecture or county (default: your region; admin: the whole country).")
    var region: Region?
    @Option(help: "First day of the period (YYYY-MM-DD).") var from: Day?
    @Option(help: "Last day of the period, or the as-of date (YYYY-MM-DD, default today).") var to: Day?
    @Option(help: "Days ahead (report expiring, default 60: a nurse's renewal closes 30 days before expiry).")
    var within: Int?
    @Option(help: "At most this many rows in each list (default 200); totals count everything.") var limit: Int?
    @Flag(help: "Recount figures the daily run precomputed (report multisite for the whole country).") var live = false
    @Option(help: "Only this section of the report (CSV prints the first unless one is named).") var section: String?
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
        @OptionGroup var flags: ReportFlags
        func run() throws { try dispatch(MultisiteReport.name, arguments, options) }
    }

    struct SocialBeds: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "social-beds", abstract: "Social share of approved beds against the 25% target.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var flags: ReportFlags
        func run() throws { try dispatch(SocialBedsReport.name, arguments, options) }
    }

    struct Processing: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Applications by status, working days to decide, overdue list.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var flags: ReportFlags
        func run() throws { try dispatch(ProcessingReport.name, arguments, options) }
    }

    struct Studios: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Open studios by county; share of grassroots institutions hosting one.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var flags: ReportFlags
        func run() throws { try dispatch(StudiosReport.name, arguments, options) }
    }

    struct NursePilot: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "nurse-pilot", abstract: "Nurse pilot: regional registrations, nurses at 2+ institutions.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var flags: ReportFlags
        func run() throws { try dispatch(NursePilotReport.name, arguments, options) }
    }

    struct Expiring: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Contracts, nurse registrations and leave clocks running out within N days.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var flags: ReportFlags
        func run() throws { try dispatch(ExpiringReport.name, arguments, options) }
    }

    struct Credit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Blacklist in force, penalties by institution, records needing follow-up.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var flags: ReportFlags
        func run() throws { try dispatch(CreditReport.name, arguments, options) }
    }

    struct Roster: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Everyone who practises at an institution, with their standing (R-26).")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Institution id or credit code.") var institution: String
        func run() throws { try dispatch(RosterReport.name, arguments, options) }
    }
}
