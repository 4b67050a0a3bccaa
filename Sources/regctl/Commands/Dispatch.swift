import API
import ArgumentParser
import Foundation

extension Arguments {
    mutating func set(_ name: String, _ value: String?) {
        if let value { self[name] = .string(value) }
    }

}

/// Runs an API command as the CLI's user: opens the database, executes through the
/// handler, prints the output in the chosen format, notes and errors on stderr.
func dispatch(_ name: String, _ arguments: Arguments, _ options: GlobalOptions) throws {
    try perform {
        let handler = Handler(store: try options.open())
        let output = try handler.execute(name, arguments, as: options.actingAs)
        for note in output.notes { writeStandardError(note.text(options.language)) }
        try options.write(output)
    }
}

extension GlobalOptions {
    /// `--as`, else `REGCTL_AS`, else nil (the login's identity).
    var actingAs: String? {
        actor ?? ProcessInfo.processInfo.environment["REGCTL_AS"].flatMap { $0.isEmpty ? nil : $0 }
    }
}
