import API
import ArgumentParser
import Foundation
import Registration
import Remote

extension Arguments {
    mutating func set(_ name: String, _ value: String?) {
        if let value { self[name] = .string(value) }
    }

}

/// Runs an API command as the CLI's user: opens the database, executes through the
/// handler, prints the output in the chosen format, notes and errors on stderr.
func dispatch(_ name: String, _ arguments: Arguments, _ options: GlobalOptions) throws {
    try perform {
        let output: CommandOutput
        if let server = options.remoteServer, name != Seed.name {
            let remote = try options.remote(server)
            if name == CalendarImport.name {
                output = try remoteCalendarImport(remote, arguments, options)
            } else {
                output = try remote.run(name, arguments)
            }
        } else {
            let handler = try options.handler(reading: CommandRegistry.type(named: name)?.readsOnly == true)
            output = try handler.execute(name, arguments, as: options.actingAs)
        }
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

/// `calendar import FILE` on a server: the file is uploaded (the server reads no file of its own machine).
func remoteCalendarImport(_ remote: RemoteCommands, _ arguments: Arguments, _ options: GlobalOptions) throws
    -> CommandOutput
{
    let path = try arguments.string("file")
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else {
        throw RegctlError("input.file", "cannot read \(Quoted.value(path))", status: .usage, field: "file")
    }
    defer { close(fd) }
    return try remote.upload(
        kind: "calendar", file: fd, name: (path as NSString).lastPathComponent,
        query: [
            ("encoding", try arguments.optionalString("encoding") ?? ""),
            ("sheet", try arguments.optionalString("sheet") ?? "")
        ], language: options.language
    ).output
}
