import API
import ArgumentParser
import Foundation

extension OutputFormat: ExpressibleByArgument {}

/// The options every command takes (CLI.md, "Everywhere").
struct GlobalOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "A libpq connection string or URI (default: $DATABASE_URL, else the embedded cluster).", valueName: "url"))
    var database: String?

    @Option(
        name: .customLong("as"),
        help: ArgumentHelp(
            "The staff account acting (default: $REGCTL_AS, else the database login's identity).", valueName: "staff"))
    var actor: String?

    @Option(name: .long, help: "Output format: table, json, csv or html.")
    var format: OutputFormat = .table

    var location: DatabaseLocation { DatabaseLocation(url: database) }

    /// Errors follow the output: with `--format json` they are JSON on stderr too.
    func validate() throws {
        ErrorOutput.json = format == .json
    }

    /// Opens the database: started and migrated when needed.
    func open() throws -> Store { try location.open() }
}

/// Runs a command body, turning any error into `error[CODE]: message` on stderr
/// and the exit status of CLI.md.
func perform(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let exit as ExitCode {
        throw exit
    } catch {
        let failure = RegctlError.from(error)
        ErrorOutput.write(failure)
        throw ExitCode(failure.status.rawValue)
    }
}

/// How errors are written on stderr: `error[CODE]: message`, or with `--format json`
/// `{"error": {"code", "message", "rule", "field"}}` on one line.
enum ErrorOutput {
    /// Set once, while the command line is parsed (before anything runs), and only read afterwards.
    nonisolated(unsafe) static var json = false

    static func write(_ failure: RegctlError) {
        writeStandardError(json ? "{\"error\":\(failure.json)}" : failure.commandLineDescription)
    }
}

/// Writes one line for people on stderr, its control characters escaped (`TerminalWidth.visible`): a
/// value quoted in a message (a name, a cell of an import) cannot move the cursor or hide lines. Every
/// message line regctl writes goes through here.
func writeStandardError(_ line: String) {
    FileHandle.standardError.write(Data((TerminalWidth.visible(line) + "\n").utf8))
}

/// Writes results to stdout.
func emit(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
}

/// A usage error (exit 64) naming the flag at fault.
func usageError(_ code: String, flag: String, _ message: String) -> RegctlError {
    RegctlError(
        code, message, status: .usage, field: String(flag.drop { $0 == "-" }).replacingOccurrences(of: "-", with: "_"))
}
