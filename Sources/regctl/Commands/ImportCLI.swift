import Registration
import API
import ArgumentParser
import Foundation
import Remote
#if canImport(Glibc)
    import Glibc
#endif

extension ImportKind: ExpressibleByArgument {}
extension ImportEncoding: ExpressibleByArgument {}

/// `regctl import KIND FILE` (the default) and `regctl import template KIND`.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract:
            "Import a CSV file from an institution's HR department: institutions, physicians, registrations, contracts or leaves.",
        subcommands: [ImportFile.self, ImportTemplate.self], defaultSubcommand: ImportFile.self)
}

/// `regctl import template KIND`: the header in Chinese and one example row, to fill in.
struct ImportTemplate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template",
        abstract: "Write a file to start from: the columns of KIND under their Chinese names, and one example row.",
        discussion:
            "CSV (UTF-8 with a byte-order mark) by default; with --format xlsx --output FILE.xlsx an Excel workbook whose columns are formatted as text, so that ID numbers typed into it stay as typed."
    )
    @OptionGroup var options: GlobalOptions
    @Argument(help: "institutions, physicians, registrations, contracts or leaves.") var kind: ImportKind

    func run() throws {
        try perform {
            let rows = kind.template
            var chosen = options
            if chosen.format != .xlsx { chosen.format = .csv }
            var table = ResultTable(columns: rows[0], rows: [rows[1].map(Cell.text)])
            table.textColumns = Set(rows[0].indices)
            try chosen.write(CommandOutput(.rows(table)))
        }
    }
}

struct ImportFile: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "file",
        abstract:
            "Import a CSV file or Excel workbook from an institution's HR department: institutions, physicians, registrations, contracts or leaves.",
        discussion:
            "Columns may be named in English or Chinese, as docs/imports.md lists them; columns regctl does not know (序号, 备注 …) are ignored. Start from `regctl import template KIND`. Action words: A or 新增 adds or updates a contract, R, 解除 or 终止 ends it. Encoding auto: UTF-8 (with or without BOM) when the whole file is valid UTF-8, else GBK/GB18030. Exit 3 when rows were rejected."
    )
    @OptionGroup var options: GlobalOptions
    @Argument(help: "institutions, physicians, registrations, contracts or leaves.") var kind: ImportKind
    @Argument(
        help:
            "The file: CSV, or an Excel workbook (.xlsx); - (or /dev/stdin) reads CSV from standard input, such as a pipe."
    ) var file: String
    @Option(help: "The sheet of a workbook to read (default: the first).") var sheet: String?
    @Flag(help: "Check everything, commit nothing.") var dryRun = false
    @Option(
        help:
            "Write the rejected rows here, each with the row as sent, to correct and send again: a workbook if the name ends .xlsx, else CSV (UTF-8 with BOM)."
    ) var errors: String?
    @Flag(help: "Commit nothing unless every row is valid.") var allOrNothing = false

    func run() throws {
        try perform {
            var importOptions = ImportOptions(kind: kind, path: file)
            importOptions.encoding = options.encoding
            importOptions.sheet = sheet
            importOptions.dryRun = dryRun
            importOptions.allOrNothing = allOrNothing
            importOptions.catalogue = options.catalogue
            if isatty(2) == 1 {
                let start = Date(), language = options.language
                importOptions.progress = { rows, fraction in
                    let line =
                        "\r"
                        + ImportProgress.line(
                            rows: rows, fraction: fraction, elapsed: Date().timeIntervalSince(start), language: language
                        )
                        + "\u{1B}[K"
                    FileHandle.standardError.write(Data(line.utf8))
                }
            }
            if let server = options.remoteServer {
                try importRemotely(try options.remote(server))
                return
            }
            let errorsFile = try errors.map(ImportReport.openErrorsReport)
            let report = try Importer.run(
                try options.open(), as: options.actingAs, today: Handler.today(), importOptions)
            if isatty(2) == 1 { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            if let errorsFile {
                try report.writeErrors(to: errorsFile)
            } else {
                let catalogue = options.catalogue
                for r in report.rejections.prefix(50) {
                    let message = catalogue.message(code: r.code, english: r.message, chinese: r.chinese)
                    writeStandardError(
                        catalogue.language == .zh
                            ? "第 \(r.line) 行，\(r.column.isEmpty ? "整行" : r.column) \(Quoted.value(r.value))：错误[\(r.code)]：\(message)"
                            : "line \(r.line), \(r.column.isEmpty ? "row" : r.column) \(Quoted.value(r.value)): error[\(r.code)]: \(message)"
                    )
                }
                if report.rejected > 50 {
                    writeStandardError(
                        catalogue.language == .zh
                            ? "……另有 \(report.rejected - 50) 行被拒绝；用 --errors 文件名 写出全部"
                            : "… and \(report.rejected - 50) more; write them all with --errors FILE")
                }
            }
            let summary = report.output(file: file, kind: kind, dryRun: dryRun)
            try options.write(summary)
            if report.rejected > 0 { throw ExitCode(ExitStatus.importRejected.rawValue) }
        }
    }

    /// The same import on a server: the file streams up; the summary, the rejected rows and (with --errors)
    /// the errors report come back, printed and written as a local import prints and writes them.
    func importRemotely(_ remote: RemoteCommands) throws {
        let fd = file == "-" ? 0 : open(file, O_RDONLY)
        guard fd >= 0 else {
            throw RegctlError(
                "input.file", "cannot read \(Quoted.value(file)): check the name and that you may read it",
                status: .usage)
        }
        defer { if fd != 0 { close(fd) } }
        let mode = dryRun ? "dry-run" : (allOrNothing ? "all-or-nothing" : "commit")
        let imported = try remote.upload(
            kind: kind.rawValue, file: fd, name: file == "-" ? "-" : (file as NSString).lastPathComponent,
            query: [
                ("mode", mode), ("encoding", options.encoding.rawValue), ("sheet", sheet ?? ""),
                ("errors", errors.map { $0.lowercased().hasSuffix(".xlsx") ? "xlsx" : "csv" } ?? "")
            ], language: options.language)
        let fields = imported.output.fields
        let rejected =
            fields.first { $0.0 == "rejected" }.map { cell -> Int in
                if case .int(let n) = cell.1 { return n }
                return 0
            } ?? 0
        if let errors, let address = imported.errorsReport {
            try remote.download(address, to: errors)
        } else {
            let catalogue = options.catalogue
            for row in (imported.output.table?.rows ?? []).prefix(50) {
                let text = row.map(\.plain)
                guard text.count == 5 else { continue }
                let message = catalogue.message(code: text[3], english: text[4], chinese: nil)
                writeStandardError(
                    catalogue.language == .zh
                        ? "第 \(text[0]) 行，\(text[1].isEmpty ? "整行" : text[1]) \(Quoted.value(text[2]))：错误[\(text[3])]：\(message)"
                        : "line \(text[0]), \(text[1].isEmpty ? "row" : text[1]) \(Quoted.value(text[2])): error[\(text[3])]: \(message)"
                )
            }
            if rejected > 50 {
                writeStandardError(
                    catalogue.language == .zh
                        ? "……另有 \(rejected - 50) 行被拒绝；用 --errors 文件名 写出全部"
                        : "… and \(rejected - 50) more; write them all with --errors FILE")
            }
        }
        // The summary alone, with the file's name as given here (the server knows it by its last component).
        let summary = fields.map { $0.0 == "file" ? ("file", Cell.text(file)) : $0 }
        try options.write(CommandOutput(.record(summary)))
        if rejected > 0 { throw ExitCode(ExitStatus.importRejected.rawValue) }
    }
}
