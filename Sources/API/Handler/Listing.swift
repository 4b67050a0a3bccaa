import Rendering
import RegistryStore
/// Lists are pages: the first `--limit` rows (default 100, at most 10,000), and a note when there are more.
enum Listing {
    static func limit(_ a: Arguments, default value: Int = 100) throws -> Int {
        let n = try a.optionalInt("limit") ?? value
        guard (1...10_000).contains(n) else {
            throw Arguments.usage("input.number", "limit", "\(n) is not between 1 and 10000")
        }
        return n
    }

    /// The page a list's options ask for: `--name` (the beginning of a name), `--after ID` (a full id or its
    /// first 8 characters, of a row of the list in `table`), `--limit`; one more row than the limit is read,
    /// to tell that there are more.
    static func page(_ a: Arguments, _ c: CommandContext, table: RecordTable, of what: String) throws -> ListPage {
        let after = try a.optionalString("after").map {
            try c.store.recordID($0, in: table, of: what, field: "after", printedBy: "the list itself")
        }
        let name = try a.optionalString("name")?.trimmedASCIIWhitespace
        return ListPage(name: name?.isEmpty == true ? nil : name, after: after, limit: try limit(a) + 1)
    }

    /// `rows` holds up to `limit + 1` rows: the extra one says there are more, and the note says how to see
    /// them (`--after` the last id shown, when the first column is the id).
    static func page(_ table: ResultTable, limit: Int) -> CommandOutput {
        guard table.rows.count > limit else { return CommandOutput(table: table) }
        let shown = Array(table.rows.prefix(limit))
        var next = ""
        if table.columns.first == "id", case .text(let id)? = shown.last?.first { next = id }
        var kept = table
        kept.rows = shown
        return CommandOutput(
            table: kept,
            notes: [
                next.isEmpty
                    ? Phrase(
                        en:
                            "the first \(limit) rows; there are more: narrow the list (--name, --region) or raise --limit",
                        zh: "只显示前 \(limit) 行，还有更多：请缩小范围（--name、--region）或加大 --limit")
                    : Phrase(
                        en:
                            "the first \(limit) rows; there are more: the next page is --after \(next.prefix(13)), or narrow the list (--name, --region)",
                        zh: "只显示前 \(limit) 行，还有更多：下一页用 --after \(next.prefix(13))，或缩小范围（--name、--region）")
            ])
    }
}
