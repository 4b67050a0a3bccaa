import Registration
import ArgumentParser
import API
import Dates
import Foundation
import Logging

@main
struct Regctl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "regctl",
        abstract:
            "Regional registration of physicians and nurses, multi-site practice, studios, and credit records (国办发〔2017〕44号).",
        discussion: """
            Options every command takes: --database URL ($DATABASE_URL; default the embedded cluster), --as STAFF \
            ($REGCTL_AS), --format table|json|csv|html|xlsx, --lang zh|en ($REGCTL_LANG, else the locale: zh* is \
            Chinese), --output FILE (a directory for a report's CSV sections; the workbook for xlsx), \
            --encoding auto|utf-8|gbk. \
            REGCTL_TODAY=YYYY-MM-DD sets the day the system takes as today. Errors print error[CODE]: what to do; \
            `regctl codes` lists every code. Exit codes: 0 done, 1 refused, 3 rows rejected by an import, \
            64 usage, 69 no database, 70 a bug, 77 login refused. Documents: docs/ in the project (命令 commands.md、\
            规则 rules.md、导入文件 imports.md、报表 reports.md、错误代码 errors.md); `man regctl` after scripts/install.
            """,
        version: Version.line,
        subcommands: [
            DbCommand.self, RegionCommand.self, StaffCommand.self, EventsCommand.self, InstitutionCommand.self,
            PhysicianCommand.self, CalendarCommand.self, RegistrationCommand.self, FilingCommand.self,
            PolicyCommand.self,
            StudioCommand.self, NurseCommand.self, PilotCommand.self, CreditCommand.self, InspectCommand.self,
            MaintainCommand.self, ImportCommand.self, CodesCommand.self, ExecCommand.self, SeedCommand.self,
            ReportCommand.self,
            LookupCommand.self, ServeCommand.self, LoginCommand.self, LogoutCommand.self
        ]
    )

    static func main() {
        // REGCTL_LOG_LEVEL=debug shows what the database said in full (values included): for a developer's terminal.
        let level =
            ProcessInfo.processInfo.environment["REGCTL_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        // Bytes that are not UTF-8 would reach us as U+FFFD (CommandLine.arguments repairs them) and be
        // stored so: refused here, at the door, before anything runs.
        for i in 1..<Int(CommandLine.argc) {
            guard let p = CommandLine.unsafeArgv[i] else { continue }
            let bytes = UnsafeBufferPointer(
                start: UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self), count: strlen(p))
            if String(validating: bytes, as: UTF8.self) == nil {
                refuse(
                    "input.encoding",
                    "argument \(i) is not valid UTF-8 (a terminal or file in GBK?); give every value in UTF-8")
            }
        }
        // The environment is input too: a REGCTL_TODAY that is no date is refused, not ignored for the clock,
        // and a REGCTL_LANG that names no language is refused, not ignored for the locale.
        let environment = ProcessInfo.processInfo.environment
        if let today = environment["REGCTL_TODAY"], !today.isEmpty, CalendarDate(parsing: today) == nil {
            refuse(
                "input.date",
                "REGCTL_TODAY=\(Quoted.value(today)) is not a date; write YYYY-MM-DD, or unset it to use today's date")
        }
        if let chosen = environment["REGCTL_LANG"], !chosen.isEmpty, Language(tag: chosen) == nil {
            refuse(
                "input.lang",
                "REGCTL_LANG=\(Quoted.value(chosen)) is no language regctl speaks; set it to zh or en, or unset it to follow the locale"
            )
        }
        Self.main(movingGlobalOptions(Array(CommandLine.arguments.dropFirst())))
    }

    /// Refuses what came from outside before any command runs, as every refusal is written (exit 64).
    static func refuse(_ code: String, _ message: String) -> Never {
        ErrorOutput.write(RegctlError(code, message, status: .usage))
        Foundation.exit(ExitStatus.usage.rawValue)
    }

    /// The options every command takes, as `GlobalOptions` declares them (`--as`, `--database`, `--lang` …).
    static let globalOptionNames: [String] = {
        let help = GlobalOptions.helpMessage(columns: 1000)
        let names = help.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "," })
            .filter { $0.hasPrefix("--") && $0 != "--help" }.map(String.init)
        return names.reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
    }()

    /// The options every command takes may come before the subcommand too (`regctl --as zj-reg-01 filing add
    /// …`, `regctl --lang zh report …`): they are moved after it, where each subcommand declares them.
    static func movingGlobalOptions(_ arguments: [String]) -> [String] {
        let global = globalOptionNames
        var leading: [String] = []
        var rest = arguments[...]
        while let first = rest.first, first.hasPrefix("--") {
            if global.contains(first), rest.count >= 2 {
                leading += rest.prefix(2)
                rest = rest.dropFirst(2)
            } else if global.contains(where: { first.hasPrefix($0 + "=") }) {
                leading.append(first)
                rest = rest.dropFirst()
            } else {
                break
            }
        }
        return Array(rest) + leading
    }
}
