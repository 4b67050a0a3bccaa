import API
import ArgumentParser
import Registration

struct StaffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "staff", abstract: "Staff accounts, their scopes (R-70) and their database logins.",
        subcommands: [Add.self, Disable.self, Password.self, List.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a staff account and its PostgreSQL login (admin only).",
            discussion: "Without --password-stdin a password is generated and printed once.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Account id (letters, digits, . _ -), e.g. zj-reg-01: also the database login.") var id: String
        @Option(help: "The person's name.") var name: String
        @Option(help: "The account's kind.") var role: Choice<StaffRole>
        @Option(help: "Region code a registrar or analyst acts in.") var region: Region?
        @Option(help: "Institution (id or credit code) an hr account acts for.") var institution: String?
        @Flag(help: "Read the password from the first line of standard input.") var passwordStdin = false

        func run() throws {
            var a = arguments
            a["password_stdin"] = nil
            if passwordStdin { a.set("password", try readPassword()) }
            try dispatch(StaffAdd.name, a, options)
        }
    }

    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Disable a staff account: it may no longer act nor log in (admin only).")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Account id.") var id: String
        func run() throws { try dispatch(StaffDisable.name, arguments, options) }
    }

    struct Password: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a new password for a staff account's login (admin only).",
            discussion: "Without --password-stdin a password is generated and printed once.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Account id.") var id: String
        @Flag(help: "Read the password from the first line of standard input.") var passwordStdin = false
        func run() throws {
            var a = arguments
            a["password_stdin"] = nil
            if passwordStdin { a.set("password", try readPassword()) }
            try dispatch(StaffPassword.name, a, options)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List staff accounts.")
        @OptionGroup var options: GlobalOptions
        func run() throws { try dispatch(StaffList.name, arguments, options) }
    }
}

/// The first line of standard input, without its line end (a password never comes from the command line,
/// where other users of the machine would read it in the process list).
func readPassword() throws -> String {
    guard let line = readLine(strippingNewline: true), !line.isEmpty else {
        throw RegctlError(
            "input.password",
            "--password-stdin: standard input has no password line; pipe it in, e.g. printf '%s\\n' \"$PW\" | regctl staff add …",
            status: .usage)
    }
    return line.hasSuffix("\r") ? String(line.dropLast()) : line
}

struct EventsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events", abstract: "The event log of accepted and refused commands (R-71).",
        subcommands: [List.self, Head.self, Verify.self])

    struct Head: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Seal what is committed and print the event chain's head (place, time, hash) to ship out of the database (R-71)."
        )
        @OptionGroup var options: GlobalOptions
        func run() throws { try dispatch(EventsHead.name, arguments, options) }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute the event chain and name the first event missing or altered (R-71).")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Check from the first event on or after this date.") var since: Day?
        @Option(help: "A file of heads saved from regctl events head: the chain must still hold each.") var anchor:
            String?
        func run() throws { try dispatch(EventsVerify.name, arguments, options) }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List events (admin: all; others: their own).")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Only events touching this record (id, ID number or credit code).") var subject: String?
        @Option(help: "Only events by this staff account.") var actor: String?
        @Option(help: "Only events on or after this date.") var since: Day?
        @Option(help: "accepted, refused or failed.") var outcome: String?
        @Option(help: "At most this many events (default 1000).") var limit: Int?

        func run() throws { try dispatch(EventsList.name, arguments, options) }
    }
}

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
        static let configuration = CommandConfiguration(abstract: "List institutions.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Only inside this region (any level).") var region: Region?
        @Option(help: "Only this category.") var category: Choice<InstitutionCategory>?
        @Option(help: "Only this ownership.") var ownership: Choice<Ownership>?
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
        @Option(help: "Only physicians of this name (姓名).") var name: String?
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

struct CalendarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar", abstract: "The working-day calendar (R-05).",
        subcommands: [Import.self])

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load holidays and adjusted working days from CSV: date,kind (holiday|workday).")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The CSV file.") var file: String
        func run() throws { try dispatch(CalendarImport.name, arguments, options) }
    }
}

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
