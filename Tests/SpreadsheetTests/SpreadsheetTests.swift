import Dates
import Foundation
import Testing
import ZIPFoundation

@testable import Spreadsheet

/// A path for a workbook in a fresh temporary folder.
private func temporaryPath(_ name: String) -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
        "regctl-sheet-test-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory.appendingPathComponent(name).path
}

private func rows(of path: String, sheet: String? = nil) throws -> [SheetRow] {
    let reader = try XLSXReader(path: path, sheet: sheet)
    var out: [SheetRow] = []
    while let row = try reader.next() { out.append(row) }
    return out
}

@Suite struct XMLPullTests {
    private func events(_ text: String, chunk: Int = 3) throws -> [XMLPullReader.Event] {
        let bytes = Array(text.utf8)
        var reader = XMLPullReader(bytes: bytes, chunk: chunk)
        var out: [XMLPullReader.Event] = []
        while let e = try reader.next() { out.append(e) }
        return out
    }

    @Test func readsAcrossChunksWithEntitiesPrefixesAndCDATA() throws {
        let got = try events(
            #"<?xml version="1.0"?><!-- c --><x:row r="2" a='>'><c t="s"/><t>A&amp;B &#x4E2D;&#22269;</t><![CDATA[<raw>]]></x:row>"#
        )
        #expect(
            got == [
                .start(name: "row", attributes: ["r": "2", "a": ">"], empty: false),
                .start(name: "c", attributes: ["t": "s"], empty: true),
                .start(name: "t", attributes: [:], empty: false), .text("A&B 中国"), .end(name: "t"),
                .text("<raw>"), .end(name: "row")
            ])
    }

    @Test func refusesADoctypeAndBrokenMarkup() {
        #expect(throws: XMLPullError.self) { try events(#"<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>"#) }
        #expect(throws: XMLPullError.self) { try events("<x>&bogus;</x>") }
        #expect(throws: XMLPullError.self) { try events(#"<x a="1></x>"#) }
        #expect(throws: XMLPullError.self) { try events("<x a=1></x>") }
    }
}

@Suite struct XLSXRoundTripTests {
    @Test func whatIsWrittenReadsBackAsText() throws {
        let path = temporaryPath("out.xlsx")
        let writer = try XLSXWriter(path: path)
        try writer.startSheet("医师 [名单]", header: ["姓名", "身份证号码", "床位", "占比"], textColumns: [1])
        try writer.write([.text("陈明"), .text("440106199001011234"), .integer(120), .decimal(25.5)])
        try writer.write([.text("A&B <c> \"q\" _x0041_ \u{1}"), .empty, .integer(-3), .decimal(0.1)])
        try writer.startSheet("第二", header: ["x"])
        try writer.write([.text("y")])
        try writer.finish()

        let reader = try XLSXReader(path: path)
        #expect(reader.sheetNames == ["医师 _名单_", "第二"])
        #expect(
            try rows(of: path) == [
                SheetRow(number: 1, fields: ["姓名", "身份证号码", "床位", "占比"]),
                SheetRow(number: 2, fields: ["陈明", "440106199001011234", "120", "25.5"]),
                SheetRow(number: 3, fields: ["A&B <c> \"q\" _x0041_ \u{1}", "", "-3", "0.1"])
            ])
        #expect(
            try rows(of: path, sheet: "第二") == [SheetRow(number: 1, fields: ["x"]), SheetRow(number: 2, fields: ["y"])])
        #expect(throws: SpreadsheetError.self) { try XLSXReader(path: path, sheet: "没有") }
    }

    @Test func permissionsAreSetAsAsked() throws {
        let path = temporaryPath("errors.xlsx")
        let writer = try XLSXWriter(path: path, permissions: 0o600)
        try writer.startSheet("错误", header: ["行号"])
        try writer.finish()
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func sheetNamesAreWhatExcelAccepts() {
        #expect(XLSXWriter.sheetName("a/b:c", taken: []) == "a_b_c")
        #expect(XLSXWriter.sheetName(String(repeating: "长", count: 40), taken: []).count == 31)
        #expect(XLSXWriter.sheetName("x", taken: ["x"]) == "x (2)")
    }
}

@Suite struct XLSXValueTests {
    @Test func numbersReadAsAnImportExpects() {
        #expect(XLSXReader.text(of: 42) == "42")
        #expect(XLSXReader.text(of: 2.5) == "2.5")
        #expect(XLSXReader.text(of: 4.40106199001011e17) == "4.40106E+17")
        #expect(XLSXReader.text(of: 4.401e17) == "4.401E+17")
    }

    @Test func dateSerialsInBothSystems() {
        #expect(XLSXReader.date(serial: 1, date1904: false)?.description == "1900-01-01")
        #expect(XLSXReader.date(serial: 59, date1904: false)?.description == "1900-02-28")
        #expect(XLSXReader.date(serial: 61, date1904: false)?.description == "1900-03-01")
        #expect(XLSXReader.date(serial: 46356, date1904: false)?.description == "2026-11-30")
        #expect(XLSXReader.date(serial: 46356.75, date1904: false)?.description == "2026-11-30")
        #expect(XLSXReader.date(serial: 44894, date1904: true)?.description == "2026-11-30")
        #expect(XLSXReader.date(serial: -1, date1904: false) == nil)
    }

    @Test func dateFormats() {
        #expect(DateStyles.isDate(#"yyyy"年"m"月"d"日""#))
        #expect(DateStyles.isDate("yyyy/m/d;@"))
        #expect(DateStyles.isDate("[$-804]yyyy-mm-dd"))
        #expect(!DateStyles.isDate("0.00"))
        #expect(!DateStyles.isDate("@"))
        #expect(!DateStyles.isDate("[h]:mm:ss"))
        #expect(!DateStyles.isDate("General"))
        #expect(!DateStyles.isDate(#"0"人""#))
    }

    @Test func cellReferences() {
        #expect(XLSXReader.column(of: "A1") == 0)
        #expect(XLSXReader.column(of: "AB12") == 27)
        #expect(XLSXReader.column(of: "XFD1048576") == 16383)
        #expect(XLSXReader.column(of: "AAAA1") == nil)
        #expect(XLSXReader.column(of: "12") == nil)
        #expect(XLSXWriter.reference(column: 27, row: 3) == "AB3")
    }

    @Test func officeEscapes() {
        #expect(SharedStrings.unescaped("a_x000D_b") == "a\rb")
        #expect(SharedStrings.unescaped("_x005F_x0041_") == "_x0041_")
        #expect(SharedStrings.unescaped("_xZZ") == "_xZZ")
        #expect(XLSXWriter.escaped("\u{1}") == "_x0001_")
    }
}

@Suite struct HostileWorkbookTests {
    @Test func notAWorkbook() throws {
        let path = temporaryPath("plain.xlsx")
        try Data("姓名,身份证号码\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: SpreadsheetError.self) { try XLSXReader(path: path) }
    }

    @Test func anEmptyWorkbookHasNoRows() throws {
        let path = temporaryPath("empty.xlsx")
        try XLSXWriter(path: path).finish()
        #expect(try XLSXReader(path: path).next() == nil)
    }

    @Test func aZipWithoutAWorkbook() throws {
        let path = temporaryPath("other.xlsx")
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
        let data = Data("hello".utf8)
        try archive.addEntry(
            with: "a.txt", type: .file, uncompressedSize: Int64(data.count),
            provider: { position, size in data.subdata(in: Int(position)..<Int(position) + size) })
        #expect {
            try XLSXReader(path: path)
        } throws: { ($0 as? SpreadsheetError)?.message.contains("without xl/workbook.xml") == true }
    }

    /// A part that inflates past its limit is stopped while it inflates (a ZIP bomb), whatever it declares.
    @Test func partsAreHeldToTheirSize() throws {
        let path = temporaryPath("big.xlsx")
        let writer = try XLSXWriter(path: path)
        try writer.startSheet("s", header: ["a"])
        for _ in 0..<20_000 { try writer.write([.text(String(repeating: "零", count: 40))]) }
        try writer.finish()
        let parts = WorkbookParts(archive: try Archive(url: URL(fileURLWithPath: path), accessMode: .read))
        #expect(throws: SpreadsheetError.self) { try parts.document("xl/worksheets/sheet1.xml", limit: 1 << 20) }
        #expect(throws: SpreadsheetError.self) {
            try parts.extract("xl/worksheets/sheet1.xml", to: URL(fileURLWithPath: path + ".xml"), limit: 1 << 20)
        }
        #expect(!FileManager.default.fileExists(atPath: path + ".xml"), "nothing half-written is left")
    }

    @Test func aValueFarToTheRightIsRefusedNotDropped() throws {
        let path = temporaryPath("wide.xlsx")
        let writer = try XLSXWriter(path: path)
        try writer.startSheet("s", header: ["a"])
        try writer.write([SheetValue](repeating: .empty, count: 300) + [.text("far")])
        try writer.finish()
        let reader = try XLSXReader(path: path, maxColumns: 256)
        _ = try reader.next()
        #expect { try reader.next() } throws: { ($0 as? SpreadsheetError)?.code == "import.columns" }
    }
}
