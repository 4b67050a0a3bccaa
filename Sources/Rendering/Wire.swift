import Foundation

/// A command's whole output as JSON for the CLI talking to a server (`--server`): the server sends what the
/// command returned, untranslated, and the CLI prints it with the same code as when it runs the command
/// itself, so that both print exactly the same (formats, languages, encodings, files). Not the API's JSON
/// (`CommandOutput.json`), which is the result as data; this keeps every word in both languages.
extension CommandOutput: Codable {
    enum Key: String, CodingKey { case kind, id, fields, shownOnce = "shown_once", table, report, notes }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        let notes = try c.decode([Phrase].self, forKey: .notes)
        switch try c.decode(String.self, forKey: .kind) {
        case "created":
            self.init(
                .created(
                    id: try c.decode(String.self, forKey: .id),
                    fields: try c.decode(Fields.self, forKey: .fields).pairs,
                    shownOnce: try c.decodeIfPresent(String.self, forKey: .shownOnce)), notes: notes)
        case "record": self.init(.record(try c.decode(Fields.self, forKey: .fields).pairs), notes: notes)
        case "rows": self.init(.rows(try c.decode(ResultTable.self, forKey: .table)), notes: notes)
        case "summary":
            self.init(
                .summary(
                    try c.decode(Fields.self, forKey: .fields).pairs, try c.decode(ResultTable.self, forKey: .table)),
                notes: notes)
        case "report": self.init(.report(try c.decode(Report.self, forKey: .report)), notes: notes)
        case let other:
            throw DecodingError.dataCorruptedError(
                forKey: .kind, in: c, debugDescription: "unknown output kind \(other)")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(notes, forKey: .notes)
        switch body {
        case .created(let id, let fields, let shownOnce):
            try c.encode("created", forKey: .kind)
            try c.encode(id, forKey: .id)
            try c.encode(Fields(fields), forKey: .fields)
            try c.encodeIfPresent(shownOnce, forKey: .shownOnce)
        case .record(let fields):
            try c.encode("record", forKey: .kind)
            try c.encode(Fields(fields), forKey: .fields)
        case .rows(let table):
            try c.encode("rows", forKey: .kind)
            try c.encode(table, forKey: .table)
        case .summary(let fields, let table):
            try c.encode("summary", forKey: .kind)
            try c.encode(Fields(fields), forKey: .fields)
            try c.encode(table, forKey: .table)
        case .report(let report):
            try c.encode("report", forKey: .kind)
            try c.encode(report, forKey: .report)
        }
    }

    /// The wire form, compact.
    public func wireJSON() throws -> Data {
        try JSONEncoder().encode(self)
    }

    /// Reads the wire form.
    public static func fromWire(_ data: Data) throws -> CommandOutput {
        try JSONDecoder().decode(CommandOutput.self, from: data)
    }
}

/// Named values in order (a JSON array of `[name, cell]`).
struct Fields: Codable {
    var pairs: [(String, Cell)]
    init(_ pairs: [(String, Cell)]) { self.pairs = pairs }

    init(from decoder: Decoder) throws {
        var c = try decoder.unkeyedContainer()
        var pairs: [(String, Cell)] = []
        while !c.isAtEnd {
            var pair = try c.nestedUnkeyedContainer()
            pairs.append((try pair.decode(String.self), try pair.decode(Cell.self)))
        }
        self.pairs = pairs
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.unkeyedContainer()
        for (name, cell) in pairs {
            var pair = c.nestedUnkeyedContainer()
            try pair.encode(name)
            try pair.encode(cell)
        }
    }
}

extension Cell: Codable {
    enum Key: String, CodingKey { case t, v }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        switch try c.decode(String.self, forKey: .t) {
        case "text": self = .text(try c.decode(String.self, forKey: .v))
        case "int": self = .int(try c.decode(Int.self, forKey: .v))
        case "decimal": self = .decimal(try c.decode(Double.self, forKey: .v))
        case "bool": self = .bool(try c.decode(Bool.self, forKey: .v))
        case "list": self = .list(try c.decode([String].self, forKey: .v))
        case "json": self = .json(try c.decode(String.self, forKey: .v))
        case "null": self = .null
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .t, in: c, debugDescription: "unknown cell kind \(other)")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        switch self {
        case .text(let s):
            try c.encode("text", forKey: .t)
            try c.encode(s, forKey: .v)
        case .int(let i):
            try c.encode("int", forKey: .t)
            try c.encode(i, forKey: .v)
        case .decimal(let d):
            try c.encode("decimal", forKey: .t)
            try c.encode(d, forKey: .v)
        case .bool(let b):
            try c.encode("bool", forKey: .t)
            try c.encode(b, forKey: .v)
        case .list(let l):
            try c.encode("list", forKey: .t)
            try c.encode(l, forKey: .v)
        case .json(let j):
            try c.encode("json", forKey: .t)
            try c.encode(j, forKey: .v)
        case .null: try c.encode("null", forKey: .t)
        }
    }
}

extension Phrase: Codable {
    enum Key: String, CodingKey { case en, zh }
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        self.init(en: try c.decode(String.self, forKey: .en), zh: try c.decode(String.self, forKey: .zh))
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(en, forKey: .en)
        try c.encode(zh, forKey: .zh)
    }
}

extension ResultTable: Codable {
    enum Key: String, CodingKey { case columns, rows, textColumns = "text_columns", subject }
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        self.init(
            columns: try c.decode([String].self, forKey: .columns), rows: try c.decode([[Cell]].self, forKey: .rows),
            subject: try c.decodeIfPresent(String.self, forKey: .subject))
        textColumns = try c.decode(Set<Int>.self, forKey: .textColumns)
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(columns, forKey: .columns)
        try c.encode(rows, forKey: .rows)
        try c.encode(textColumns.sorted(), forKey: .textColumns)
        try c.encodeIfPresent(subject, forKey: .subject)
    }
}

extension ReportSection: Codable {
    enum Key: String, CodingKey { case name, heading, table, note }
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        self.init(
            try c.decode(String.self, forKey: .name), try c.decode(Phrase.self, forKey: .heading),
            try c.decode(ResultTable.self, forKey: .table), note: try c.decodeIfPresent(Phrase.self, forKey: .note))
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(name, forKey: .name)
        try c.encode(heading, forKey: .heading)
        try c.encode(table, forKey: .table)
        try c.encodeIfPresent(note, forKey: .note)
    }
}

extension BarChart: Codable {
    enum Key: String, CodingKey { case title, labels, series, stacked, target, unit }
    struct Series: Codable {
        let name: Phrase
        let values: [Double]
    }
    struct Target: Codable {
        let value: Double
        let label: Phrase
    }
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        let target = try c.decodeIfPresent(Target.self, forKey: .target)
        self.init(
            title: try c.decode(Phrase.self, forKey: .title), labels: try c.decode([String].self, forKey: .labels),
            series: try c.decode([Series].self, forKey: .series).map { ($0.name, $0.values) },
            stacked: try c.decode(Bool.self, forKey: .stacked), target: target.map { ($0.value, $0.label) },
            unit: try c.decode(String.self, forKey: .unit))
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(title, forKey: .title)
        try c.encode(labels, forKey: .labels)
        try c.encode(series.map { Series(name: $0.name, values: $0.values) }, forKey: .series)
        try c.encode(stacked, forKey: .stacked)
        try c.encodeIfPresent(target.map { Target(value: $0.value, label: $0.label) }, forKey: .target)
        try c.encode(unit, forKey: .unit)
    }
}

extension Report: Codable {
    enum Key: String, CodingKey { case title, summary, sections, chart, chosenSection = "chosen_section" }
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        self.init(
            title: try c.decode(Phrase.self, forKey: .title),
            summary: try c.decode(Fields.self, forKey: .summary).pairs,
            sections: try c.decode([ReportSection].self, forKey: .sections),
            chart: try c.decodeIfPresent(BarChart.self, forKey: .chart))
        chosenSection = try c.decodeIfPresent(String.self, forKey: .chosenSection)
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(title, forKey: .title)
        try c.encode(Fields(summary), forKey: .summary)
        try c.encode(sections, forKey: .sections)
        try c.encodeIfPresent(chart, forKey: .chart)
        try c.encodeIfPresent(chosenSection, forKey: .chosenSection)
    }
}
