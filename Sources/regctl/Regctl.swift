import ArgumentParser
import Logging

@main
struct Regctl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "regctl",
        abstract: "Regional registration of physicians and nurses, multi-site practice, studios, and credit records (国办发〔2017〕44号).",
        subcommands: [DbCommand.self, RegionCommand.self, StaffCommand.self, EventsCommand.self, InstitutionCommand.self,
                      PhysicianCommand.self, CalendarCommand.self, RegistrationCommand.self, FilingCommand.self, ExecCommand.self]
    )

    static func main() {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .warning
            return handler
        }
        Self.main(nil)
    }
}
