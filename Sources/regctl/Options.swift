import API
import Registration
import ArgumentParser
import Foundation
import Remote

extension OutputFormat: ExpressibleByArgument {}
extension Language: ExpressibleByArgument {}

/// The options every command takes (CLI.md, "Everywhere").
struct GlobalOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "A libpq connection string or URI (default: $DATABASE_URL, else the embedded cluster).", valueName: "url"))
    var database: String?

    @Option(
        name: .customLong("read-database"),
        help: ArgumentHelp(
            "A standby for the commands that only read: lists, shows, reports, look-ups (default: $REGCTL_READ_URL); their events are still written on the primary.",
            valueName: "url"))
    var readDatabase: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Send the command to this regctl server (default: $REGCTL_SERVER) as the account `regctl login` logged in.",
            valueName: "url"))
    var server: String?

    @Option(
        name: .customLong("as"),
        help: ArgumentHelp(
            "The staff account acting (default: $REGCTL_AS, else the database login's identity).", valueName: "staff"))
    var actor: String?

    @Option(
        name: .long,
        help: "Output format: table, json, csv, html or xlsx (an Excel workbook, written to the file --output names).")
    var format: OutputFormat = .table

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Language of what people read (zh or en; default: $REGCTL_LANG, else the locale: zh* is Chinese).",
            valueName: "zh|en"))
    var lang: Language?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Write the result to this file instead of standard output; for a report in CSV, a directory gets a file per section.",
            valueName: "file"))
    var output: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Text encoding: of the file an import reads (auto, utf-8 or gbk), else of what is written (default UTF-8, CSV with a byte-order mark so that Excel opens it; utf-8 without one; gbk writes GB18030 for older Excel; JSON and HTML stay UTF-8).",
            valueName: "encoding"))
    var encoding: ImportEncoding = .auto

    /// The language chosen: `--lang`, else `REGCTL_LANG`, else the locale.
    var language: Language { lang ?? Language.from(environment: ProcessInfo.processInfo.environment) }

    /// Headers, values and messages in the chosen language.
    var catalogue: Catalogue { Vocabulary.catalogue(language) }

    var location: DatabaseLocation { DatabaseLocation(url: database) }

    /// Errors follow the output: with `--format json` they are JSON on stderr too.
    func validate() throws {
        ErrorOutput.json = format == .json
        ErrorOutput.catalogue = catalogue
    }

    /// The server commands go to (`--server`, else `REGCTL_SERVER`), or nil to run them here.
    var remoteServer: String? {
        server ?? ProcessInfo.processInfo.environment["REGCTL_SERVER"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The server's commands with the saved session; `--as` may only name the session's own account.
    func remote(_ address: String) throws -> RemoteCommands {
        let remote = try RemoteCommands(server: address)
        if let wanted = actingAs, !remote.account.isEmpty, wanted != remote.account {
            throw RegctlError(
                "permission.denied",
                "you are logged in to \(remote.server.address) as \(remote.account); a session acts for its own account only (log in as \(wanted) to act for it)",
                rule: "R-70")
        }
        return remote
    }

    /// Opens the database: started and migrated when needed.
    func open() throws -> Store { try location.open() }

    /// A handler: on the database, with the read database (`--read-database`, `REGCTL_READ_URL`) when
    /// `reading` (the command only reads, or an exec stream may), and the way to the primary should the
    /// database named be a standby.
    func handler(reading: Bool) throws -> Handler {
        let location = self.location
        let store = try location.open()
        return Handler(
            store: store, reader: reading ? DatabaseLocation.openReader(url: readDatabase) : nil,
            primary: PrimaryLink { try location.openPrimary(besides: store) })
    }
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
    /// The language of messages: set with `json`, before anything runs. Until the command line is read
    /// (an error in it), the environment's.
    nonisolated(unsafe) static var catalogue = Vocabulary.catalogue(
        Language.from(environment: ProcessInfo.processInfo.environment))

    static func write(_ failure: RegctlError) {
        writeStandardError(
            json ? "{\"error\":\(failure.json(in: catalogue))}" : failure.commandLineDescription(in: catalogue))
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

extension GlobalOptions {
    /// How written text is encoded (`--encoding`).
    var outputEncoding: OutputEncoding {
        switch encoding {
        case .auto: .excelUTF8
        case .utf8: .utf8
        case .gbk: .gb18030
        }
    }

    /// Writes a command's output in the chosen format, language and encoding, to standard output or
    /// `--output`: a report in CSV to a directory is a file per section (`figures.csv`, `by_region.csv` …).
    func write(_ output: CommandOutput) throws {
        let shown = format == .json ? output : catalogue.localize(output)
        if format == .xlsx {
            guard let path = self.output, !isDirectory(path) else {
                throw RegctlError(
                    "input.file", "--format xlsx writes an Excel workbook: name its file with --output FILE.xlsx",
                    status: .usage, field: "output",
                    chinese: "--format xlsx 输出 Excel 工作簿：请用 --output 文件名.xlsx 指定要写入的文件")
            }
            do { try shown.writeWorkbook(to: path) } catch {
                throw RegctlError(
                    "input.file", "cannot write \(Quoted.value(path)): check that its folder exists and may be written",
                    status: .usage, field: "output",
                    chinese: "无法写入 \(Quoted.value(path))：请检查其所在文件夹是否存在、是否可写")
            }
            return
        }
        if format == .csv, let path = self.output, case .report(let report) = shown.body, isDirectory(path) {
            for section in report.csvSections {
                try save(
                    section.table.renderCSV(),
                    to: URL(fileURLWithPath: path).appendingPathComponent(section.name + ".csv").path)
            }
            return
        }
        let text = shown.render(format)
        if let path = self.output { try save(text, to: path) } else { emit(try encoded(text)) }
    }

    private func encoded(_ text: String) throws -> Data {
        do {
            return try outputEncoding.encode(text, format: format)
        } catch {
            throw RegctlError(
                "input.encoding", "this system's C library cannot write GB18030 (iconv); use --encoding utf-8",
                status: .usage, field: "encoding")
        }
    }

    private func emit(_ data: Data) { FileHandle.standardOutput.write(data) }

    private func save(_ text: String, to path: String) throws {
        guard !isDirectory(path) else {
            throw RegctlError(
                "input.file",
                "\(Quoted.value(path)) is a directory: name a file (a directory takes a report in CSV, a file per section)",
                status: .usage, field: "output")
        }
        guard FileManager.default.createFile(atPath: path, contents: try encoded(text)) else {
            throw RegctlError(
                "input.file", "cannot write \(Quoted.value(path)): check that its folder exists and may be written",
                status: .usage, field: "output")
        }
    }

    private func isDirectory(_ path: String) -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &directory) && directory.boolValue
    }
}

/// A usage error (exit 64) naming the flag at fault.
func usageError(_ code: String, flag: String, _ message: String) -> RegctlError {
    RegctlError(
        code, message, status: .usage, field: String(flag.drop { $0 == "-" }).replacingOccurrences(of: "-", with: "_"))
}
