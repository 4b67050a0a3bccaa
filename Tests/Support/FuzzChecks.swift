import Foundation
import API
import Dates
import Registration
import Spreadsheet

/// What each fuzz target checks for one input: the parser never crashes, and what it accepts keeps its
/// promises (round trips, lengths, order). A broken promise stops the process (`preconditionFailure`),
/// which libFuzzer reports as a crash and saves as an input. `scripts/fuzz TARGET SECONDS` runs one
/// target; `FuzzCorpusTests` replays every input kept in `Tests/Fuzz/corpus/TARGET/`.
public enum FuzzChecks {
    public static let targets: [String: @Sendable ([UInt8]) -> Void] = [
        "dates": dates, "ids": ids, "csv": csv, "exec": exec, "xlsx": xlsx
    ]

    static func check(_ condition: Bool, _ message: @autoclosure () -> String) {
        if !condition { preconditionFailure(message()) }
    }

    /// R-04's date parser: a date it accepts prints as YYYY-MM-DD and parses back to itself.
    public static func dates(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let d = CalendarDate(parsing: text) else { return }
        check(d.description.count == 10, "a parsed date prints as YYYY-MM-DD: \(d)")
        check(CalendarDate(parsing: d.description) == d, "a date parses back to itself: \(d)")
        check(d.adding(days: 1) > d && d.adding(days: -1) < d, "days are ordered around \(d)")
    }

    /// an ID number or credit code that parses is 18 characters of its alphabet, masks
    /// to 18 characters, and parses back to itself.
    public static func ids(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        let today = CalendarDate(year: 2026, month: 11, day: 30)!
        if let id = try? ResidentID(text, today: today) {
            check(id.value.count == 18 && id.value.utf8.count == 18, "an ID number is 18 ASCII characters: \(id.value)")
            check(ResidentID.mask(id.value).count == 18, "a masked ID number keeps its length")
            check((try? ResidentID(id.value, today: today))?.value == id.value, "an ID number parses back to itself")
        }
        if let code = try? CreditCode(text) {
            check(
                code.value.count == 18 && code.value == code.value.uppercased(),
                "a credit code is 18 capitals: \(code.value)")
            check(code.region.allSatisfy(\.isNumber), "a credit code's region is digits")
            check(
                CreditCode.types[code.value.first!]?.contains(Array(code.value)[1]) == true,
                "a credit code's authority registers its type")
            check(
                (try? CreditCode(code.value))?.checkCharacterValid == code.checkCharacterValid,
                "a credit code parses back to itself")
        }
    }

    /// The CSV reader and the header mapping: records or a clear error, lines in order, bounds kept.
    public static func csv(_ bytes: [UInt8]) {
        for encoding in [ImportEncoding.auto, .utf8, .gbk] {
            do {
                let reader = try CSVReader(bytes: bytes, encoding: encoding)
                var last = 0
                var first = true
                while let record = try reader.next() {
                    check(record.line > last, "records come in line order")
                    check(
                        record.fields.count <= CSVReader.maxFields, "a record has at most \(CSVReader.maxFields) fields"
                    )
                    last = record.line
                    if first {
                        first = false
                        for kind in ImportKind.allCases {
                            do {
                                let header = try kind.map(header: record.fields)
                                let known = header.columns.compactMap { $0 }
                                check(Set(known).count == known.count, "a header maps each column once")
                                check(header.columns.count == record.fields.count, "every field has its place")
                            } catch let e as RegctlError {
                                check(e.code == "import.header", "a header is refused as import.header, not \(e.code)")
                            } catch {
                                check(false, "the header mapping throws only RegctlError: \(error)")
                            }
                        }
                    }
                }
            } catch let e as CSVError {
                check(
                    ["import.csv", "import.encoding", "import.file"].contains(e.code),
                    "a CSV error has a known code: \(e.code)")
            } catch {
                check(false, "the CSV reader throws only CSVError: \(error)")
            }
        }
    }

    /// A workbook from outside: the bytes as a sheet's XML (events or `XMLPullError`, in any chunks alike) and as a
    /// whole `.xlsx` file (rows in order, within their columns, or `SpreadsheetError` with a known code).
    public static func xlsx(_ bytes: [UInt8]) {
        func events(_ chunk: Int) -> [XMLPullReader.Event]? {
            var reader = XMLPullReader(bytes: bytes, chunk: chunk)
            var out: [XMLPullReader.Event] = []
            do {
                while let e = try reader.next() { out.append(e) }
                return out
            } catch is XMLPullError {
                return nil
            } catch {
                check(false, "the XML reader throws only XMLPullError: \(error)")
                return nil
            }
        }
        let whole = events(1 << 20)
        check(events(7) == whole, "the XML reads the same in any chunks")
        let path = NSTemporaryDirectory() + "regctl-fuzz-\(getpid()).xlsx"
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        defer { unlink(path) }
        do {
            let reader = try XLSXReader(path: path, maxColumns: 64)
            var last = 0
            while let row = try reader.next() {
                check(row.number > last, "rows come in order")
                check(row.fields.count <= 64 && !row.fields.isEmpty, "a row has 1 to 64 fields")
                last = row.number
            }
        } catch let e as SpreadsheetError {
            check(
                ["import.file", "import.sheet", "import.columns"].contains(e.code), "a workbook error has a known code")
        } catch {
            check(false, "the workbook reader throws only SpreadsheetError: \(error)")
        }
    }

    /// The exec line parser and the line splitter: a line is a command or `exec.malformed`/`input.*`;
    /// split in any chunks, the lines are the same.
    public static func exec(_ bytes: [UInt8]) {
        if let text = String(validating: bytes, as: UTF8.self) {
            do {
                let line = try ExecLine(parsing: text)
                check(ExecLine.names.contains(line.command), "a parsed line names a command")
            } catch let e as RegctlError {
                check(
                    e.code == "exec.malformed" || e.code.hasPrefix("input."),
                    "an exec line is refused as exec.malformed or input.*, not \(e.code)")
                check(e.message.utf8.count < 2048, "an exec error never echoes the line: \(e.message.utf8.count) bytes")
            } catch {
                check(false, "the exec parser throws only RegctlError: \(error)")
            }
        }
        func split(_ chunk: Int) -> [LineSplitter.Piece] {
            var s = LineSplitter(maximum: 64)
            var out: [LineSplitter.Piece] = []
            var i = 0
            while i < bytes.count {
                s.feed(Array(bytes[i..<min(i + chunk, bytes.count)])) { out.append($0) }
                i += chunk
            }
            s.finish { out.append($0) }
            return out
        }
        let whole = split(max(bytes.count, 1))
        check(split(1) == whole && split(7) == whole, "lines do not depend on how the input was chunked")
        for piece in whole {
            if case .line(let l) = piece {
                check(l.count <= 64 && !l.contains(0x0A), "a line is bounded and has no newline")
            }
        }
    }
}
