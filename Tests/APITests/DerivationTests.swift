import Testing
import Foundation
@testable import API
import Registration
import Postgres
import TestSupport

/// R-10 has one Swift definition (`RegistrationRules.practiceRegion`) and a deliberate SQL copy (the trigger
/// `a_derive`, `regctl_derive_province`), which the database applies to every registration whatever a client
/// sends. One table of cases: a registration inserted with a wrong province and region is stored with the
/// ones the Swift rule gives.
@Suite struct DerivationTests {
    @Test(arguments: [
        (PhysicianLevel.physician, "330106"), (.assistant, "330106"), (.physician, "330102"), (.assistant, "330102"),
        (.physician, "320102"), (.assistant, "320102")
    ])
    func practiceRegionIsTheSameInSwiftAndSQL(level: PhysicianLevel, county: String) throws {
        let r = try Registry()
        let w = try r.world()
        let institution = [w.provincial, w.hangzhouSocial, w.nanjingClinic][
            ["330106", "330102", "320102"].firstIndex(of: county)!]
        let id = Make.residentID(region: county, sequence: 900)
        let p = try r.run(
            "physician.add",
            ["name": "医师", "id_number": id, "qualification_no": "D1", "level": level.rawValue, "category": "clinical"]
        ).id!
        let reg = UUID()
        try r.connection.execute(
            """
            INSERT INTO registration (id, province, physician, region, institution, category, scopes, status, is_home, applied_on)
            VALUES (\(reg), '110000', \(UUID(uuidString: p)!), '110101', \(UUID(uuidString: institution)!), 'clinical', ARRAY['内科'], 'pending', true, '2026-03-02')
            """)
        let row = try r.connection.query("SELECT province, region FROM registration WHERE id = \(reg)")[0]
        let swift = RegistrationRules.practiceRegion(level: level, institutionCounty: RegionCode(county)!)
        #expect(try row.decode("region", as: RegionCode.self) == swift, "\(level) at \(county)")
        #expect(try row.decode("province", as: RegionCode.self) == swift.province, "\(level) at \(county)")
    }
}
