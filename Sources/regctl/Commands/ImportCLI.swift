import Registration
import API
import ArgumentParser
import Foundation
#if canImport(Glibc)
    import Glibc
#endif

extension ImportKind: ExpressibleByArgument {}
extension ImportEncoding: ExpressibleByArgument {}

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract:
            "Import a CSV file from an institution's HR department: institutions, physicians, registrations, contracts or leaves.",
        discussion:
            "Columns may be named in English or Chinese (CLI.md). Encoding auto: UTF-8 (with or without BOM) when the whole file is valid UTF-8, else GBK/GB18030. Exit 3 when rows were rejected."
    )
    @OptionGroup var options: GlobalOptions
    @Argument(help: "institutions, physicians, registrations, contracts or leaves.") var kind: ImportKind
    @Argument(help: "The CSV file; - (or /dev/stdin) reads standard input, such as a pipe.") var file: String
    @Option(help: "auto, utf-8 or gbk.") var encoding: ImportEncoding = .auto
    @Flag(help: "Check everything, commit nothing.") var dryRun = false
    @Option(help: "Write the rejected rows here (CSV, UTF-8 with BOM).") var errors: String?
    @Flag(help: "Commit nothing unless every row is valid.") var allOrNothing = false

    func run() throws {
        try perform {
            var importOptions = ImportOptions(kind: kind, path: file)
            importOptions.encoding = encoding
            importOptions.dryRun = dryRun
            importOptions.allOrNothing = allOrNothing
            if isatty(2) == 1 {
                let start = Date()
                importOptions.progress = { rows in
                    let rate = Double(rows) / max(Date().timeIntervalSince(start), 0.001)
                    FileHandle.standardError.write(Data(String(format: "\r%d rows, %.0f rows/s", rows, rate).utf8))
                }
            }
            let report = try Importer.run(
                try options.open(), as: options.actingAs, today: Handler.today(), importOptions)
            if isatty(2) == 1 { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            if let errors {
                try report.writeErrors(to: errors)
            } else {
                for r in report.rejections.prefix(50) {
                    writeStandardError(
                        "line \(r.line), \(r.column.isEmpty ? "row" : r.column) \(Quoted.value(r.value)): error[\(r.code)]: \(r.message)"
                    )
                }
                if report.rejected > 50 {
                    writeStandardError("… and \(report.rejected - 50) more; write them all with --errors FILE")
                }
            }
            let summary = report.output(file: file, kind: kind, dryRun: dryRun)
            emit(summary.render(options.format))
            if report.rejected > 0 { throw ExitCode(ExitStatus.importRejected.rawValue) }
        }
    }
}
