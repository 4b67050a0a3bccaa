import Foundation
import Foundation

/// How results are printed: `--format table|json|csv|html|xlsx`. An Excel workbook (`xlsx`) is written to a
/// file (`CommandOutput.writeWorkbook`); as text it prints as CSV.
public enum OutputFormat: String, CaseIterable, Sendable {
    case table, json, csv, html, xlsx
}

/// One printed value, typed so JSON keeps numbers and booleans as such.
public enum Cell: Sendable, Equatable {
    case text(String)
    case int(Int)
    /// A measured quantity (seconds): a number in JSON, two decimals everywhere.
    case decimal(Double)
    case bool(Bool)
    /// Several values (scopes, registrations): an array in JSON, joined by `; ` elsewhere.
    case list([String])
    /// A JSON value as it is (an event's arguments): itself in JSON, its text elsewhere.
    case json(String)
    case null

    public var plain: String {
        switch self {
        case .text(let s): return s
        case .int(let i): return String(i)
        case .decimal(let d): return String(format: "%.2f", d)
        case .bool(let b): return b ? "true" : "false"
        case .list(let l): return l.joined(separator: "; ")
        case .json(let j): return j
        case .null: return ""
        }
    }

    public var json: String {
        switch self {
        case .text(let s): return JSONText.quote(s)
        case .int(let i): return String(i)
        case .decimal(let d): return d.isFinite ? String(format: "%.2f", d) : "null"
        case .bool(let b): return b ? "true" : "false"
        case .list(let l): return "[" + l.map(JSONText.quote).joined(separator: ",") + "]"
        case .json(let j): return j
        case .null: return "null"
        }
    }

    public init(_ s: String?) { self = s.map(Cell.text) ?? .null }
}

/// Rows under named columns, printed in any of the three formats.
public struct ResultTable: Sendable {
    public var columns: [String]
    public var rows: [[Cell]]
    /// Columns a workbook formats as text, so that what is typed there later stays text (a template's).
    public var textColumns: Set<Int> = []
    /// What the rows are (`person`, `studio` …), when a header or word means something else for them: a person's
    /// `name` is 姓名, not an institution's 名称 (`ChineseHeaders.bySubject`); a studio `closed` is 已关闭
    /// (`Catalogue.subjectTerms`).
    public var subject: String?

    public init(columns: [String], rows: [[Cell]], subject: String? = nil) {
        self.columns = columns
        self.rows = rows
        self.subject = subject
    }

    public func render(_ format: OutputFormat) -> String {
        switch format {
        case .table: return renderTable()
        case .csv, .xlsx: return renderCSV()
        case .json: return renderJSON()
        case .html: return HTMLPage.page(title: "regctl", body: HTMLPage.table(self))
        }
    }

    /// Columns padded to the widest value, a CJK character counting two columns.
    public func renderTable() -> String {
        let shown = rows.map { $0.map { TerminalWidth.visible($0.plain) } }
        var widths = columns.map(TerminalWidth.of)
        for row in shown {
            for (i, cell) in row.enumerated() where i < widths.count {
                widths[i] = max(widths[i], TerminalWidth.of(cell))
            }
        }
        func line(_ values: [String]) -> String {
            var out = ""
            for (i, v) in values.enumerated() {
                if i == values.count - 1 {
                    out += v
                    break
                }
                out += v + String(repeating: " ", count: widths[i] - TerminalWidth.of(v) + 2)
            }
            return out
        }
        var lines = [line(columns), line(widths.map { String(repeating: "-", count: $0) })]
        lines += shown.map(line)
        return lines.joined(separator: "\n") + "\n"
    }

    /// RFC 4180: a header row, CRLF line ends, fields quoted when they hold `,` `"` or a line break.
    public func renderCSV() -> String {
        var out = CSVText.line(columns)
        for row in rows {
            out += CSVText.line(
                row.map {
                    switch $0 {
                    case .int, .decimal: $0.plain
                    default: CSVText.inert($0.plain)
                    }
                })
        }
        return out
    }

    /// One JSON document: an array of objects with the columns as keys, in order.
    public func renderJSON() -> String {
        let objects = rows.map { row in
            "{" + zip(columns, row).map { "\(JSONText.quote($0)):\($1.json)" }.joined(separator: ",") + "}"
        }
        return "[" + objects.joined(separator: ",") + "]\n"
    }
}

public enum CSVText {
    /// OWASP's rule against formula injection: a text cell that a spreadsheet would read as a formula
    /// (it begins with `=`, `+`, `-`, `@`, a tab or a carriage return) is written after a `'`, which
    /// Excel and LibreOffice show as text. Numbers are written as numbers.
    public static func inert(_ s: String) -> String {
        guard let first = s.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) else { return s }
        return "'" + s
    }

    public static func field(_ s: String) -> String {
        if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return s
    }

    public static func line(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }
}

public enum JSONText {
    public static func quote(_ s: String) -> String {
        // Most values need no escape (names, ids, dates): checked on the bytes, copied whole.
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) { return "\"" + s + "\"" }
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 0x20: out += String(format: "\\u%04x", c.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

/// Display width on a terminal: East Asian wide and fullwidth characters take two columns.
public enum TerminalWidth {
    public static func of(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) { $0 + width($1) }
    }

    /// A value as a terminal shows it: control characters (an escape sequence, a line break) written
    /// as `\u{1B}`, so that a stored value cannot move the cursor, recolour or hide lines.
    public static func visible(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: isControl) else { return s }
        var out = ""
        for scalar in s.unicodeScalars {
            if isControl(scalar) {
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// C0 and C1 controls, DEL, and the Unicode line and paragraph separators.
    public static func isControl(_ c: Unicode.Scalar) -> Bool {
        c.value < 0x20 || (0x7F...0x9F).contains(c.value) || c.value == 0x2028 || c.value == 0x2029
    }

    public static func width(_ c: Unicode.Scalar) -> Int {
        let v = c.value
        if v == 0 || (0x300...0x36F).contains(v) || (0x200B...0x200F).contains(v) { return 0 }
        if (0x1100...0x115F).contains(v) || (0x2E80...0x303E).contains(v) || (0x3041...0x33FF).contains(v)
            || (0x3400...0x4DBF).contains(v) || (0x4E00...0x9FFF).contains(v) || (0xA000...0xA4CF).contains(v)
            || (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v)
            || (0xFF00...0xFF60).contains(v) || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1F64F).contains(v)
            || (0x20000...0x3FFFD).contains(v)
        {
            return 2
        }
        return 1
    }
}

/// What a command returns: a created record's id, one record, rows, or a short message.
public struct CommandOutput: Sendable {
    /// What a command answers.
    public enum Body: Sendable {
        /// A record the command created: its id (printed alone in table format), what else it says of it,
        /// and a line shown once under the id in table format (a generated password; `json` and `csv`
        /// carry it in the fields).
        case created(id: String, fields: [(String, Cell)], shownOnce: String?)
        /// Named values: a shown record, or what a command changed.
        case record([(String, Cell)])
        /// Rows, for lists.
        case rows(ResultTable)
        /// Named values and rows under them (an import's summary and its first rejected rows).
        case summary([(String, Cell)], ResultTable)
        /// A report (several tables, a chart): rendered by itself in every format.
        case report(Report)
    }

    public var body: Body
    /// Lines for people (on stderr), such as a warning that did not stop the command.
    public var notes: [Phrase]
    /// The language its words are in (`Catalogue.localize` sets it).
    public var language: Language = .en

    public init(_ body: Body, notes: [Phrase] = []) {
        self.body = body
        self.notes = notes
    }

    /// A created record's id (and what else the command says of it), a record, or rows, by what is given.
    public init(
        id: String? = nil, fields: [(String, Cell)] = [], table: ResultTable? = nil, notes: [Phrase] = [],
        shownOnce: String? = nil
    ) {
        if let id {
            self.init(.created(id: id, fields: fields, shownOnce: shownOnce), notes: notes)
        } else if let table {
            self.init(fields.isEmpty ? .rows(table) : .summary(fields, table), notes: notes)
        } else {
            self.init(.record(fields), notes: notes)
        }
    }

    public init(report: Report) { self.init(.report(report)) }

    /// The created record's id, if any.
    public var id: String? {
        if case .created(let id, _, _) = body { return id }
        return nil
    }

    /// The named values, if any.
    public var fields: [(String, Cell)] {
        switch body {
        case .created(_, let fields, _): return fields
        case .record(let fields): return fields
        case .summary(let fields, _): return fields
        case .rows, .report: return []
        }
    }

    /// The rows, if any.
    public var table: ResultTable? {
        switch body {
        case .rows(let t): return t
        case .summary(_, let t): return t
        default: return nil
        }
    }

    /// The report, if any.
    public var report: Report? {
        if case .report(let r) = body { return r }
        return nil
    }

    /// The output as one JSON value: an object for ids and records, an array for rows.
    public var json: String {
        func object(_ id: String?, _ fields: [(String, Cell)], _ table: ResultTable?) -> String {
            var parts: [String] = []
            if let id { parts.append("\"id\":\(JSONText.quote(id))") }
            parts += fields.map { "\(JSONText.quote($0.0)):\($0.1.json)" }
            if let table { parts.append("\"rows\":" + table.renderJSON().trimmingCharacters(in: .newlines)) }
            return "{" + parts.joined(separator: ",") + "}"
        }
        switch body {
        case .report(let report): return report.render(.json).trimmingCharacters(in: .newlines)
        case .rows(let table): return table.renderJSON().trimmingCharacters(in: .newlines)
        case .created(let id, let fields, _): return object(id, fields, nil)
        case .record(let fields): return object(nil, fields, nil)
        case .summary(let fields, let table): return object(nil, fields, table)
        }
    }

    /// The output as the CLI prints it.
    public func render(_ format: OutputFormat) -> String {
        if case .report(let report) = body { return report.render(format) }
        switch format {
        case .json:
            return json + "\n"
        case .html:
            return HTMLPage.output(self, title: "regctl", language: language)
        case .table, .csv, .xlsx:
            let format = format == .xlsx ? OutputFormat.csv : format
            switch body {
            case .rows(let table):
                return table.render(format)
            case .summary(_, let table):
                return table.render(format)
            case .created(let id, let fields, let shownOnce) where fields.isEmpty || format == .table:
                return id + "\n" + (format == .table ? shownOnce.map { $0 + "\n" } ?? "" : "")
            case .created(let id, let fields, _):
                return ResultTable(columns: ["id"] + fields.map(\.0), rows: [[.text(id)] + fields.map(\.1)]).renderCSV()
            case .record(let fields) where format == .csv:
                return ResultTable(columns: fields.map(\.0), rows: [fields.map(\.1)]).renderCSV()
            case .record(let fields):
                let words = Catalogue(language: language)
                return ResultTable(
                    columns: [words.word(.field), words.word(.value)], rows: fields.map { [.text($0.0), $0.1] }
                )
                .renderTable()
            case .report(let report):
                return report.render(format)
            }
        }
    }
}
