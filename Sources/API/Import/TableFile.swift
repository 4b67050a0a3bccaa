import Foundation
import Registration
import RegistryStore
import Spreadsheet

/// A file of rows as an office sends it: CSV (UTF-8 or GBK) or an Excel workbook (`.xlsx`, its first sheet
/// or the one named). Which it is, the file's first bytes say, not its name: a workbook renamed `.csv`
/// reads as a workbook. An Excel 97–2003 `.xls` is refused with what to do.
public final class TableFile {
    private enum Source {
        case csv(CSVReader)
        case xlsx(XLSXReader)
    }
    private let source: Source
    /// The text encoding read (a workbook is UTF-8 inside).
    public let encoding: ImportEncoding
    /// The sheet read, for a workbook.
    public let sheet: String?
    /// How much of the file has been read (0 to 1); nil when that cannot be told (a pipe).
    public var fraction: Double? {
        switch source {
        case .csv(let reader): reader.size.map { $0 > 0 ? min(1, Double(reader.bytesRead) / Double($0)) : 1 }
        case .xlsx(let reader): reader.fraction
        }
    }

    /// Opens `path` (`-` is standard input, which takes CSV only); errors are regctl's own.
    public init(path: String, encoding: ImportEncoding, sheet: String?) throws {
        let head = path == "-" ? [] : FileSignature.head(of: path)
        if FileSignature.isLegacyExcel(head) {
            throw RegctlError(
                "import.file",
                "\(Quoted.value(path)) is an Excel 97–2003 workbook (.xls), which regctl does not read; save it from Excel as .xlsx or CSV",
                status: .usage,
                chinese: "\(Quoted.value(path)) 是 Excel 97–2003 工作簿（.xls），无法读取；请在 Excel 中另存为 .xlsx 或 CSV")
        }
        if FileSignature.isZIP(head) {
            do {
                let reader = try XLSXReader(path: path, sheet: sheet, maxColumns: CSVReader.maxFields)
                source = .xlsx(reader)
                self.sheet = reader.sheetName
            } catch let e as SpreadsheetError {
                throw RegctlError(e.code, e.message, status: .usage, chinese: e.chinese)
            }
            self.encoding = .utf8
            return
        }
        if let sheet {
            throw RegctlError(
                "import.sheet",
                "--sheet \(Quoted.value(sheet)) names a sheet, but \(Quoted.value(path)) is CSV, which has none",
                status: .usage, field: "sheet",
                chinese: "--sheet 指定了工作表“\(sheet)”，但 \(Quoted.value(path)) 是 CSV 文件，没有工作表")
        }
        do {
            let reader = try CSVReader(path: path, encoding: encoding)
            source = .csv(reader)
            self.encoding = reader.encoding
            self.sheet = nil
        } catch let e as CSVError {
            throw RegctlError(e.code, e.message, status: e.code == "import.file" ? .usage : .refused)
        }
    }

    /// The next record (a workbook's row number is its line), or nil after the last. A damaged workbook
    /// throws `CSVError` as a damaged CSV does, with its Chinese beside it.
    public func next() throws -> CSVRecord? {
        switch source {
        case .csv(let reader): return try reader.next()
        case .xlsx(let reader):
            do {
                return try reader.next().map { CSVRecord(line: $0.number, fields: $0.fields) }
            } catch let e as SpreadsheetError {
                throw CSVError(code: e.code, line: 0, message: e.message, chinese: e.chinese)
            }
        }
    }
}
