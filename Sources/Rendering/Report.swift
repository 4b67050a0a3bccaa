import Foundation

/// A report's result: a title, the values it was computed for (region, dates), one or
/// more named tables, and a chart for the HTML page.
public struct Report: Sendable {
    public var title: String
    /// What the figures are for: region, period, as-of date, totals.
    public var summary: [(String, Cell)]
    public var sections: [ReportSection]
    public var chart: BarChart?

    public init(title: String, summary: [(String, Cell)], sections: [ReportSection], chart: BarChart? = nil) {
        self.title = title
        self.summary = summary
        self.sections = sections
        self.chart = chart
    }

    public func render(_ format: OutputFormat) -> String {
        switch format {
        case .json:
            // Compact, on one line: exec answers are one line each.
            var parts = ["\"report\":\(JSONText.quote(title))"]
            // A summary figure named like a section (expiring's "contracts") is its count: one key each.
            let sectionNames = Set(sections.map(\.name))
            parts += summary.map {
                "\(JSONText.quote(sectionNames.contains($0.0) ? $0.0 + "_count" : $0.0)):\($0.1.json)"
            }
            parts += sections.map {
                "\(JSONText.quote($0.name)):" + $0.table.renderJSON().trimmingCharacters(in: .newlines)
            }
            return "{" + parts.joined(separator: ",") + "}\n"
        case .csv:
            // RFC 4180 with one header row (CLI.md): the first section; `--section NAME` picks another.
            return sections.first?.table.renderCSV() ?? ""
        case .table:
            var out = title + "\n"
            for (k, v) in summary { out += "  \(k): \(TerminalWidth.visible(v.plain))\n" }
            for s in sections {
                out += "\n" + s.heading + (s.note.map { " (\($0))" } ?? "") + "\n"
                out += s.table.rows.isEmpty ? "(none)\n" : s.table.renderTable()
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
    public var heading: String
    public var table: ResultTable
    /// Said next to the heading, such as "first 200 of 1,234".
    public var note: String?

    public init(_ name: String, _ heading: String, _ table: ResultTable, note: String? = nil) {
        self.name = name
        self.heading = heading
        self.table = table
        self.note = note
    }
}

/// Horizontal bars, one group per label, optionally with a target line (such as 25%).
public struct BarChart: Sendable {
    public var title: String
    public var labels: [String]
    public var series: [(name: String, values: [Double])]
    /// Bars of a group stacked end to end rather than side by side.
    public var stacked: Bool
    public var target: (value: Double, label: String)?
    /// Appended to values on the axis: "%", " days".
    public var unit: String

    public init(
        title: String, labels: [String], series: [(name: String, values: [Double])], stacked: Bool = false,
        target: (value: Double, label: String)? = nil, unit: String = ""
    ) {
        self.title = title
        self.labels = labels
        self.series = series
        self.stacked = stacked
        self.target = target
        self.unit = unit
    }
}
