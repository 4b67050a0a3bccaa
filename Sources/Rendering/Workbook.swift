import Foundation
import Spreadsheet

extension CommandOutput {
    /// The output as an Excel workbook at `path` (`--format xlsx --output FILE`): a report gives a sheet per
    /// section, its figures first (the chosen `--section` alone); rows a sheet; a record a sheet of its fields.
    /// Texts are text cells (an ID number stays as it is, never a number in scientific notation), numbers
    /// are numbers, the header row is bold and frozen.
    public func writeWorkbook(to path: String) throws {
        let writer = try XLSXWriter(path: path)
        let words = Catalogue(language: language)
        func sheet(_ name: String, _ table: ResultTable) throws {
            try writer.startSheet(name, header: table.columns, textColumns: table.textColumns)
            for row in table.rows { try writer.write(row.map(\.sheetValue)) }
        }
        func fields(_ name: String, _ fields: [(String, Cell)]) throws {
            try sheet(
                name,
                ResultTable(columns: [words.word(.field), words.word(.value)], rows: fields.map { [.text($0.0), $0.1] })
            )
        }
        switch body {
        case .report(let report):
            for section in report.csvSections { try sheet(section.heading.text(language), section.table) }
        case .rows(let table):
            try sheet(language == .zh ? "结果" : "results", table)
        case .summary(let values, let table):
            try fields(language == .zh ? "汇总" : "summary", values)
            try sheet(language == .zh ? "明细" : "rows", table)
        case .record(let values):
            try fields(language == .zh ? "记录" : "record", values)
        case .created(let id, let values, _):
            try fields(language == .zh ? "记录" : "record", [("id", .text(id))] + values)
        }
        try writer.finish()
    }
}

extension Cell {
    /// A cell of a workbook: numbers stay numbers, everything else is text as the other formats print it.
    var sheetValue: SheetValue {
        switch self {
        case .int(let i): .integer(i)
        case .decimal(let d): d.isFinite ? .decimal(d) : .empty
        case .null: .empty
        default: .text(plain)
        }
    }
}
