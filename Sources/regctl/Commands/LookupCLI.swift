import API
import ArgumentParser

struct LookupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lookup", abstract: "Public lookups (never an ID number).",
        subcommands: [Physician.self])

    struct Physician: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A registered physician's public record, by name (+ region) or certificate number.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "The physician's name, exactly.") var name: String?
        @Option(help: "Only physicians practising in this region.") var region: Region?
        @Option(help: "Practice certificate number (15 digits).") var certificate: String?
        @Option(help: "Only this section: physicians, practice or credit (CSV prints the first unless one is named).")
        var section: String?

        func validate() throws {
            if (name == nil) == (certificate == nil) {
                throw ValidationError("give --name (optionally with --region) or --certificate")
            }
        }

        func run() throws { try dispatch(LookupPhysician.name, arguments, options) }
    }
}
