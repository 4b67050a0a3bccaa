import Foundation

/// A report's result: a title, the values it was computed for (region, dates), one or
/// more named tables, and a chart for the HTML page.
public struct Report: Sendable {
    public var title: Phrase
    /// What the figures are for: region, period, as-of date, totals.
    public var summary: [(String, Cell)]
    public var sections: [ReportSection]
    public var chart: BarChart?
    /// The language its words are in (`Catalogue.localize` sets it): titles, headings, notes.
    public var language: Language = .en
    /// The section asked for with `--section`, if one was: CSV then gives it alone.
    public var chosenSection: String?

    /// The headline figures (region, dates, totals) as a table of their own, `figures`: a CSV or a
    /// spreadsheet carries them like any section.
    public var figuresSection: ReportSection {
        ReportSection(
            "figures", Phrase(en: "Figures", zh: "主要指标"),
            ResultTable(
                columns: [
                    Catalogue(language: language).header("figure"), Catalogue(language: language).header("value")
                ],
                rows: summary.map { [.text($0.0), $0.1] }))
    }

    /// What a CSV of the report holds: the chosen section, else the figures and every section.
    public var csvSections: [ReportSection] {
        switch chosenSection {
        case "figures": [figuresSection]
        case nil: [figuresSection] + sections
        default: sections
        }
    }

    public init(title: Phrase, summary: [(String, Cell)], sections: [ReportSection], chart: BarChart? = nil) {
        self.title = title
        self.summary = summary
        self.sections = sections
        self.chart = chart
    }

    public func render(_ format: OutputFormat) -> String {
        switch format {
        case .json:
            // Compact, on one line: exec answers are one line each.
            var parts = ["\"report\":\(JSONText.quote(title.en))"]
            // A summary figure named like a section (expiring's "contracts") is its count: one key each.
            let sectionNames = Set(sections.map(\.name))
            parts += summary.map {
                "\(JSONText.quote(sectionNames.contains($0.0) ? $0.0 + "_count" : $0.0)):\($0.1.json)"
            }
            parts += sections.map {
                "\(JSONText.quote($0.name)):" + $0.table.renderJSON().trimmingCharacters(in: .newlines)
            }
            return "{" + parts.joined(separator: ",") + "}\n"
        case .csv, .xlsx:
            // One section (`--section NAME`): RFC 4180 with one header row. Otherwise every section, the
            // figures first, each under a line with its heading and after a blank line (Excel opens it as one
            // sheet; `--output DIR` writes a file per section instead).
            if chosenSection != nil { return csvSections.first?.table.renderCSV() ?? "" }
            return csvSections.map { CSVText.line([$0.heading.text(language)]) + $0.table.renderCSV() }
                .joined(separator: "\r\n")
        case .table:
            let words = Catalogue(language: language)
            var out = title.text(language) + "\n"
            for (k, v) in summary { out += "  \(k): \(TerminalWidth.visible(v.plain))\n" }
            for s in sections {
                out += "\n" + s.heading.text(language) + (s.note.map { " (\($0.text(language)))" } ?? "") + "\n"
                out += s.table.rows.isEmpty ? words.word(.none) + "\n" : s.table.renderTable()
            }
            return out
        case .html:
            return HTMLPage.report(self)
        }
    }
}

/// One table of a report, with the name JSON and CSV use and a heading for people.
public struct ReportSection: Sendable {
    public var name: String
    public var heading: Phrase
    public var table: ResultTable
    /// Said next to the heading, such as "first 200 of 1,234".
    public var note: Phrase?

    public init(_ name: String, _ heading: Phrase, _ table: ResultTable, note: Phrase? = nil) {
        self.name = name
        self.heading = heading
        self.table = table
        self.note = note
    }
}

/// Horizontal bars, one group per label, optionally with a target line (such as 25%).
public struct BarChart: Sendable {
    public var title: Phrase
    public var labels: [String]
    public var series: [(name: Phrase, values: [Double])]
    /// Bars of a group stacked end to end rather than side by side.
    public var stacked: Bool
    public var target: (value: Double, label: Phrase)?
    /// Appended to values on the axis: "%", " days".
    public var unit: String

    public init(
        title: Phrase, labels: [String], series: [(name: Phrase, values: [Double])], stacked: Bool = false,
        target: (value: Double, label: Phrase)? = nil, unit: String = ""
    ) {
        self.title = title
        self.labels = labels
        self.series = series
        self.stacked = stacked
        self.target = target
        self.unit = unit
    }
}
