import Dates
import Foundation
import ZIPFoundation

/// Why a workbook cannot be read. `code` is regctl's error code (`import.file`, `import.sheet`,
/// `import.columns`); `chinese` says it in Chinese.
public struct SpreadsheetError: Error, CustomStringConvertible, Sendable {
    public let code: String
    public let message: String
    public let chinese: String
    public var description: String { message }

    public init(_ code: String, _ message: String, chinese: String) {
        self.code = code
        self.message = message
        self.chinese = chinese
    }
}

/// One row of a sheet: its number as Excel shows it (1 is the first) and its cells as text.
public struct SheetRow: Sendable, Equatable {
    public let number: Int
    public let fields: [String]
}

/// What the first bytes of a file say it is.
public enum FileSignature {
    /// `PK\3\4`: a ZIP archive, which an `.xlsx` workbook is.
    public static func isZIP(_ head: some Collection<UInt8>) -> Bool { head.starts(with: [0x50, 0x4B, 0x03, 0x04]) }
    /// The compound file of Excel 97–2003 (`.xls`), which regctl does not read.
    public static func isLegacyExcel(_ head: some Collection<UInt8>) -> Bool {
        head.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
    }

    /// The first bytes of the file at `path` (fewer if it is shorter; none if it cannot be read, or is no
    /// regular file: reading a pipe's first bytes would take them from whoever reads it next).
    public static func head(of path: String, count: Int = 8) -> [UInt8] {
        guard let f = fopen(path, "rb") else { return [] }
        defer { fclose(f) }
        var info = stat()
        guard fstat(fileno(f), &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return [] }
        var bytes = [UInt8](repeating: 0, count: count)
        let n = fread(&bytes, 1, count, f)
        return Array(bytes.prefix(n))
    }
}

/// Reads one sheet of an `.xlsx` workbook row by row.
///
/// The workbook is opened with ZIPFoundation; the sheet's XML is inflated to a temporary file and read in
/// 1 MiB chunks by `XMLPullReader`, so memory stays flat however long the sheet. The shared strings (the
/// table of texts a sheet's cells point into) are held in memory, as every reader of the format does;
/// each part is held to a size limit against a ZIP bomb. Cells become the text an import reads:
/// shared and inline strings as they are, numbers in their shortest form (an integer of 12 or more digits
/// as Excel shows it, `4.40106E+17`, so that an ID number stored as a number is refused with its hint),
/// numbers in a date format as `YYYY-MM-DD` (the 1900 and the 1904 date systems), booleans as
/// TRUE/FALSE, cached results of formulas as their value.
public final class XLSXReader {
    /// The workbook's sheets, in its order.
    public let sheetNames: [String]
    /// The sheet being read.
    public let sheetName: String
    /// The most columns a row may have (cells beyond are refused, never silently dropped).
    public let maxColumns: Int
    /// Largest shared-strings part accepted (inflated), and largest sheet.
    public static let maxSharedStringsBytes: Int64 = 512 << 20
    public static let maxSheetBytes: Int64 = 16 << 30

    private var xml: XMLPullReader
    private let file: UnsafeMutablePointer<FILE>
    private let temporary: URL
    private let sharedStrings: [String]
    private let dateStyles: Set<Int>
    private let date1904: Bool
    private var lastRow = 0
    /// The size of the sheet's XML, inflated.
    private let sheetBytes: Int64

    /// How much of the sheet has been read (0 to 1).
    public var fraction: Double {
        sheetBytes > 0 ? min(1, Double(ftello(file)) / Double(sheetBytes)) : 1
    }

    /// Opens `path`; reads the sheet named `sheet`, else the first.
    public init(path: String, sheet: String? = nil, maxColumns: Int = 256) throws {
        self.maxColumns = maxColumns
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw SpreadsheetError(
                "import.file",
                "\(path) is not a readable .xlsx workbook (its ZIP directory is damaged); save it again from Excel",
                chinese: "\(path) 不是可读取的 .xlsx 工作簿（ZIP 目录已损坏），请用 Excel 重新保存")
        }
        let parts = WorkbookParts(archive: archive)
        let workbook = try parts.document("xl/workbook.xml", limit: 16 << 20)
        var names: [(name: String, relation: String)] = []
        var uses1904 = false
        var reader = XMLPullReader(bytes: workbook)
        while let event = try parts.wrap({ try reader.next() }, part: "xl/workbook.xml") {
            guard case .start(let name, let attributes, _) = event else { continue }
            if name == "sheet", let sheetName = attributes["name"], let relation = attributes["id"] {
                names.append((sheetName, relation))
            } else if name == "workbookPr", let value = attributes["date1904"] {
                uses1904 = value == "1" || value.lowercased() == "true"
            }
        }
        sheetNames = names.map(\.name)
        guard !names.isEmpty else {
            throw SpreadsheetError(
                "import.file", "the workbook has no sheets", chinese: "工作簿中没有工作表")
        }
        let chosen: (name: String, relation: String)
        if let sheet {
            guard let found = names.first(where: { $0.name == sheet }) else {
                let listed = names.map { "'\($0.name)'" }.joined(separator: ", ")
                throw SpreadsheetError(
                    "import.sheet", "the workbook has no sheet '\(sheet)'; its sheets are \(listed)",
                    chinese: "工作簿中没有名为“\(sheet)”的工作表；现有工作表：" + names.map { "“\($0.name)”" }.joined(separator: "、"))
            }
            chosen = found
        } else {
            chosen = names[0]
        }
        sheetName = chosen.name
        date1904 = uses1904

        let relations = try parts.relationships("xl/_rels/workbook.xml.rels", base: "xl/")
        guard let sheetPath = relations.byID[chosen.relation] else {
            throw SpreadsheetError(
                "import.file",
                "the workbook names sheet '\(chosen.name)' but does not hold it; save it again from Excel",
                chinese: "工作簿列出了工作表“\(chosen.name)”却没有其内容，请用 Excel 重新保存")
        }
        let stringsPath = relations.byType["sharedStrings"] ?? "xl/sharedStrings.xml"
        sharedStrings =
            parts.has(stringsPath)
            ? try SharedStrings.read(parts.document(stringsPath, limit: Self.maxSharedStringsBytes), parts: parts)
            : []
        let stylesPath = relations.byType["styles"] ?? "xl/styles.xml"
        dateStyles =
            parts.has(stylesPath) ? try DateStyles.read(parts.document(stylesPath, limit: 64 << 20), parts: parts) : []

        temporary = FileManager.default.temporaryDirectory.appendingPathComponent(
            "regctl-sheet-\(UUID().uuidString).xml")
        try parts.extract(sheetPath, to: temporary, limit: Self.maxSheetBytes)
        guard let f = fopen(temporary.path, "rb") else {
            try? FileManager.default.removeItem(at: temporary)
            throw SpreadsheetError(
                "import.file", "cannot read the sheet from a temporary file", chinese: "无法读取临时文件中的工作表")
        }
        unlink(temporary.path)
        file = f
        var info = stat()
        sheetBytes = fstat(fileno(f), &info) == 0 ? Int64(info.st_size) : 0
        xml = XMLPullReader(source: {
            var chunk = [UInt8](repeating: 0, count: 1 << 20)
            let n = fread(&chunk, 1, chunk.count, f)
            if n == 0 { return nil }
            chunk.removeSubrange(n...)
            return chunk
        })
    }

    deinit { fclose(file) }

    /// The next row that has a value, or nil after the last.
    public func next() throws -> SheetRow? {
        do {
            while let event = try xml.next() {
                guard case .start("row", let attributes, let empty) = event else { continue }
                let number = attributes["r"].flatMap(Int.init) ?? lastRow + 1
                guard number > lastRow else {
                    throw SpreadsheetError(
                        "import.file",
                        "row \(number) of sheet '\(sheetName)' comes after row \(lastRow); save the workbook again from Excel",
                        chinese: "工作表“\(sheetName)”的第 \(number) 行出现在第 \(lastRow) 行之后，请用 Excel 重新保存")
                }
                lastRow = number
                if empty { continue }
                let fields = try readCells(row: number)
                if fields.isEmpty { continue }
                return SheetRow(number: number, fields: fields)
            }
            return nil
        } catch let e as XMLPullError {
            throw SpreadsheetError(
                "import.file",
                "sheet '\(sheetName)' near row \(lastRow) is damaged: \(e.description); save it again from Excel",
                chinese: "工作表“\(sheetName)”第 \(lastRow) 行附近已损坏，请用 Excel 重新保存")
        }
    }

    /// Cells up to `</row>`, placed by their reference (`C7`); trailing empty cells dropped.
    private func readCells(row: Int) throws -> [String] {
        var fields: [String] = []
        var column = -1
        while let event = try xml.next() {
            switch event {
            case .end("row"):
                while fields.last?.isEmpty == true { fields.removeLast() }
                return fields
            case .start("c", let attributes, let empty):
                column = attributes["r"].flatMap(Self.column(of:)) ?? column + 1
                guard column < maxColumns else {
                    throw SpreadsheetError(
                        "import.columns",
                        "row \(row) has a value in column \(column + 1), past the \(maxColumns) columns a row may have",
                        chinese: "第 \(row) 行在第 \(column + 1) 列有值，超过了每行最多 \(maxColumns) 列")
                }
                let text = empty ? "" : try cellText(type: attributes["t"], style: attributes["s"].flatMap(Int.init))
                if text.isEmpty { continue }
                while fields.count < column { fields.append("") }
                if fields.count == column { fields.append(text) } else { fields[column] = text }
            default: continue
            }
        }
        throw XMLPullError("the sheet ends inside row \(row)")
    }

    /// The value of a cell, read to its `</c>`.
    private func cellText(type: String?, style: Int?) throws -> String {
        var value = ""
        var inline = ""
        var inValue = false
        var inText = false
        var phonetic = 0
        while let event = try xml.next() {
            switch event {
            case .start("v", _, let empty): inValue = !empty
            case .end("v"): inValue = false
            case .start("t", _, let empty): inText = !empty
            case .end("t"): inText = false
            case .start("rPh", _, let empty): if !empty { phonetic += 1 }
            case .end("rPh"): phonetic -= 1
            case .text(let s):
                if inValue { value += s } else if inText, phonetic == 0 { inline += s }
            case .end("c"):
                return try interpret(type: type, style: style, value: value, inline: inline)
            default: continue
            }
        }
        throw XMLPullError("the sheet ends inside a cell")
    }

    private func interpret(type: String?, style: Int?, value: String, inline: String) throws -> String {
        switch type {
        case "s":
            guard let index = Int(value.trimmingCharacters(in: .whitespaces)), sharedStrings.indices.contains(index)
            else { throw XMLPullError("a cell points to shared string \(value), which the workbook does not have") }
            return sharedStrings[index]
        case "inlineStr": return SharedStrings.unescaped(inline)
        case "str", "e": return SharedStrings.unescaped(value)
        case "b": return value.trimmingCharacters(in: .whitespaces) == "1" ? "TRUE" : "FALSE"
        case "d": return String(value.prefix(10))
        default:
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { return "" }
            guard let number = Double(trimmed), number.isFinite else { return trimmed }
            if let style, dateStyles.contains(style), let date = Self.date(serial: number, date1904: date1904) {
                return date.description
            }
            return Self.text(of: number)
        }
    }

    /// A number as the import reads it: integers plainly below 10^11; above, as Excel's General format
    /// shows them (`4.40106E+17`), the form in which a long ID number typed into a number cell reaches us.
    public static func text(of number: Double) -> String {
        if number == number.rounded(), abs(number) < 1e11 { return String(Int64(number)) }
        if number == number.rounded() {
            var mantissa = String(format: "%.5E", number)
            // "4.40100E+17" → "4.401E+17", as Excel trims.
            if let e = mantissa.firstIndex(of: "E") {
                var head = String(mantissa[..<e])
                while head.hasSuffix("0") { head.removeLast() }
                if head.hasSuffix(".") { head.removeLast() }
                mantissa = head + mantissa[e...]
            }
            return mantissa
        }
        return "\(number)"
    }

    /// An Excel date serial as a day: 1 is 1900-01-01 and 60 the 29 February 1900 Excel believes in;
    /// in the 1904 system 0 is 1904-01-01.
    public static func date(serial: Double, date1904: Bool) -> CalendarDate? {
        guard serial >= 0, serial < 2_958_466 else { return nil }
        let days = Int(serial.rounded(.down))
        if date1904 { return CalendarDate(year: 1904, month: 1, day: 1)?.adding(days: days) }
        guard days >= 1 else { return nil }
        if days < 60 { return CalendarDate(year: 1899, month: 12, day: 31)?.adding(days: days) }
        if days == 60 { return CalendarDate(year: 1900, month: 2, day: 28) }
        return CalendarDate(year: 1899, month: 12, day: 30)?.adding(days: days)
    }

    /// `AB12` → 27 (0-based column); nil if it is no cell reference.
    static func column(of reference: String) -> Int? {
        var column = 0
        var letters = 0
        for u in reference.utf8 {
            switch u {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                column = column * 26 + Int(u - UInt8(ascii: "A") + 1)
                letters += 1
                if letters > 3 { return nil }
            case UInt8(ascii: "a")...UInt8(ascii: "z"):
                column = column * 26 + Int(u - UInt8(ascii: "a") + 1)
                letters += 1
                if letters > 3 { return nil }
            default:
                return letters == 0 ? nil : column - 1
            }
        }
        return letters == 0 ? nil : column - 1
    }
}

/// The parts of a workbook's ZIP archive, each read under a size limit.
struct WorkbookParts {
    let archive: Archive

    func has(_ path: String) -> Bool { archive[path] != nil }

    func entry(_ path: String) throws -> Entry {
        guard let entry = archive[path] else {
            throw SpreadsheetError(
                "import.file",
                "the file is a ZIP archive without \(path): not an .xlsx workbook; save it from Excel as .xlsx",
                chinese: "该文件是不含 \(path) 的 ZIP 压缩包，不是 .xlsx 工作簿；请在 Excel 中另存为 .xlsx")
        }
        return entry
    }

    private func tooLarge(_ path: String, _ limit: Int64) -> SpreadsheetError {
        SpreadsheetError(
            "import.file", "\(path) of the workbook inflates past \(limit >> 20) MiB; split the file",
            chinese: "工作簿中的 \(path) 解压后超过 \(limit >> 20) MiB，请拆分文件")
    }

    private func damaged(_ path: String) -> SpreadsheetError {
        SpreadsheetError(
            "import.file", "\(path) of the workbook cannot be inflated (the file is damaged); save it again from Excel",
            chinese: "工作簿中的 \(path) 无法解压（文件已损坏），请用 Excel 重新保存")
    }

    /// A whole part in memory; the inflated bytes are counted as they come, whatever the archive declares.
    func document(_ path: String, limit: Int64) throws -> [UInt8] {
        let entry = try entry(path)
        guard Int64(entry.uncompressedSize) <= limit else { throw tooLarge(path, limit) }
        var bytes: [UInt8] = []
        var count: Int64 = 0
        do {
            _ = try archive.extract(entry, skipCRC32: false) { data in
                count += Int64(data.count)
                guard count <= limit else { throw tooLarge(path, limit) }
                bytes.append(contentsOf: data)
            }
        } catch let e as SpreadsheetError { throw e } catch { throw damaged(path) }
        return bytes
    }

    /// A part inflated to a file.
    func extract(_ path: String, to url: URL, limit: Int64) throws {
        let entry = try entry(path)
        guard Int64(entry.uncompressedSize) <= limit else { throw tooLarge(path, limit) }
        guard FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600]),
            let handle = FileHandle(forWritingAtPath: url.path)
        else {
            throw SpreadsheetError(
                "import.file", "cannot write a temporary file in \(url.deletingLastPathComponent().path)",
                chinese: "无法在 \(url.deletingLastPathComponent().path) 中写入临时文件")
        }
        defer { try? handle.close() }
        var count: Int64 = 0
        do {
            _ = try archive.extract(entry, skipCRC32: false) { data in
                count += Int64(data.count)
                guard count <= limit else { throw tooLarge(path, limit) }
                try handle.write(contentsOf: data)
            }
        } catch let e as SpreadsheetError {
            try? FileManager.default.removeItem(at: url)
            throw e
        } catch {
            try? FileManager.default.removeItem(at: url)
            throw damaged(path)
        }
    }

    /// XML errors of a part as regctl's error.
    func wrap<T>(_ body: () throws -> T, part: String) throws -> T {
        do { return try body() } catch let e as XMLPullError {
            throw SpreadsheetError(
                "import.file", "\(part) of the workbook is damaged: \(e.description); save it again from Excel",
                chinese: "工作簿中的 \(part) 已损坏，请用 Excel 重新保存")
        }
    }

    /// A relationships part: targets by id and by the last word of their type, as paths in the archive.
    func relationships(_ path: String, base: String) throws -> (byID: [String: String], byType: [String: String]) {
        guard has(path) else { return ([:], [:]) }
        var byID: [String: String] = [:]
        var byType: [String: String] = [:]
        var reader = XMLPullReader(bytes: try document(path, limit: 16 << 20))
        while let event = try wrap({ try reader.next() }, part: path) {
            guard case .start("Relationship", let attributes, _) = event, let id = attributes["Id"],
                let target = attributes["Target"]
            else { continue }
            let resolved = target.hasPrefix("/") ? String(target.dropFirst()) : Self.normalized(base + target)
            byID[id] = resolved
            if let type = attributes["Type"]?.split(separator: "/").last { byType[String(type)] = resolved }
        }
        return (byID, byType)
    }

    /// `xl/worksheets/../sharedStrings.xml` → `xl/sharedStrings.xml`.
    static func normalized(_ path: String) -> String {
        var parts: [Substring] = []
        for piece in path.split(separator: "/") {
            if piece == ".." { _ = parts.popLast() } else if piece != "." { parts.append(piece) }
        }
        return parts.joined(separator: "/")
    }
}

/// The shared-strings part: `<si>` items, each plain (`<t>`) or rich (`<r><t>`…), phonetic runs left out.
enum SharedStrings {
    static func read(_ bytes: [UInt8], parts: WorkbookParts) throws -> [String] {
        var strings: [String] = []
        var reader = XMLPullReader(bytes: bytes)
        var current = ""
        var inText = false
        var phonetic = 0
        while let event = try parts.wrap({ try reader.next() }, part: "xl/sharedStrings.xml") {
            switch event {
            case .start("si", _, let empty):
                current = ""
                if empty { strings.append("") }
            case .end("si"): strings.append(unescaped(current))
            case .start("t", _, let empty): inText = !empty
            case .end("t"): inText = false
            case .start("rPh", _, let empty): if !empty { phonetic += 1 }
            case .end("rPh"): phonetic -= 1
            case .text(let s): if inText, phonetic == 0 { current += s }
            default: continue
            }
        }
        return strings
    }

    /// Office escapes characters XML cannot carry as `_xHHHH_` (and a literal `_x` as `_x005F_`).
    static func unescaped(_ text: String) -> String {
        guard text.contains("_x") else { return text }
        var out = ""
        var rest = Substring(text)
        while let range = rest.range(of: "_x") {
            out += rest[..<range.lowerBound]
            let after = rest[range.upperBound...]
            let hex = after.prefix(5)
            if hex.count == 5, hex.last == "_", let value = UInt32(hex.dropLast(), radix: 16),
                let scalar = Unicode.Scalar(value)
            {
                out.unicodeScalars.append(scalar)
                rest = after.dropFirst(5)
            } else {
                out += "_x"
                rest = after
            }
        }
        return out + rest
    }
}

/// Which cell styles (`s="3"`) show a number as a date: the built-in date formats (14–22, and 27–36,
/// 50–58 of East Asian Excel) and custom formats with year, month or day in them.
enum DateStyles {
    static let builtIn: Set<Int> = Set(14...22).union(27...36).union(50...58)

    static func read(_ bytes: [UInt8], parts: WorkbookParts) throws -> Set<Int> {
        var custom: [Int: String] = [:]
        var formats: [Int] = []
        var inCellXfs = false
        var reader = XMLPullReader(bytes: bytes)
        while let event = try parts.wrap({ try reader.next() }, part: "xl/styles.xml") {
            switch event {
            case .start("numFmt", let attributes, _):
                if let id = attributes["numFmtId"].flatMap(Int.init), let code = attributes["formatCode"] {
                    custom[id] = code
                }
            case .start("cellXfs", _, let empty): inCellXfs = !empty
            case .end("cellXfs"): inCellXfs = false
            case .start("xf", let attributes, _) where inCellXfs:
                formats.append(attributes["numFmtId"].flatMap(Int.init) ?? 0)
            default: continue
            }
        }
        var styles: Set<Int> = []
        for (index, id) in formats.enumerated() {
            if let code = custom[id] {
                if isDate(code) { styles.insert(index) }
            } else if builtIn.contains(id) {
                styles.insert(index)
            }
        }
        return styles
    }

    /// `yyyy"年"m"月"d"日"` is a date; `0.00`, `@`, `[h]:mm` are not.
    static func isDate(_ code: String) -> Bool {
        var plain = ""
        var quoted = false
        var bracket = false
        var escaped = false
        for c in code {
            if escaped {
                escaped = false
                continue
            }
            switch c {
            case "\\": escaped = true
            case "\"": quoted.toggle()
            case "[" where !quoted: bracket = true
            case "]" where !quoted: bracket = false
            default: if !quoted, !bracket { plain.append(c) }
            }
        }
        let lower = plain.lowercased()
        if lower.contains("y") || lower.contains("d") { return true }
        return lower.contains("m") && !lower.contains("h") && !lower.contains("s")
    }
}
