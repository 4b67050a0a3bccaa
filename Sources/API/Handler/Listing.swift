/// Lists are pages: the first `--limit` rows (default 100, at most 10,000), and a note when there are more.
enum Listing {
    static func limit(_ a: Arguments, default value: Int = 100) throws -> Int {
        let n = try a.optionalInt("limit") ?? value
        guard (1...10_000).contains(n) else {
            throw Arguments.usage("input.number", "limit", "\(n) is not between 1 and 10000")
        }
        return n
    }

    /// `rows` holds up to `limit + 1` rows: the extra one says there are more.
    static func page(_ table: ResultTable, limit: Int) -> CommandOutput {
        guard table.rows.count > limit else { return CommandOutput(table: table) }
        return CommandOutput(
            table: ResultTable(columns: table.columns, rows: Array(table.rows.prefix(limit))),
            notes: [
                Phrase(
                    en: "the first \(limit) rows; there are more: narrow the list (--name, --region) or raise --limit",
                    zh: "只显示前 \(limit) 行，还有更多：请缩小范围（--name、--region）或加大 --limit")
            ])
    }
}
