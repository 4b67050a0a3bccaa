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
