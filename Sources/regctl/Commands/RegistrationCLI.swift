import API
import ArgumentParser
import Registration
import Foundation
#if canImport(Glibc)
    import Glibc
#endif

struct RegistrationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registration", abstract: "Physicians' regional registrations (区域注册, R-10 … R-19).",
        subcommands: [Apply.self, Approve.self, Reject.self, Change.self, Leave.self, Cancel.self, Show.self, List.self]
    )

    struct Apply: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply for a registration at a primary institution; prints the application's id.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Physician id or resident ID number.") var physician: String
        @Option(help: "Primary institution id or credit code.") var institution: String
        @Option(help: "Practice scopes, comma-separated (1 to 3, R-12).") var scope: String
        @Option(help: "Application date (default today).") var on: Day?
        func run() throws { try dispatch(RegistrationApply.name, arguments, options) }
    }

    struct Approve: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Approve a pending application (R-14).")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Registration id.") var registration: String
        @Option(help: "Decision date (default today).") var on: Day?
        func run() throws { try dispatch(RegistrationApprove.name, arguments, options) }
    }

    struct Reject: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reject a pending application, with a reason (R-14).")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Registration id.") var registration: String
        @Option(help: "Why (shown to the applicant).") var reason: String
        @Option(help: "Decision date (default today).") var on: Day?
        func run() throws { try dispatch(RegistrationReject.name, arguments, options) }
    }

    struct Change: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Change the primary institution (same region) or the scopes (R-16); returns an on-leave registration to active (R-17)."
        )
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Registration id.") var registration: String
        @Option(help: "New primary institution.") var institution: String?
        @Option(help: "New scopes, comma-separated.") var scope: String?
        @Option(help: "Date (default today).") var on: Day?
        func run() throws { try dispatch(RegistrationChange.name, arguments, options) }
    }

    struct Leave: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record that the physician left the primary institution (R-17); filings end.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Registration id.") var registration: String
        @Option(help: "Why the physician left.") var reason: Choice<LeaveReason>
        @Option(help: "Date (YYYY-MM-DD).") var on: Day
        func run() throws { try dispatch(RegistrationLeave.name, arguments, options) }
    }

    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel a registration (R-19); its filings end.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Registration id.") var registration: String
        @Option(help: "Why the registration is cancelled.") var reason: Choice<CancellationReason>
        @Option(help: "Date (YYYY-MM-DD).") var on: Day
        func run() throws { try dispatch(RegistrationCancel.name, arguments, options) }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a registration.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Registration id.") var registration: String
        func run() throws { try dispatch(RegistrationShow.name, arguments, options) }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List registrations.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Only this physician's.") var physician: String?
        @Option(help: "Only in this region (any level).") var region: Region?
        @Option(help: "Only this status.") var status: Choice<RegistrationStatus>?
        @Option(help: "At most this many rows, oldest application first (default 100).") var limit: Int?
        func run() throws { try dispatch(RegistrationList.name, arguments, options) }
    }
}

struct FilingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "filing", abstract: "Multi-site filings under contracts (多点执业备案, R-20 … R-26).",
        subcommands: [Add.self, End.self, List.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "File an additional institution under a contract; prints the filing's id.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Physician id or resident ID number.") var physician: String
        @Option(help: "Institution id or credit code.") var institution: String
        @Option(help: "Contract number (合同编号).") var contractNo: String
        @Option(help: "Contract start (YYYY-MM-DD).") var from: Day
        @Option(help: "Contract end (YYYY-MM-DD), included.") var to: Day
        @Option(help: "Scope practised there (one of the registration's).") var scope: String?
        func run() throws { try dispatch(FilingAdd.name, arguments, options) }
    }

    struct End: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "End a filing (R-24), named by id or by --institution and --contract-no.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Filing id.") var filing: String?
        @Option(help: "The filing's institution (with --contract-no instead of the id).") var institution: String?
        @Option(help: "The filing's contract number.") var contractNo: String?
        @Option(help: "Date (YYYY-MM-DD).") var on: Day
        @Option(help: "Why.") var reason: String?
        func run() throws { try dispatch(FilingEnd.name, arguments, options) }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List filings, with their standing (R-26).")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Only this physician's.") var physician: String?
        @Option(help: "Only at this institution.") var institution: String?
        @Option(help: "active or ended.") var status: String?
        func run() throws { try dispatch(FilingList.name, arguments, options) }
    }
}

struct ExecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Run JSON Lines of commands (stdin or FILE); one JSON result line per input line.")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "A file of JSON Lines (default: standard input).") var file: String?

    func run() throws {
        try perform {
            let input: FileHandle
            if let file {
                guard let h = FileHandle(forReadingAtPath: file) else {
                    throw RegctlError("input.file", "cannot read \(file)", status: .usage)
                }
                input = h
            } else {
                input = FileHandle.standardInput
            }
            let stream = ExecStream(handler: Handler(store: try options.open()), defaultActor: options.actingAs)
            var splitter = LineSplitter()
            // Each answer is written (one write(2), unbuffered) as soon as its line has run, so that a
            // committed line's answer is out before the next line starts and a client that sends one
            // line and waits gets its answer.
            func handle(_ piece: LineSplitter.Piece) {
                let answer: String?
                switch piece {
                case .oversized(let bytes): answer = ExecStream.oversized(bytes: bytes)
                case .line(let bytes):
                    if let line = String(validating: bytes, as: UTF8.self) {
                        answer = stream.run(line: line)
                    } else {
                        answer = ExecStream.failure(
                            RegctlError(
                                "input.encoding", "the line is not valid UTF-8; exec reads JSON in UTF-8",
                                status: .usage))
                    }
                }
                if let answer { FileHandle.standardOutput.write(Data((answer + "\n").utf8)) }
            }
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                // What is there now (one read(2) of at most 64 KiB), not a fixed length: a line typed
                // alone is answered at once, and a large file streams.
                let n = chunk.withUnsafeMutableBytes { read(input.fileDescriptor, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n < 0 {
                    throw RegctlError(
                        "input.file", "cannot read the input (\(String(cString: strerror(errno))))", status: .usage)
                }
                if n == 0 { break }
                splitter.feed(Array(chunk[0..<n]), handle)
                stream.seal()  // the events of this chunk's lines, into the chain
            }
            splitter.finish(handle)
            stream.seal()
        }
    }
}
