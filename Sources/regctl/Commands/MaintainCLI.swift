import API
import ArgumentParser
import Registration

struct MaintainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "maintain",
        abstract:
            "The daily run: contract ends, leave-2y, nurse expiry, pilot ends. Idempotent; catches up on missed days.")
    @OptionGroup var options: GlobalOptions
    @Option(help: "The day to run for (default today).") var on: Day?
    func run() throws { try dispatch(Maintain.name, arguments, options) }
}
