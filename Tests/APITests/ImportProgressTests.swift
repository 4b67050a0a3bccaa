import API
import Testing

@Suite struct ImportProgressTests {
    @Test func percentageAndTimeLeftInBothLanguages() {
        #expect(
            ImportProgress.line(rows: 10_000, fraction: 0.25, elapsed: 10, language: .zh)
                == "已读 10000 行（25%），每秒 1000 行，约剩 30 秒")
        #expect(
            ImportProgress.line(rows: 50_000, fraction: 0.1, elapsed: 20, language: .en)
                == "50000 rows (10%), 2500 rows/s, about 3 min 0 s left")
        #expect(
            ImportProgress.line(rows: 10_000, fraction: nil, elapsed: 10, language: .en) == "10000 rows, 1000 rows/s")
    }
}
