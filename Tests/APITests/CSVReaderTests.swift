import Testing
import Foundation
@testable import API

@Suite struct CSVReaderTests {
    func records(_ bytes: [UInt8], encoding: ImportEncoding = .auto) throws -> [CSVRecord] {
        let path = NSTemporaryDirectory() + "csv-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reader = try CSVReader(path: path, encoding: encoding)
        var out: [CSVRecord] = []
        while let r = try reader.next() { out.append(r) }
        return out
    }

    @Test func rfc4180WithPhysicalLines() throws {
        let text = "a,b,c\r\n\"x,1\",\"say \"\"hi\"\"\",\"two\r\nlines\"\r\n\r\nlast,,\n"
        let r = try records(Array(text.utf8))
        #expect(
            r == [
                CSVRecord(line: 1, fields: ["a", "b", "c"]),
                CSVRecord(line: 2, fields: ["x,1", "say \"hi\"", "two\nlines"]),
                CSVRecord(line: 5, fields: ["last", "", ""])
            ])
    }

    @Test func bomAndGBK() throws {
        #expect(try records([0xEF, 0xBB, 0xBF] + Array("姓名\n张三\n".utf8)).map(\.fields) == [["姓名"], ["张三"]])
        // 张三 in GBK: D5C5 C8FD
        let gbk: [UInt8] = [0xD5, 0xC5, 0xC8, 0xFD, 0x2C, 0x61, 0x0A]
        #expect(try records(gbk).map(\.fields) == [["张三", "a"]])
        #expect(throws: CSVError.self) { try records([0xFF, 0xFF, 0x0A], encoding: .gbk) }
    }

    @Test func unclosedQuoteAndHugeFieldsAreClearErrors() throws {
        let e = try #require(throws: CSVError.self) { try records(Array("a\n\"open,b\nc\n".utf8)) }
        #expect(e.code == "import.csv" && e.line == 2)
        let huge = [UInt8](repeating: 0x61, count: CSVReader.maxFieldBytes + 10)
        #expect(throws: CSVError.self) { try records(huge) }
    }

    /// Thousands of seeded random inputs: random bytes, quotes, separators, multi-byte text,
    /// truncated quotes, long fields. The reader never crashes: rows or a clear error.
    @Test func fuzz() throws {
        var state: UInt64 = 0x5EED
        func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 17
        }
        let alphabet: [[UInt8]] = [
            [0x22], [0x2C], [0x0D], [0x0A], [0x0D, 0x0A], Array("张".utf8), [0xD5, 0xC5], [0xFF], [0x61], [0x20], [0x00]
        ]
        var rows = 0, errors = 0
        for i in 0..<3000 {
            var bytes: [UInt8] = []
            let length = Int(next() % 400)
            for _ in 0..<length {
                if next() % 3 == 0 {
                    bytes.append(UInt8(next() % 256))
                } else {
                    bytes += alphabet[Int(next() % UInt64(alphabet.count))]
                }
            }
            if i % 500 == 0 { bytes += [UInt8](repeating: 0x62, count: 200_000) }
            do {
                let r = try records(bytes, encoding: [.auto, .utf8, .gbk][i % 3])
                rows += r.count
                #expect(r.allSatisfy { $0.line >= 1 })
                #expect(zip(r, r.dropFirst()).allSatisfy { $0.line < $1.line })
            } catch let e as CSVError {
                errors += 1
                #expect(!e.message.isEmpty && ["import.csv", "import.encoding"].contains(e.code))
            }
        }
        #expect(rows > 0 && errors > 0)
    }

    /// A file that mixes encodings is refused at the line where it changes, either way round; GBK whose
    /// bytes happen to be valid two-byte UTF-8 (联通) is still GBK.
    @Test func mixedEncodingsAreRefusedByLine() throws {
        // 张三 in GBK: D5C5 C8FD; 联通 in GBK: C1AA CDA8 (valid UTF-8 as two two-byte characters).
        let gbkLine: [UInt8] = [0xD5, 0xC5, 0xC8, 0xFD, 0x0A]
        let utf8Then = Array("姓名\n李四\n".utf8) + gbkLine
        let e1 = try #require(throws: CSVError.self) { try records(utf8Then) }
        #expect(e1.code == "import.encoding" && e1.line == 3, "\(e1)")
        let gbkThen = gbkLine + gbkLine + Array("李四\n".utf8)
        let e2 = try #require(throws: CSVError.self) { try records(gbkThen) }
        #expect(e2.code == "import.encoding" && e2.line == 3, "\(e2)")
        #expect(try records(gbkLine + [0xC1, 0xAA, 0xCD, 0xA8, 0x0A]).map(\.fields) == [["张三"], ["联通"]])
        // Explicit UTF-8 and bytes that are not: refused, never U+FFFD.
        #expect(throws: CSVError.self) { try records(Array("a\n".utf8) + [0xFF, 0x0A], encoding: .utf8) }
        // The change after the first 64 KiB is found as well.
        let long = Array(String(repeating: "王五,1\n", count: 20_000).utf8) + gbkLine
        let e3 = try #require(throws: CSVError.self) { try records(long) }
        #expect(e3.line == 20_001)
    }

    /// A record has at most 256 fields and 1 MiB; a directory or a device is no file; a pipe is read like one.
    @Test func boundedRecordsAndWhatIsAFile() throws {
        let wide = Array((String(repeating: "a,", count: 300) + "b\n").utf8)
        #expect((try #require(throws: CSVError.self) { try records(wide) }).code == "import.csv")
        let heavy =
            Array((0..<200).map { _ in String(repeating: "x", count: 10_000) }.joined(separator: ",").utf8) + [0x0A]
        #expect((try #require(throws: CSVError.self) { try records(heavy) }).code == "import.csv")
        #expect(
            (try #require(throws: CSVError.self) { try CSVReader(path: NSTemporaryDirectory(), encoding: .auto) }).code
                == "import.file")
        #expect(
            (try #require(throws: CSVError.self) { try CSVReader(path: "/dev/zero", encoding: .auto) }).code
                == "import.file")
        let fifo = NSTemporaryDirectory() + "fifo-\(UUID().uuidString)"
        #expect(mkfifo(fifo, 0o600) == 0)
        defer { unlink(fifo) }
        let writer = Thread {
            let h = FileHandle(forWritingAtPath: fifo)!
            h.write(Data("姓名,年龄\n张三,30\n".utf8))
            try? h.close()
        }
        writer.start()
        let reader = try CSVReader(path: fifo, encoding: .auto)
        var got: [[String]] = []
        while let r = try reader.next() { got.append(r.fields) }
        #expect(got == [["姓名", "年龄"], ["张三", "30"]] && reader.encoding == .utf8)
    }

    @Test func headerMappingFuzz() {
        var state: UInt64 = 7
        func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 17
        }
        let names =
            ImportKind.contracts.columns.flatMap { [$0.name, $0.alias] } + ["", "x", "合同", "CONTRACT_NO", " 身份证号 "]
        var accepted = 0
        for _ in 0..<3000 {
            let header = (0..<Int(next() % 9)).map { _ in names[Int(next() % UInt64(names.count))] }
            do {
                let mapped = try ImportKind.contracts.map(header: header)
                let known = mapped.columns.compactMap { $0 }
                accepted += 1
                #expect(
                    Set(known).count == known.count && mapped.columns.count == header.count
                        && ["contract_no", "id_number", "institution", "from", "to"].allSatisfy(known.contains))
            } catch let e as RegctlError {
                #expect(e.code == "import.header" && e.message.contains("contract_no (合同编号)"))
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
        #expect(accepted > 0)
    }

    /// Headers as offices write them: official names and variants, `*` for required, full-width letters,
    /// (必填); unknown columns ignored and listed; every problem of the header in one refusal.
    @Test func headersAsOfficesWriteThem() throws {
        let physicians = try ImportKind.physicians.map(
            header: ["序号", "姓名", "*公民身份号码", "医师资格证书编码（必填）", "医师级别", "执业类别", "备注", "ＩＤ"])
        #expect(physicians.columns == [nil, "name", "id_number", "qualification_no", "level", "category", nil, nil])
        #expect(physicians.ignored == ["序号", "备注", "ＩＤ"])
        let contracts = try ImportKind.contracts.map(
            header: ["合同编号", "身份证号码", "统一社会信用代码", "合同起始日期", "合同终止日期", "操作"])
        #expect(contracts.columns == ["contract_no", "id_number", "institution", "from", "to", "action"])
        #expect(
            try ImportKind.institutions.map(header: [
                "USCC", "Name", "region ", "ownership", "for_profit", "category", "beds"
            ]).ignored.isEmpty)
        do {
            _ = try ImportKind.contracts.map(header: ["合同编号", "合同号", "身份证号", "序号"])
            Issue.record("a header with problems is refused")
        } catch let e as RegctlError {
            #expect(e.code == "import.header")
            #expect(e.message.contains("column contract_no (合同编号) appears twice ('合同号')"), "\(e.message)")
            #expect(e.message.contains("missing columns institution (机构统一社会信用代码), from (开始日期), to (结束日期)"))
            #expect(e.message.contains("scope (执业范围, optional)") && e.message.contains("ignored: '序号'"))
        }
    }

    /// A header of 256 huge unknown cells and no known one: the refusal stays short, the names kept short.
    @Test func hostileHeaderKeepsTheMessageShort() throws {
        let header = (0..<256).map { "\($0)" + String(repeating: "序", count: 5000) }
        do {
            _ = try ImportKind.contracts.map(header: header)
            Issue.record("a header without the required columns is refused")
        } catch let e as RegctlError {
            #expect(e.message.count < 3000 && (e.chinese ?? "").count < 3000, "\(e.message.count)")
            #expect(e.message.contains("… (256)"))
        }
        let known = try ImportKind.physicians.map(header: ["身份证号", "姓名", "资格证书编码", "级别", "类别"] + header)
        #expect(known.ignored.count == 256 && known.ignored.allSatisfy { $0.count <= 100 })
    }

    @Test func templatesAreAcceptedByTheirOwnKind() throws {
        for kind in ImportKind.allCases {
            // No spelling names two columns of one kind.
            let spellings = kind.columns.flatMap { [$0.name, $0.alias] + $0.others }.map(ImportKind.normalized)
            #expect(Set(spellings).count == spellings.count, "\(kind)")
            let template = kind.template
            let header = try kind.map(header: template[0])
            #expect(header.ignored.isEmpty && header.columns.allSatisfy { $0 != nil }, "\(kind)")
            #expect(template[1].count == template[0].count)
        }
    }
}
