import Testing
import Foundation
@testable import API
import Registration
import Postgres
import TestSupport

/// R-72's masking has one Swift definition (`ResidentID.mask`) and one deliberate SQL copy (the generated
/// column `id_number_masked`); the event log masks numbers inside text with the Swift one. One table of
/// cases holds all three to the same answer.
@Suite struct MaskingTests {
    static let cases: [String] = [
        Make.residentID(region: "330106", born: "19750312", sequence: 1),
        Make.residentID(region: "110105", born: "19491231", sequence: 3),
        Make.residentID(region: "650102", born: "20000229", sequence: 999),
        "11010519491231002X"
    ]

    @Test func swiftSQLAndTheEventLogMaskAlike() throws {
        let r = try Registry()
        for (i, id) in Self.cases.enumerated() {
            try r.run(
                "physician.add",
                [
                    "name": "医师\(i)", "id_number": id, "qualification_no": "M\(i)", "level": "physician",
                    "category": "clinical"
                ])
            let sql = try r.connection.query("SELECT id_number_masked FROM physician WHERE id_number = \(id)")[0]
                .decode(0, as: String.self)
            let swift = ResidentID.mask(id)
            #expect(sql == swift, "\(id)")
            #expect(
                swift.count == 18 && swift.hasPrefix(String(id.prefix(6))) && swift.hasSuffix(String(id.suffix(4)))
                    && swift.contains("********"))
            #expect(
                maskIDNumbers("{\"id_number\": \"\(id)\", \"n\": 12345678901234567890}")
                    == "{\"id_number\": \"\(swift)\", \"n\": 12345678901234567890}")
            #expect(maskIDNumbers("x\(id.lowercased())y") == "x\(ResidentID.mask(id.lowercased()))y")
        }
    }
}
