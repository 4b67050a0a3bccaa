import Registration
import API
import ArgumentParser
import Foundation
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
}
