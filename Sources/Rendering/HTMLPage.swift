import Foundation

/// `--format html`: one self-contained page (inline CSS and SVG, no scripts, no external assets).
public enum HTMLPage {
    public static let style = """
        body{font-family:"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em;color:#222}
        h1{font-size:1.4em}h2{font-size:1.1em;margin-top:1.6em}
        table{border-collapse:collapse;font-size:.9em}th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left}
        th{background:#f0f0f0;white-space:nowrap}td.n{text-align:right;font-variant-numeric:tabular-nums}
        td{white-space:nowrap}td.t{white-space:normal;min-width:12em}
        dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}dt{color:#666}dd{margin:0}
        svg text{font-size:12px}
        """

    public static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }

    static func page(title: String, body: String, language: Language = .zh) -> String {
        """
        <!DOCTYPE html>
        <html lang="\(language == .zh ? "zh-CN" : "en")"><head><meta charset="utf-8"><title>\(escape(title))</title><style>\(style)</style></head>
        <body>
        <h1>\(escape(title))</h1>
        \(body)
        </body></html>

        """
    }

    /// Whether a cell holds a record id (a UUID): pages are for people, who name records otherwise.
    static func isRecordID(_ cell: Cell) -> Bool {
        if case .text(let s) = cell { return s.utf8.count == 36 && UUID(uuidString: s) != nil }
        return false
    }

    /// A table without its id columns (every value a UUID), numbers right-aligned, dates kept on one line.
    public static func table(_ t: ResultTable) -> String {
        let shown = t.columns.indices.filter { i in
            !(t.rows.contains { i < $0.count && isRecordID($0[i]) }
                && t.rows.allSatisfy { i >= $0.count || isRecordID($0[i]) || $0[i] == .null })
        }
        var out =
            "<table><thead><tr>" + shown.map { "<th>\(escape(t.columns[$0]))</th>" }.joined()
            + "</tr></thead><tbody>\n"
        for row in t.rows {
            out +=
                "<tr>"
                + shown.map { i -> String in
                    let cell = i < row.count ? row[i] : .null
                    switch cell {
                    case .int, .decimal: return "<td class=\"n\">\(escape(cell.plain))</td>"
                    case .text(let s) where s.count > 24: return "<td class=\"t\">\(escape(s))</td>"
                    case .text(let s) where s.utf8.count == 10 && CalendarText.isDate(s):
                        return "<td class=\"d\">\(escape(s))</td>"
                    default: return "<td>\(escape(cell.plain))</td>"
                    }
                }.joined() + "</tr>\n"
        }
        return out + "</tbody></table>\n"
    }

    public static func report(_ r: Report) -> String {
        page(title: r.title.text(r.language), body: reportBody(r), language: r.language)
    }

    /// A report's figures, chart and sections, without the page around them (the server's pages put their
    /// own around it).
    public static func reportBody(_ r: Report) -> String {
        var body =
            "<dl>"
            + r.summary.filter { !isRecordID($0.1) }.map { "<dt>\(escape($0.0))</dt><dd>\(escape($0.1.plain))</dd>" }
            .joined() + "</dl>\n"
        if let chart = r.chart { body += svg(chart, language: r.language) }
        for s in r.sections {
            let heading = s.heading.text(r.language), note = s.note?.text(r.language)
            body += "<h2>\(escape(heading))\(note.map { " <small>(\(escape($0)))</small>" } ?? "")</h2>\n"
            body += s.table.rows.isEmpty ? "<p>\(Catalogue(language: r.language).word(.none))</p>\n" : table(s.table)
        }
        return body
    }

    /// Any other command's output as a page: its fields, then its rows.
    public static func output(_ o: CommandOutput, title: String, language: Language = .en) -> String {
        var body = ""
        if let id = o.id { body += "<p>\(escape(id))</p>\n" }
        if !o.fields.isEmpty {
            body +=
                "<dl>" + o.fields.map { "<dt>\(escape($0.0))</dt><dd>\(escape($0.1.plain))</dd>" }.joined() + "</dl>\n"
        }
        if let t = o.table { body += table(t) }
        return page(title: title, body: body, language: language)
    }

    static let palette = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#b07aa1"]

    /// A round step for an axis up to `maximum`: 1, 2 or 5 times a power of ten, four to eight ticks.
    public static func tickStep(_ maximum: Double) -> Double {
        guard maximum > 0 else { return 1 }
        let raw = maximum / 5
        let power = pow(10, floor(log10(raw)))
        for m in [1.0, 2.0, 5.0, 10.0] where raw <= m * power { return m * power }
        return 10 * power
    }

    /// Horizontal bars: a row per label, series side by side (or stacked, with each group's total at its
    /// end), every bar's value, a value axis with its ticks and grid, a legend, and a dashed target line.
    public static func svg(_ c: BarChart, language: Language = .en) -> String {
        let title = c.title.text(language)
        let labelWidth = 150.0, plotWidth = 520.0, barHeight = 14.0
        let rowHeight = c.stacked ? barHeight + 8 : barHeight * Double(max(c.series.count, 1)) + 8
        let top = 40.0
        let axisY = top + rowHeight * Double(c.labels.count)
        let height = axisY + 44
        var maxValue = c.target?.value ?? 0
        for i in c.labels.indices {
            let values = c.series.map { $0.values[i] }
            maxValue = max(maxValue, c.stacked ? values.reduce(0, +) : values.max() ?? 0)
        }
        let step = tickStep(maxValue)
        let axisMax = max(step, (maxValue / step).rounded(.up) * step)
        let scale = plotWidth / axisMax
        func fmt(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(format: "%.1f", v) }
        func num(_ v: Double) -> String { String(format: "%.1f", v) }
        var out =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(labelWidth + plotWidth + 90))\" height=\"\(Int(height))\" role=\"img\">\n"
        out +=
            "<title>\(escape(title))</title>\n<text x=\"0\" y=\"16\" font-weight=\"bold\">\(escape(title))</text>\n"
        var lx = labelWidth
        for (k, s) in c.series.enumerated() {
            let name = s.name.text(language)
            out += "<rect x=\"\(Int(lx))\" y=\"24\" width=\"10\" height=\"10\" fill=\"\(palette[k % palette.count])\"/>"
            out += "<text x=\"\(Int(lx + 14))\" y=\"33\">\(escape(name))</text>\n"
            lx += 24 + Double(TerminalWidth.of(name)) * 7
        }
        // The value axis: grid lines and their values under the plot.
        var tick = 0.0
        while tick <= axisMax + step / 2 {
            let x = labelWidth + tick * scale
            out +=
                "<line x1=\"\(num(x))\" y1=\"\(Int(top - 4))\" x2=\"\(num(x))\" y2=\"\(Int(axisY))\" stroke=\"#e6e6e6\"/>"
            out +=
                "<text x=\"\(num(x))\" y=\"\(Int(axisY + 14))\" text-anchor=\"middle\" fill=\"#555\">\(fmt(tick))\(escape(c.unit))</text>\n"
            tick += step
        }
        out +=
            "<line x1=\"\(Int(labelWidth))\" y1=\"\(Int(axisY))\" x2=\"\(num(labelWidth + plotWidth))\" y2=\"\(Int(axisY))\" stroke=\"#999\"/>\n"
        for (i, label) in c.labels.enumerated() {
            let y = top + rowHeight * Double(i)
            out +=
                "<text x=\"\(Int(labelWidth - 6))\" y=\"\(Int(y + barHeight - 3))\" text-anchor=\"end\">\(escape(label))</text>\n"
            var x = labelWidth
            for (k, s) in c.series.enumerated() {
                let value = s.values[i]
                let w = max(0, value * scale)
                let by = c.stacked ? y : y + barHeight * Double(k)
                let name = s.name.text(language)
                out +=
                    "<rect x=\"\(num(c.stacked ? x : labelWidth))\" y=\"\(Int(by))\" width=\"\(num(w))\" height=\"\(Int(barHeight - 2))\" fill=\"\(palette[k % palette.count])\"><title>\(escape(label)) \(escape(name)): \(fmt(value))\(escape(c.unit))</title></rect>\n"
                if c.stacked {
                    // A segment's value inside it, when it fits.
                    let text = fmt(value)
                    if value > 0, w >= Double(text.count) * 7 + 4 {
                        out +=
                            "<text x=\"\(num(x + w / 2))\" y=\"\(Int(by + barHeight - 4))\" text-anchor=\"middle\" fill=\"#fff\">\(text)</text>\n"
                    }
                    x += w
                } else {
                    out +=
                        "<text x=\"\(num(labelWidth + w + 3))\" y=\"\(Int(by + barHeight - 4))\" fill=\"#555\">\(fmt(value))\(escape(c.unit))</text>\n"
                }
            }
            if c.stacked {
                let total = c.series.reduce(0) { $0 + $1.values[i] }
                out +=
                    "<text x=\"\(num(x + 3))\" y=\"\(Int(y + barHeight - 4))\" fill=\"#555\">\(fmt(total))\(escape(c.unit))</text>\n"
            }
        }
        out +=
            "<line x1=\"\(Int(labelWidth))\" y1=\"\(Int(top - 4))\" x2=\"\(Int(labelWidth))\" y2=\"\(Int(axisY))\" stroke=\"#999\"/>\n"
        if let t = c.target {
            let x = labelWidth + t.value * scale
            out +=
                "<line x1=\"\(num(x))\" y1=\"\(Int(top - 4))\" x2=\"\(num(x))\" y2=\"\(Int(axisY))\" stroke=\"#d62728\" stroke-dasharray=\"5,3\"/>\n"
            out +=
                "<text x=\"\(num(x + 3))\" y=\"\(Int(axisY + 30))\" fill=\"#d62728\">\(escape(t.label.text(language)))</text>\n"
        }
        return out + "</svg>\n"
    }
}

/// `2026-03-02`: a date as the reports print them.
enum CalendarText {
    static func isDate(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard u.count == 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-") else { return false }
        return u.enumerated().allSatisfy { i, b in i == 4 || i == 7 || (b >= 48 && b <= 57) }
    }
}
