import API
import ArgumentParser
import Foundation
import Remote

/// `regctl login --server URL --id ACCOUNT`: logs in to a regctl server; the token is kept in the user's
/// config directory (0600) for the commands that follow with `--server`/`REGCTL_SERVER`.
struct LoginCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "Log in to a regctl server (the password from a prompt, or one line of stdin with --password-stdin).")
    @OptionGroup var options: GlobalOptions
    @Option(help: ArgumentHelp("Your staff account.", valueName: "account")) var id: String
    @Flag(help: "Read the password from the first line of standard input.") var passwordStdin = false

    func run() throws {
        try perform {
            guard let server = options.remoteServer else {
                throw RegctlError(
                    "input.missing", "name the server: regctl login --server https://HOST --id ACCOUNT", status: .usage,
                    field: "server")
            }
            let password = try readPassword()
            let saved = try RemoteCommands.login(server: server, account: id, password: password)
            try options.write(
                CommandOutput(fields: [("server", .text(saved.server)), ("account", .text(saved.account))]))
        }
    }

    func readPassword() throws -> String {
        if passwordStdin || isatty(0) == 0 {
            guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                throw RegctlError("input.password", "no password on standard input", status: .usage, field: "password")
            }
            return line
        }
        // A terminal: the prompt on stderr, the typing not echoed.
        FileHandle.standardError.write(Data((options.language == .zh ? "密码：" : "Password: ").utf8))
        var old = termios()
        tcgetattr(0, &old)
        var quiet = old
        quiet.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(0, TCSANOW, &quiet)
        defer {
            tcsetattr(0, TCSANOW, &old)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        guard let line = readLine(strippingNewline: true), !line.isEmpty else {
            throw RegctlError("input.password", "no password was typed", status: .usage, field: "password")
        }
        return line
    }
}

/// `regctl logout`: ends the session on the server and forgets the token.
struct LogoutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logout", abstract: "Log out of the regctl server `regctl login` logged in to.")
    @OptionGroup var options: GlobalOptions

    func run() throws {
        try perform {
            guard let saved = SavedSession.load() else { return }
            try RemoteCommands(server: options.remoteServer ?? saved.server).logout()
        }
    }
}
