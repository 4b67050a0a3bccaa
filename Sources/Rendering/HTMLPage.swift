import Foundation

/// `--format html`: one self-contained page (inline CSS and SVG, no scripts, no external assets).
public enum HTMLPage {
    static let style = """
        body{font-family:"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em;color:#222}
        h1{font-size:1.4em}h2{font-size:1.1em;margin-top:1.6em}
        table{border-collapse:collapse;font-size:.9em}th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left}
        th{background:#f0f0f0}td.n{text-align:right;font-variant-numeric:tabular-nums}
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

    static func table(_ t: ResultTable) -> String {
        var out = "<table><thead><tr>" + t.columns.map { "<th>\(escape($0))</th>" }.joined() + "</tr></thead><tbody>\n"
        for row in t.rows {
            out +=
                "<tr>"
                + row.map { cell -> String in
                    switch cell {
                    case .int, .decimal: return "<td class=\"n\">\(escape(cell.plain))</td>"
                    default: break
                    }
                    return "<td>\(escape(cell.plain))</td>"
                }.joined() + "</tr>\n"
        }
        return out + "</tbody></table>\n"
    }

    public static func report(_ r: Report) -> String {
        var body =
            "<dl>" + r.summary.map { "<dt>\(escape($0.0))</dt><dd>\(escape($0.1.plain))</dd>" }.joined() + "</dl>\n"
        if let chart = r.chart { body += svg(chart, language: r.language) }
        for s in r.sections {
            let heading = s.heading.text(r.language), note = s.note?.text(r.language)
            body += "<h2>\(escape(heading))\(note.map { " <small>(\(escape($0)))</small>" } ?? "")</h2>\n"
            body += s.table.rows.isEmpty ? "<p>\(Catalogue(language: r.language).word(.none))</p>\n" : table(s.table)
        }
        return page(title: r.title.text(r.language), body: body, language: r.language)
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

    /// Horizontal bars: a row per label, series side by side (or stacked), a legend, and a dashed target line.
    public static func svg(_ c: BarChart, language: Language = .en) -> String {
        let title = c.title.text(language)
        let labelWidth = 150.0, plotWidth = 520.0, barHeight = 14.0
        let rowHeight = c.stacked ? barHeight + 8 : barHeight * Double(max(c.series.count, 1)) + 8
        let top = 40.0
        let height = top + rowHeight * Double(c.labels.count) + 30
        var maxValue = c.target?.value ?? 0
        for i in c.labels.indices {
            let values = c.series.map { $0.values[i] }
            maxValue = max(maxValue, c.stacked ? values.reduce(0, +) : values.max() ?? 0)
        }
        if maxValue <= 0 { maxValue = 1 }
        let scale = plotWidth / (maxValue * 1.05)
        func fmt(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(format: "%.1f", v) }
        var out =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(labelWidth + plotWidth + 80))\" height=\"\(Int(height))\" role=\"img\">\n"
        out +=
            "<title>\(escape(title))</title>\n<text x=\"0\" y=\"16\" font-weight=\"bold\">\(escape(title))</text>\n"
        var lx = labelWidth
        for (k, s) in c.series.enumerated() {
            out += "<rect x=\"\(Int(lx))\" y=\"24\" width=\"10\" height=\"10\" fill=\"\(palette[k % palette.count])\"/>"
            out += "<text x=\"\(Int(lx + 14))\" y=\"33\">\(escape(s.name))</text>\n"
            lx += 24 + Double(TerminalWidth.of(s.name)) * 7
        }
        for (i, label) in c.labels.enumerated() {
            let y = top + rowHeight * Double(i)
            out +=
                "<text x=\"\(Int(labelWidth - 6))\" y=\"\(Int(y + barHeight - 3))\" text-anchor=\"end\">\(escape(label))</text>\n"
            var x = labelWidth
            for (k, s) in c.series.enumerated() {
                let w = max(0, s.values[i] * scale)
                let by = c.stacked ? y : y + barHeight * Double(k)
                out +=
                    "<rect x=\"\(String(format: "%.1f", c.stacked ? x : labelWidth))\" y=\"\(Int(by))\" width=\"\(String(format: "%.1f", w))\" height=\"\(Int(barHeight - 2))\" fill=\"\(palette[k % palette.count])\"><title>\(escape(label)) \(escape(s.name)): \(fmt(s.values[i]))\(escape(c.unit))</title></rect>\n"
                if c.stacked {
                    x += w
                } else {
                    out +=
                        "<text x=\"\(String(format: "%.1f", labelWidth + w + 3))\" y=\"\(Int(by + barHeight - 4))\" fill=\"#555\">\(fmt(s.values[i]))\(escape(c.unit))</text>\n"
                }
            }
        }
        let axisY = top + rowHeight * Double(c.labels.count)
        out +=
            "<line x1=\"\(Int(labelWidth))\" y1=\"\(Int(top - 4))\" x2=\"\(Int(labelWidth))\" y2=\"\(Int(axisY))\" stroke=\"#999\"/>\n"
        if let t = c.target {
            let x = labelWidth + t.value * scale
            out +=
                "<line x1=\"\(String(format: "%.1f", x))\" y1=\"\(Int(top - 4))\" x2=\"\(String(format: "%.1f", x))\" y2=\"\(Int(axisY))\" stroke=\"#d62728\" stroke-dasharray=\"5,3\"/>\n"
            out +=
                "<text x=\"\(String(format: "%.1f", x + 3))\" y=\"\(Int(axisY + 16))\" fill=\"#d62728\">\(escape(t.label))</text>\n"
        }
        return out + "</svg>\n"
    }
}
