import Dates
import Foundation
import Spreadsheet
import Logging

import Registration

/// How to run an import.
public struct ImportOptions: Sendable {
    public var kind: ImportKind
    public var path: String
    public var encoding: ImportEncoding = .auto
    /// The sheet of a workbook to read (the first when nil).
    public var sheet: String?
    public var dryRun = false
    public var allOrNothing = false
    /// The language of the errors report and of the rejections' messages.
    public var catalogue: Catalogue = .english
    /// Called now and then with the rows read so far and how much of the file that is (0 to 1, nil for a
    /// pipe), for a progress line.
    public var progress: (@Sendable (Int, Double?) -> Void)?

    public init(kind: ImportKind, path: String) {
        self.kind = kind
        self.path = path
    }
}

/// One rejected row: where, what, why.
public struct ImportRejection: Sendable, Equatable {
    public let line: Int
    public let column: String
    public let value: String
    public let code: String
    public let message: String
    /// The row as it was sent, field by field (the errors report repeats it, to be corrected and sent again).
    public let row: [String]
    /// The message in Chinese when the catalogue's sentence for the code cannot say enough (which line a
    /// duplicate repeats).
    public let chinese: String?

    /// The longest value the report repeats: enough to find the cell, never a megabyte per row.
    public static let maxValue = 200

    /// The longest field of the row as sent that the report repeats (the longest text any command takes).
    public static let maxField = 1000

    public init(
        line: Int, column: String, value: String, code: String, message: String, row: [String] = [],
        chinese: String? = nil
    ) {
        self.line = line
        self.chinese = chinese
        self.row = row.map {
            $0.count > Self.maxField ? String($0.prefix(Self.maxField)) + "…(\($0.count) characters)" : $0
        }
        self.column = String(column.prefix(100))
        self.value =
            value.count > Self.maxValue ? String(value.prefix(Self.maxValue)) + "…(\(value.count) characters)" : value
        self.code = code
        self.message = String(message.prefix(1000))
    }
}

/// What an import did (or, for a dry run or a refused all-or-nothing import, would have done).
public struct ImportReport {
    public var read = 0
    public var added = 0
    public var updated = 0
    /// Contracts ended (action R).
    public var ended = 0
    public var unchanged = 0
    public var seconds = 0.0
    public var committed = false
    public var encoding: ImportEncoding = .utf8
    /// The sheet read, when the file was a workbook.
    public var sheet: String?
    /// Columns of the file the import does not know, ignored (序号, 备注 …).
    public var ignoredColumns: [String] = []
    /// The file's header as written: the errors report repeats it after its own columns.
    public var fileHeader: [String] = []
    /// Every rejected row, in line order, spooled to a temporary file (an import may reject millions).
    let spool = RejectionSpool()
    /// How many rows were rejected.
    public var rejected: Int { spool.count }
    /// The first rejected rows (at most `RejectionSpool.kept`), in line order.
    public var rejections: [ImportRejection] { spool.first }

    mutating func reject(_ r: ImportRejection) { spool.add(r) }

    /// The summary a user reads (CLI and exec alike), with the first `rejections` rejected rows.
    public func output(file: String, kind: ImportKind, dryRun: Bool, rejections shown: Int = 0) -> CommandOutput {
        let state =
            committed
            ? "committed"
            : (dryRun ? "dry run: nothing committed" : "nothing committed (--all-or-nothing and rows were rejected)")
        let fields: [(String, Cell)] =
            [
                ("file", .text(file)), ("kind", .text(kind.rawValue)),
                sheet.map { ("sheet", .text($0)) } ?? ("encoding", .text(encoding.rawValue)),
                ("read", .int(read)), ("added", .int(added)), ("updated", .int(updated)), ("ended", .int(ended)),
                ("unchanged", .int(unchanged)), ("rejected", .int(rejected)),
                ("seconds", .decimal(seconds)), ("result", .text(state))
            ] + (ignoredColumns.isEmpty ? [] : [("ignored_columns", .list(ignoredColumns))])
        guard shown > 0 && !rejections.isEmpty else { return CommandOutput(.record(fields)) }
        return CommandOutput(
            .summary(
                fields,
                ResultTable(
                    columns: ["line", "column", "value", "code", "message"],
                    rows: rejections.prefix(shown).map {
                        [.int($0.line), .text($0.column), .text($0.value), .text($0.code), .text($0.message)]
                    })))
    }

    /// The errors report's own columns, before the row as sent: English names (CLI.md's), and the keys of
    /// their Chinese names.
    static let errorColumns = ["line", "column", "value", "code", "message"]
    static let errorColumnKeys = ["line", "column", "value", "error_code", "message"]

    /// Creates the errors report's file before the import runs, so that a path that cannot be written stops
    /// the import before it commits anything. The rows as sent hold the clerk's own personal data (ID numbers,
    /// names): readable by its owner only, as the spool they come from. A name ending `.xlsx` makes it a
    /// workbook; anything else CSV.
    public static func openErrorsReport(at path: String) throws -> ErrorsReportFile {
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
            let out = FileHandle(forWritingAtPath: path)
        else {
            throw RegctlError(
                "input.file",
                "cannot write the errors report to \(Quoted.value(path)): check that its folder exists and may be written; nothing was imported",
                status: .usage, field: "errors",
                chinese: "无法把错误报告写到 \(Quoted.value(path))：请检查其所在文件夹是否存在、是否可写；未导入任何行")
        }
        return ErrorsReportFile(path: path, handle: out, workbook: path.lowercased().hasSuffix(".xlsx"))
    }

    /// Writes every rejected row to the errors report: line, column, value, code, message (headers and
    /// messages in the clerk's language), then the row as it was sent under the file's own header, so that
    /// it can be corrected and sent again. CSV is UTF-8 with BOM, so that Excel opens it, its cells kept
    /// inert; a workbook has one sheet (more past Excel's row limit), every column but the line formatted as
    /// text. Streamed from the spool, whatever the count.
    /// A report that cannot be written (a full disk) is `input.file`, saying whether the import committed.
    public func writeErrors(to file: ErrorsReportFile) throws {
        do { try writeErrorsReport(to: file) } catch let e as RegctlError { throw e } catch {
            let done = committed ? "the import committed" : "nothing was committed"
            throw RegctlError(
                "input.file",
                "\(done), but the errors report could not be written to \(Quoted.value(file.path)) (\(error.localizedDescription)): free space there, or name another file, and run the import again with --dry-run --errors FILE to get it",
                status: .usage, field: "errors",
                chinese: (committed ? "导入已提交" : "未提交任何行")
                    + "，但错误报告无法写入 \(Quoted.value(file.path))：请腾出空间或换一个文件，再用 --dry-run --errors 文件 重新导入以取得错误报告")
        }
    }

    private func writeErrorsReport(to file: ErrorsReportFile) throws {
        defer { try? file.handle.close() }
        let catalogue = spool.catalogue
        let own = catalogue.language == .en ? Self.errorColumns : Self.errorColumnKeys.map(catalogue.header)
        if file.workbook {
            let writer = try XLSXWriter(path: file.path, permissions: 0o600)
            try writer.startSheet(
                catalogue.language == .en ? "errors" : "错误", header: own + fileHeader,
                textColumns: Set(1..<(own.count + fileHeader.count)))
            try spool.records { fields in
                try writer.write(
                    fields.enumerated().map { i, value in
                        i == 0 ? Int(value).map(SheetValue.integer) ?? .text(value) : .text(value)
                    })
            }
            try writer.finish()
            return
        }
        var buffer = Data(("\u{FEFF}" + CSVText.line((own + fileHeader).map(CSVText.inert))).utf8)
        try spool.records { fields in
            buffer.append(contentsOf: CSVText.line(fields.map(CSVText.inert)).utf8)
            if buffer.count >= 1 << 20 {
                try file.handle.write(contentsOf: buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        try file.handle.write(contentsOf: buffer)
    }
}

/// The errors report's file, created before the import runs.
public struct ErrorsReportFile {
    public let path: String
    let handle: FileHandle
    /// `.xlsx`: a workbook; otherwise CSV.
    public let workbook: Bool
}

/// A row as read: its physical line, and its values by column name (with the header's own spelling for reports).
struct ImportRow: Sendable {
    let line: Int
    let values: [String: String]
    let headers: [String: String]
    /// The record as read, every field (ignored columns too).
    let fields: [String]

    func value(_ column: String) -> String { values[column] ?? "" }

    func reject(_ error: Error, default column: String) -> ImportRejection {
        let failure = Handler.translate(error)
        let field = failure.field.flatMap { headers[$0] != nil ? $0 : nil } ?? column
        // The message names no flag; the report names the column, as the file's header spells it. The value is
        // the clerk's own, as sent (the report goes back to whoever sent the file).
        return ImportRejection(
            line: line, column: headers[field] ?? field, value: value(field), code: failure.code,
            message: failure.message, row: fields, chinese: failure.chinese)
    }
}

/// Accepted rows' events, written with COPY (the same events the commands write, R-71).
struct EventBatch {
    var rows: [NewEvent] = []

    mutating func add(actor: String, command: String, arguments: Arguments, subjects: [UUID], details: String? = nil) {
        rows.append(
            NewEvent(
                actor: actor, command: command, arguments: arguments.bounded.json, subjects: subjects, details: details)
        )
    }

    mutating func flush(_ store: Store) throws {
        guard !rows.isEmpty else { return }
        let batch = rows
        rows.removeAll(keepingCapacity: true)
        try store.appendEvents(batch)
    }
}

/// `regctl import`: CSV files from HR departments, checked by the same rule functions as the commands.
public enum Importer {
    struct Rollback: Error {}

    public static func run(
        _ store: Store, as actorName: String?, today: CalendarDate, _ options: ImportOptions
    ) throws -> ImportReport {
        let started = Date()
        let handler = Handler(store: store, today: today)
        let command = "import.\(options.kind.rawValue)"
        let actor: Actor
        do {
            actor = try handler.resolveActor(actorName)
        } catch {
            let failure = Handler.translate(error)
            try handler.record(
                command, Arguments(["file": .string(options.path)]), actor: nil, requested: actorName,
                refusedWith: failure)
            throw failure
        }
        defer { handler.sealEvents() }
        switch (options.kind, actor.role) {
        case (_, .analyst), (.institutions, .hr), (.physicians, .hr):
            let failure = RegctlError(
                "permission.denied",
                "\(actor.id) (\(actor.role.rawValue)) may not import \(options.kind.rawValue); HR imports contracts, registrations and leaves of its own institution",
                rule: "R-70")
            try handler.record(
                command, Arguments(["file": .string(options.path)]), actor: actor, requested: actorName,
                refusedWith: failure)
            throw failure
        default: break
        }
        // A file that cannot be read is refused as the command it is, and recorded.
        var report = ImportReport()
        report.spool.catalogue = options.catalogue
        do {
            let reader = try TableFile(path: options.path, encoding: options.encoding, sheet: options.sheet)
            report.encoding = reader.encoding
            report.sheet = reader.sheet
            let header: CSVRecord
            do {
                guard let h = try reader.next() else {
                    throw RegctlError(
                        "import.header",
                        "the file is empty; its first row names the columns: \(options.kind.columnList)",
                        chinese: "文件是空的：第一行应为表头，\(options.kind.chineseName)文件的列为："
                            + options.kind.chineseColumnList)
                }
                header = h
            } catch let e as CSVError { throw RegctlError(e.code, e.description, chinese: e.chinese) }
            let mapped = try options.kind.map(header: header.fields)
            let columns = mapped.columns
            report.ignoredColumns = mapped.ignored
            report.fileHeader = header.fields.map { $0.trimmedASCIIWhitespace }
            var headers: [String: String] = [:]
            for (name, raw) in zip(columns, header.fields) {
                if let name { headers[name] = raw.trimmedASCIIWhitespace }
            }

            let context = CommandContext(store: store, actor: actor, today: today)
            do {
                try store.transaction {
                    try store.act(as: actor, today: today, role: true)
                    var rows = RowSource(reader: reader, columns: columns, headers: headers, progress: options.progress)
                    switch options.kind {
                    case .contracts:
                        var batch = try ContractsImport(context: context)
                        try batch.run(&rows, &report)
                    case .institutions:
                        var batch = InstitutionsImport(context: context)
                        try batch.run(&rows, &report)
                    case .physicians:
                        var batch = PhysiciansImport(context: context)
                        try batch.run(&rows, &report)
                    case .registrations:
                        var batch = RegistrationsImport(context: context)
                        try batch.run(&rows, &report)
                    case .leaves:
                        var batch = LeavesImport(context: context)
                        try batch.run(&rows, &report)
                    }
                    report.read = rows.read
                    try report.spool.close()
                    try store.appendEvent(
                        actor: actor.id, command: command,
                        arguments: Arguments([
                            "file": .string(options.path), "dry_run": .bool(options.dryRun),
                            "all_or_nothing": .bool(options.allOrNothing)
                        ]).bounded.json,
                        outcome: nil, subjects: [],
                        details:
                            "{\"read\": \(report.read), \"added\": \(report.added), \"updated\": \(report.updated), \"ended\": \(report.ended), \"unchanged\": \(report.unchanged), \"rejected\": \(report.rejected), \"encoding\": \"\(reader.encoding.rawValue)\"}"
                    )
                    if options.dryRun || (options.allOrNothing && report.rejected > 0) { throw Rollback() }
                }
                report.committed = true
            } catch is Rollback {
                report.committed = false
            } catch let e as CSVError {
                throw RegctlError(
                    e.code, "\(e.description); nothing was imported", chinese: e.chinese.map { $0 + "；未导入任何行" })
            }
        } catch let failure as RegctlError {
            try handler.record(
                command, Arguments(["file": .string(options.path)]), actor: actor, requested: actorName,
                refusedWith: failure)
            throw failure
        }
        report.seconds = Date().timeIntervalSince(started)
        return report
    }
}

/// Reads records and turns them into rows by column name; counts them; reports progress.
struct RowSource {
    let reader: TableFile
    /// Each position's column; nil for a column the import ignores.
    let columns: [String?]
    let headers: [String: String]
    let progress: (@Sendable (Int, Double?) -> Void)?
    var read = 0
    /// The physical line of the last record read.
    var lastLine = 0
    /// Rows with more fields than the header, reported as they are read.
    var shapeErrors: [ImportRejection] = []

    init(
        reader: TableFile, columns: [String?], headers: [String: String], progress: (@Sendable (Int, Double?) -> Void)?
    ) {
        self.reader = reader
        self.columns = columns
        self.headers = headers
        self.progress = progress
    }

    /// The next row; a row with more fields than the header is reported and skipped.
    mutating func next() throws -> ImportRow? {
        while let record = try reader.next() {
            read += 1
            lastLine = record.line
            if read % 10_000 == 0 { progress?(read, reader.fraction) }
            if record.fields.count > columns.count {
                shapeErrors.append(
                    ImportRejection(
                        line: record.line, column: "",
                        value: record.fields.dropFirst(columns.count).joined(separator: ","),
                        code: "import.columns",
                        message:
                            "the row has \(record.fields.count) fields but the header names \(columns.count); check for an unquoted comma",
                        row: record.fields))
                continue
            }
            var values: [String: String] = [:]
            for (i, name) in columns.enumerated() {
                guard let name else { continue }
                values[name] = i < record.fields.count ? record.fields[i].trimmedASCIIWhitespace : ""
            }
            return ImportRow(line: record.line, values: values, headers: headers, fields: record.fields)
        }
        return nil
    }
}
