import Rendering
import Testing

/// Pages are for people: no record ids, dates on one line, charts with an axis and their values.
@Suite struct HTMLPageTests {
    @Test func tablesLeaveOutIdsAndKeepDatesWhole() {
        let table = ResultTable(
            columns: ["id", "name", "since", "beds"],
            rows: [
                [.text("3fa8b2c1-9a1e-4c39-8d8e-0b1f7d1c2e3f"), .text("杭州和睦门诊部"), .text("2026-03-02"), .int(20)],
                [.null, .text("双浦镇卫生院"), .text("2026-03-03"), .int(40)]
            ])
        let page = HTMLPage.output(CommandOutput(table: table), title: "t", language: .zh)
        #expect(!page.contains("3fa8b2c1") && !page.contains("<th>id</th>"), "\(page)")
        #expect(page.contains("<th>name</th>") && page.contains("<td class=\"d\">2026-03-02</td>"))
        #expect(page.contains("<td class=\"n\">20</td>") && page.contains("td{white-space:nowrap}"))
    }

    @Test func chartsHaveAnAxisValuesAndTheirLanguage() {
        let chart = BarChart(
            title: Phrase(en: "Multi-site filings", zh: "多点执业备案"), labels: ["杭州市", "宁波市"],
            series: [
                (Phrase(en: "public → social", zh: "公立→社会办"), [120, 30]),
                (Phrase(en: "public → public", zh: "公立→公立"), [80, 10])
            ], stacked: true)
        let en = HTMLPage.svg(chart, language: .en)
        #expect(en.contains(">Multi-site filings</text>") && en.contains(">public → social</text>"))
        #expect(!en.contains("公立"), "English labels in English")
        for tick in [">0</text>", ">50</text>", ">100</text>", ">200</text>"] {
            #expect(en.contains(tick), "axis \(tick)")
        }
        #expect(en.contains(">200</text>") && en.contains(">40</text>"), "each group's total at its end")
        #expect(en.contains(">120</text>"), "a segment wide enough shows its value")
        let zh = HTMLPage.svg(chart, language: .zh)
        #expect(zh.contains(">多点执业备案</text>") && zh.contains(">公立→社会办</text>"))
        #expect(HTMLPage.tickStep(200) == 50 && HTMLPage.tickStep(7) == 2 && HTMLPage.tickStep(0.3) == 0.1)
    }
}
