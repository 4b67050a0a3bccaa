import Foundation

/// How results are printed: `--format table|json|csv`.
enum OutputFormat: String, CaseIterable, Sendable {
    case table, json, csv
}

/// One printed value, typed so JSON keeps numbers and booleans as such.
enum Cell: Sendable, Equatable {
    case text(String)
    case int(Int)
    case bool(Bool)
    case null

    var plain: String {
        switch self {
        case .text(let s): return s
        case .int(let i): return String(i)
        case .bool(let b): return b ? "true" : "false"
        case .null: return ""
        }
    }

    var json: String {
        switch self {
        case .text(let s): return JSONText.quote(s)
        case .int(let i): return String(i)
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        }
    }

    init(_ s: String?) { self = s.map(Cell.text) ?? .null }
}

/// Rows under named columns, printed in any of the three formats.
struct ResultTable: Sendable {
    var columns: [String]
    var rows: [[Cell]]

    func render(_ format: OutputFormat) -> String {
        switch format {
        case .table: return renderTable()
        case .csv: return renderCSV()
        case .json: return renderJSON()
        }
    }

    /// Columns padded to the widest value, a CJK character counting two columns.
    func renderTable() -> String {
        var widths = columns.map(TerminalWidth.of)
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count {
                widths[i] = max(widths[i], TerminalWidth.of(cell.plain))
            }
        }
        func line(_ values: [String]) -> String {
            var out = ""
            for (i, v) in values.enumerated() {
                if i == values.count - 1 { out += v; break }
                out += v + String(repeating: " ", count: widths[i] - TerminalWidth.of(v) + 2)
            }
            return out
        }
        var lines = [line(columns), line(widths.map { String(repeating: "-", count: $0) })]
        lines += rows.map { line($0.map(\.plain)) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// RFC 4180: a header row, CRLF line ends, fields quoted when they hold `,` `"` or a line break.
    func renderCSV() -> String {
        var out = CSVText.line(columns)
        for row in rows { out += CSVText.line(row.map(\.plain)) }
        return out
    }

    /// One JSON document: an array of objects with the columns as keys, in order.
    func renderJSON() -> String {
        let objects = rows.map { row in
            "{" + zip(columns, row).map { "\(JSONText.quote($0)): \($1.json)" }.joined(separator: ", ") + "}"
        }
        return "[" + objects.joined(separator: ",\n ") + "]\n"
    }
}

enum CSVText {
    static func field(_ s: String) -> String {
        if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return s
    }

    static func line(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }
}

enum JSONText {
    static func quote(_ s: String) -> String {
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
enum TerminalWidth {
    static func of(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) { $0 + width($1) }
    }

    static func width(_ c: Unicode.Scalar) -> Int {
        let v = c.value
        if v == 0 || (0x300...0x36F).contains(v) || (0x200B...0x200F).contains(v) { return 0 }
        if (0x1100...0x115F).contains(v) || (0x2E80...0x303E).contains(v) || (0x3041...0x33FF).contains(v)
            || (0x3400...0x4DBF).contains(v) || (0x4E00...0x9FFF).contains(v) || (0xA000...0xA4CF).contains(v)
            || (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v)
            || (0xFF00...0xFF60).contains(v) || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1F64F).contains(v)
            || (0x20000...0x3FFFD).contains(v) {
            return 2
        }
        return 1
    }
}
