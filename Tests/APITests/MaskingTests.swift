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

/// The domain's values bind themselves (as their raw text or code) and decode back.
@Suite struct DomainValueBindingTests {
    @Test func enumsAndCodesRoundTrip() throws {
        let db = try TestCluster.database(migrated: false)
        let c = try db.connect()
        for category in InstitutionCategory.allCases {
            #expect(try c.query("SELECT \(category)::text")[0].decode(0, as: InstitutionCategory.self) == category)
        }
        for reason in CancellationReason.allCases {
            #expect(try c.query("SELECT \(reason)::text")[0].decode(0, as: String.self) == reason.rawValue)
        }
        let none: RegistrationStatus? = nil
        #expect(try c.query("SELECT \(none)::text IS NULL")[0].decode(0, as: Bool.self))
        let region = try #require(RegionCode("330106"))
        #expect(try c.query("SELECT \(region)::char(6)")[0].decode(0, as: RegionCode.self) == region)
        let code = try CreditCode(Make.creditCode(region: "330106", serial: 5))
        #expect(try c.query("SELECT \(code)::text")[0].decode(0, as: String.self) == code.value)
    }
}
