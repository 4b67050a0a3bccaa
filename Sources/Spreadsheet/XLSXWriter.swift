import Foundation
import ZIPFoundation

/// A value of a cell written to a workbook.
public enum SheetValue: Sendable, Equatable {
    /// Text, always stored as text (an ID number stays `440106199001011234`, never `4.40106E+17`).
    case text(String)
    case integer(Int)
    /// A number shown with two decimals.
    case decimal(Double)
    case empty
}

/// Writes an `.xlsx` workbook, one sheet after another, row by row: each sheet's XML goes to a temporary
/// file as it is written and the archive (ZIPFoundation, deflated) is put together by `finish()`, so an
/// errors report of millions of rows never sits in memory. Text is written as inline strings, so it is
/// text in Excel whatever it looks like; the header row is bold and frozen; columns named in `textColumns`
/// are formatted as text (`@`), so that what a clerk types there later stays text too. A sheet that
/// reaches Excel's 1,048,576 rows goes on in a new sheet under the same header.
public final class XLSXWriter {
    public static let maxRows = 1_048_576
    private let path: String
    private let permissions: Int?
    private let directory: URL
    private var sheets: [(name: String, file: URL)] = []
    private var current: FileHandle?
    private var buffer: [UInt8] = []
    private var rows = 0
    private var header: [String] = []
    private var textColumns: Set<Int> = []
    private var widths: [Int] = []
    private var baseName = ""
    private var continuation = 1

    /// `permissions` (0o600 for an errors report) is set on the file as it is created.
    public init(path: String, permissions: Int? = nil) throws {
        self.path = path
        self.permissions = permissions
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("regctl-xlsx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: directory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
    }

    deinit {
        try? current?.close()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Starts a sheet with its header row. `name` is cut to Excel's 31 characters, without `[]:*?/\`,
    /// and made unique.
    public func startSheet(_ name: String, header: [String], textColumns: Set<Int> = []) throws {
        try endSheet()
        baseName = name
        continuation = 1
        self.header = header
        self.textColumns = textColumns
        widths = header.map { min(60, max(8, Self.displayWidth($0) + 2)) }
        try open(Self.sheetName(name, taken: Set(sheets.map(\.name))))
    }

    private func open(_ name: String) throws {
        let file = directory.appendingPathComponent("sheet\(sheets.count + 1).xml")
        guard FileManager.default.createFile(atPath: file.path, contents: nil),
            let handle = FileHandle(forWritingAtPath: file.path)
        else { throw CocoaError(.fileWriteUnknown) }
        sheets.append((name, file))
        current = handle
        rows = 0
        var head =
            #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
            + #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
            + #"<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>"#
        if !header.isEmpty {
            head += "<cols>"
            for (i, width) in widths.enumerated() {
                let style = textColumns.contains(i) ? #" style="2""# : ""
                head += #"<col min="\#(i + 1)" max="\#(i + 1)" width="\#(width)" customWidth="1"\#(style)/>"#
            }
            head += "</cols>"
        }
        head += "<sheetData>"
        buffer.append(contentsOf: head.utf8)
        if !header.isEmpty { try row(header.map(SheetValue.text), style: 1) }
    }

    /// Appends a row to the current sheet.
    public func write(_ values: [SheetValue]) throws {
        if rows >= Self.maxRows {
            try endSheet()
            continuation += 1
            try open(Self.sheetName("\(baseName) (\(continuation))", taken: Set(sheets.map(\.name))))
        }
        try row(values, style: nil)
    }

    private func row(_ values: [SheetValue], style: Int?) throws {
        rows += 1
        var out = #"<row r="\#(rows)">"#
        for (i, value) in values.enumerated() {
            let reference = Self.reference(column: i, row: rows)
            let textStyle = style ?? (textColumns.contains(i) ? 2 : nil)
            switch value {
            case .empty: continue
            case .text(let text):
                if text.isEmpty { continue }
                let styled = textStyle.map { #" s="\#($0)""# } ?? ""
                out += #"<c r="\#(reference)" t="inlineStr"\#(styled)><is><t xml:space="preserve">"#
                out += Self.escaped(String(text.prefix(32_767))) + "</t></is></c>"
            case .integer(let n): out += #"<c r="\#(reference)"><v>\#(n)</v></c>"#
            case .decimal(let d):
                guard d.isFinite else { continue }
                out += #"<c r="\#(reference)" s="3"><v>\#(d)</v></c>"#
            }
        }
        out += "</row>"
        buffer.append(contentsOf: out.utf8)
        if buffer.count >= 1 << 20 { try flush() }
    }

    private func flush() throws {
        try current?.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    private func endSheet() throws {
        guard let handle = current else { return }
        buffer.append(contentsOf: "</sheetData></worksheet>".utf8)
        try flush()
        try handle.close()
        current = nil
    }

    /// Writes the archive at `path`; a sheet with no header is started if none was.
    public func finish() throws {
        if sheets.isEmpty { try startSheet("Sheet1", header: []) }
        try endSheet()
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
        // Created under a umask that lets no one else in: a file born 0644 and narrowed afterwards could be
        // opened by another user in between, and read through that descriptor as the rows are written.
        let previous = permissions.map { umask(mode_t(0o777 & ~$0)) }
        let made = Result { try Archive(url: URL(fileURLWithPath: path), accessMode: .create) }
        if let previous { umask(previous) }
        let archive = try made.get()
        if let permissions {
            try FileManager.default.setAttributes([.posixPermissions: permissions], ofItemAtPath: path)
        }
        func add(_ name: String, _ text: String) throws {
            let data = Data(text.utf8)
            try archive.addEntry(
                with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate,
                provider: { position, size in data.subdata(in: Int(position)..<Int(position) + size) })
        }
        let ns = "http://schemas.openxmlformats.org"
        var types =
            #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="\#(ns)/package/2006/content-types">"#
            + #"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#
            + #"<Default Extension="xml" ContentType="application/xml"/>"#
            + #"<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#
            + #"<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#
        for i in sheets.indices {
            types +=
                #"<Override PartName="/xl/worksheets/sheet\#(i + 1).xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
        }
        try add("[Content_Types].xml", types + "</Types>")
        try add(
            "_rels/.rels",
            #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="\#(ns)/package/2006/relationships"><Relationship Id="rId1" Type="\#(ns)/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
        )
        var workbook =
            #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="\#(ns)/spreadsheetml/2006/main" xmlns:r="\#(ns)/officeDocument/2006/relationships"><sheets>"#
        var relations =
            #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="\#(ns)/package/2006/relationships">"#
        for (i, sheet) in sheets.enumerated() {
            workbook += #"<sheet name="\#(Self.escaped(sheet.name))" sheetId="\#(i + 1)" r:id="rId\#(i + 1)"/>"#
            relations +=
                #"<Relationship Id="rId\#(i + 1)" Type="\#(ns)/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet\#(i + 1).xml"/>"#
        }
        relations +=
            #"<Relationship Id="rId\#(sheets.count + 1)" Type="\#(ns)/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#
        try add("xl/workbook.xml", workbook + "</sheets></workbook>")
        try add("xl/_rels/workbook.xml.rels", relations + "</Relationships>")
        try add("xl/styles.xml", Self.styles)
        for (i, sheet) in sheets.enumerated() {
            try archive.addEntry(
                with: "xl/worksheets/sheet\(i + 1).xml", fileURL: sheet.file, compressionMethod: .deflate)
        }
    }

    /// Styles: 0 plain, 1 the bold header, 2 text (`@`), 3 a number with two decimals.
    static let styles =
        #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
        + #"<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>"#
        + #"<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>"#
        + #"<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"#
        + #"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#
        + #"<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#
        + #"<xf numFmtId="49" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyNumberFormat="1"/>"#
        + #"<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#
        + #"<xf numFmtId="2" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>"#
        + #"<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"#

    /// `(0, 1)` → `A1`; `(27, 3)` → `AB3`.
    static func reference(column: Int, row: Int) -> String {
        var letters: [Character] = []
        var n = column + 1
        while n > 0 {
            let r = (n - 1) % 26
            letters.insert(Character(Unicode.Scalar(UInt8(65 + r))), at: 0)
            n = (n - 1) / 26
        }
        return String(letters) + String(row)
    }

    /// XML text: `& < > "` escaped; characters XML 1.0 cannot carry written as Office's `_xHHHH_`, and a
    /// literal `_x` that would read as such an escape as `_x005F_x`.
    static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var scalars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = scalars.next()
        while let c = pending {
            pending = scalars.next()
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "_" where pending == "x": out += "_x005F_"
            case "\t", "\n", "\r": out.unicodeScalars.append(c)
            case _ where c.value < 0x20 || c.value == 0xFFFE || c.value == 0xFFFF:
                out += String(format: "_x%04X_", c.value)
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// A sheet name Excel accepts: no `[]:*?/\`, at most 31 characters, not taken.
    static func sheetName(_ wanted: String, taken: Set<String>) -> String {
        var name = String(wanted.map { "[]:*?/\\".contains($0) ? "_" : $0 }.prefix(31))
        if name.isEmpty { name = "Sheet" }
        var candidate = name
        var n = 2
        while taken.contains(candidate) {
            let suffix = " (\(n))"
            candidate = String(name.prefix(31 - suffix.count)) + suffix
            n += 1
        }
        return candidate
    }

    /// Columns a text takes in Excel: two for a CJK character.
    static func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x1100 ? 2 : 1) }
    }
}
