import API
import ArgumentParser

struct LookupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lookup", abstract: "Public lookups (never an ID number).",
        subcommands: [Physician.self, Nurse.self, Institution.self])

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

    struct Nurse: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Registered nurses' public record, by name (+ region): where they are registered and filed.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "The nurse's name, exactly.") var name: String
        @Option(help: "Only nurses registered in this region.") var region: Region?
        @Option(help: "Only this section: nurses or credit.") var section: String?

        func run() throws { try dispatch(LookupNurse.name, arguments, options) }
    }

    struct Institution: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Institutions' public record, by the start of the name (+ region) or credit code.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "The start of the institution's name.") var name: String?
        @Option(help: "Only institutions in this region.") var region: Region?
        @Option(help: "Unified social credit code (18 characters).") var uscc: String?
        @Option(help: "Only this section: institutions or credit.") var section: String?

        func validate() throws {
            if (name == nil) == (uscc == nil) {
                throw ValidationError("give --name (optionally with --region) or --uscc")
            }
        }

        func run() throws { try dispatch(LookupInstitution.name, arguments, options) }
    }
}
