import API
import ArgumentParser

/// `regctl codes`: every error code and what it means, for a person looking up the code a message cited.
struct CodesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codes", abstract: "List every error code with what it means and what to do (no database needed).")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "Only codes that begin with this (input., filing. …).") var prefix: String?

    func run() throws {
        try perform {
            let rows = options.catalogue.codeReference.filter { $0.code.hasPrefix(prefix ?? "") }
            try options.write(
                CommandOutput(
                    .rows(
                        ResultTable(
                            columns: ["code", "message"], rows: rows.map { [.text($0.code), .text($0.meaning)] }))))
        }
    }
}
