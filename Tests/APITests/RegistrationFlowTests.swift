import Testing
import Foundation
@testable import API
import Postgres
import TestSupport

@Suite struct RegistrationFlowTests {
    @Test func fromApplicationToCancellation() throws {
        let r = try Registry()
        let w = try r.world()
        let p = try r.run(
            "physician.add", as: "zj-reg",
            [
                "name": "张伟", "id_number": Make.residentID(sequence: 2), "qualification_no": "Q-1",
                "level": "physician", "category": "clinical"
            ]
        ).id!
        let reg = try r.run(
            "registration.apply", as: "zj-reg", ["physician": p, "institution": w.provincial, "scope": "内科"])
        #expect(reg.fields.first { $0.0 == "region" }?.1 == .text("330000"))
        #expect(reg.fields.first { $0.0 == "decision_due" }?.1 == .text("2026-03-30"))
        let approved = try r.run("registration.approve", as: "zj-reg", ["registration": reg.id!])
        #expect(approved.fields.first { $0.0 == "certificate_no" }?.1 == .text("110330000000001"))
        // Filing at a social clinic; then the primary moves to the clinic: the filing ends (it became primary).
        let f = try r.run(
            "filing.add", as: "zj-reg",
            ["physician": p, "institution": w.clinic, "contract_no": "HM-1", "from": "2026-03-02", "to": "2027-03-01"]
        ).id!
        try r.run(
            "filing.add", as: "zj-reg",
            [
                "physician": p, "institution": w.hangzhouSocial, "contract_no": "SL-1", "from": "2026-04-01",
                "to": "2026-12-31"
            ])
        let change = try r.run(
            "registration.change", as: "zj-reg",
            ["registration": reg.id!, "institution": w.clinic, "scope": ["内科", "全科医学"], "on": "2026-05-01"])
        #expect(change.fields.first { $0.0 == "filings_ended" }?.1 == .int(1))
        #expect(
            try r.count(
                "SELECT count(*) FROM filing WHERE id = \(UUID(uuidString: f)!) AND status = 'ended' AND end_reason = 'became-primary'"
            ) == 1)
        let details = try r.connection.query("SELECT details::text FROM event WHERE command = 'registration.change'")[0]
            .decode(0, as: String.self)
        #expect(details.contains("\"before\"") && details.contains("全科医学"))
        // Leave ends the remaining filing; the registration is on leave.
        try r.run(
            "registration.leave", as: "zj-reg", ["registration": reg.id!, "reason": "resigned", "on": "2026-06-01"])
        #expect(try r.count("SELECT count(*) FROM filing WHERE status = 'active'") == 0)
        #expect(
            r.refusal(
                "filing.add", as: "zj-reg",
                [
                    "physician": p, "institution": w.hangzhouSocial, "contract_no": "SL-2", "from": "2026-07-01",
                    "to": "2026-12-31"
                ]) == "registration.not-active")
        // Back to active with a new primary within two years, then cancelled.
        try r.run(
            "registration.change", as: "zj-reg",
            ["registration": reg.id!, "institution": w.township, "on": "2027-01-10"])
        try r.run(
            "filing.add", as: "zj-reg",
            [
                "physician": p, "institution": w.hangzhouSocial, "contract_no": "SL-3", "from": "2027-02-01",
                "to": "2027-12-31"
            ])
        let cancelled = try r.run(
            "registration.cancel", as: "zj-reg",
            ["registration": reg.id!, "reason": "own-application", "on": "2027-03-01"])
        #expect(cancelled.fields.first { $0.0 == "filings_ended" }?.1 == .int(1))
        #expect(
            try r.count("SELECT count(*) FROM registration WHERE status = 'cancelled' AND cancelled_on = '2027-03-01'")
                == 1)
    }

    @Test func refusedCommandLeavesOnlyItsEvent() throws {
        let r = try Registry()
        let w = try r.world()
        let (p, _) = try r.registeredPhysician(3, at: w.provincial)
        func snapshot() throws -> [Int] {
            try ["registration", "filing", "physician", "institution"].map {
                try r.count("SELECT count(*) FROM \(identifier: $0)")
            }
        }
        let before = try snapshot()
        let events = try r.count("SELECT count(*) FROM event")
        #expect(
            r.refusal(
                "filing.add", as: "zj-reg",
                [
                    "physician": p, "institution": w.nanjingClinic, "contract_no": "NJ-1", "from": "2026-03-02",
                    "to": "2026-12-31"
                ]) == "filing.outside-region")
        #expect(try snapshot() == before)
        #expect(try r.count("SELECT count(*) FROM event") == events + 1)
        #expect(
            try r.count(
                "SELECT count(*) FROM event WHERE outcome = 'refused' AND error_code = 'filing.outside-region' AND actor = 'zj-reg'"
            ) == 1)
    }

    @Test func crossProvinceNeedsASecondRegistration() throws {
        let r = try Registry()
        let w = try r.world()
        let (p, home) = try r.registeredPhysician(4, at: w.provincial)
        let contract: [String: Any] = [
            "physician": p, "institution": w.nanjingClinic, "contract_no": "NJ-1", "from": "2026-04-01",
            "to": "2027-03-31"
        ]
        #expect(r.refusal("filing.add", contract) == "filing.outside-region")
        // a registration in 江苏 with the home scopes, decided by a 江苏 registrar.
        #expect(
            r.refusal(
                "registration.apply", as: "js-reg", ["physician": p, "institution": w.nanjingHospital, "scope": "外科"])
                == "registration.scopes-differ")
        let js = try r.run(
            "registration.apply", as: "js-reg", ["physician": p, "institution": w.nanjingHospital, "scope": "内科"]
        ).id!
        #expect(r.refusal("registration.approve", as: "zj-reg", ["registration": js]) == "permission.denied")
        let approved = try r.run("registration.approve", as: "js-reg", ["registration": js])
        // The certificate number is issued once, on the first approval.
        #expect(approved.fields.first { $0.0 == "certificate_no" }?.1 == .text("110330000000001"))
        try r.run("filing.add", as: "js-reg", contract)
        #expect(try r.count("SELECT count(*) FROM registration WHERE status = 'active'") == 2)
        #expect(try r.count("SELECT count(*) FROM registration WHERE is_home AND id = \(UUID(uuidString: home)!)") == 1)
    }

    @Test func jiangsuRegistrarCannotApproveInZhejiangAndTheAttemptIsAnEvent() throws {
        let r = try Registry()
        let w = try r.world()
        let p = try r.run(
            "physician.add",
            [
                "name": "李娜", "id_number": Make.residentID(sequence: 5), "qualification_no": "Q5", "level": "physician",
                "category": "clinical"
            ]
        ).id!
        let reg = try r.run("registration.apply", ["physician": p, "institution": w.provincial, "scope": "内科"]).id!
        #expect(r.refusal("registration.approve", as: "js-reg", ["registration": reg]) == "permission.denied")
        // the practice region is the province
        #expect(r.refusal("registration.approve", as: "hz-reg", ["registration": reg]) == "permission.denied")
        #expect(try r.count("SELECT count(*) FROM registration WHERE status = 'pending'") == 1)
        #expect(
            try r.count(
                "SELECT count(*) FROM event WHERE actor = 'js-reg' AND command = 'registration.approve' AND outcome = 'refused' AND error_code = 'permission.denied'"
            ) == 1)
    }

    @Test func deathCancelsEveryRegistration() throws {
        let r = try Registry()
        let w = try r.world()
        let (p, home) = try r.registeredPhysician(6, at: w.provincial)
        let js = try r.run("registration.apply", ["physician": p, "institution": w.nanjingHospital, "scope": "内科"]).id!
        try r.run("registration.approve", ["registration": js])
        try r.run(
            "filing.add",
            ["physician": p, "institution": w.clinic, "contract_no": "C6", "from": "2026-03-02", "to": "2026-12-31"])
        let out = try r.run("registration.cancel", ["registration": home, "reason": "death", "on": "2026-05-01"])
        #expect(out.fields.first { $0.0 == "registrations_cancelled" }?.1 == .int(2))
        #expect(
            try r.count("SELECT count(*) FROM registration WHERE status = 'cancelled' AND cancel_reason = 'death'") == 2
        )
        #expect(try r.count("SELECT count(*) FROM filing WHERE status = 'active'") == 0)
        #expect(
            try r.count("SELECT count(*) FROM physician WHERE status = 'deceased' AND status_on = '2026-05-01'") == 1)
        #expect(
            r.refusal("registration.apply", ["physician": p, "institution": w.provincial, "scope": "内科"])
                == "physician.deceased")
    }

    @Test func cancellingHomePassesHomeToTheOtherRegistration() throws {
        let r = try Registry()
        let w = try r.world()
        let (p, home) = try r.registeredPhysician(7, at: w.provincial)
        let js = try r.run("registration.apply", ["physician": p, "institution": w.nanjingHospital, "scope": "内科"]).id!
        try r.run("registration.approve", ["registration": js])
        try r.run("registration.cancel", ["registration": home, "reason": "moved", "on": "2026-05-01"])
        #expect(try r.count("SELECT count(*) FROM registration WHERE is_home AND id = \(UUID(uuidString: js)!)") == 1)
    }

    @Test func assessmentFailureBlocksANewApplicationForAYear() throws {
        let r = try Registry()
        let w = try r.world()
        let (p, reg) = try r.registeredPhysician(8, at: w.provincial)
        try r.run("registration.cancel", ["registration": reg, "reason": "assessment-failed", "on": "2026-03-10"])
        r.today = .init(parsing: "2027-03-09")!
        #expect(
            r.refusal("registration.apply", ["physician": p, "institution": w.provincial, "scope": "内科"])
                == "registration.recently-cancelled")
        r.today = .init(parsing: "2027-03-10")!
        #expect(r.refusal("registration.apply", ["physician": p, "institution": w.provincial, "scope": "内科"]) == nil)
    }

    @Test func assistantsHoldOneRegistrationInTheirCounty() throws {
        let r = try Registry()
        let w = try r.world()
        let (p, reg) = try r.registeredPhysician(9, at: w.township, level: "assistant")
        #expect(
            try r.connection.query("SELECT region::text FROM registration WHERE id = \(UUID(uuidString: reg)!)")[0]
                .decode(0, as: String.self) == "330106")
        #expect(
            r.refusal("registration.apply", ["physician": p, "institution": w.nanjingHospital, "scope": "内科"])
                == "registration.assistant-single")
        #expect(
            r.refusal(
                "filing.add",
                [
                    "physician": p, "institution": w.hangzhouSocial, "contract_no": "X", "from": "2026-03-02",
                    "to": "2026-12-31"
                ]) == "filing.outside-region")
        #expect(
            r.refusal(
                "filing.add",
                ["physician": p, "institution": w.clinic, "contract_no": "Y", "from": "2026-03-02", "to": "2026-12-31"])
                == nil)
    }

    @Test func provincePolicyCapsActiveFilings() throws {
        let r = try Registry()
        let w = try r.world()
        #expect(
            r.refusal("policy.set", as: "js-reg", ["province": "330000", "max_active_filings": 1])
                == "permission.denied")
        try r.run("policy.set", as: "zj-reg", ["province": "330000", "max_active_filings": 1])
        let (p, _) = try r.registeredPhysician(10, at: w.provincial)
        try r.run(
            "filing.add",
            ["physician": p, "institution": w.clinic, "contract_no": "A", "from": "2026-03-02", "to": "2026-12-31"])
        #expect(
            r.refusal(
                "filing.add",
                [
                    "physician": p, "institution": w.township, "contract_no": "B", "from": "2026-03-02",
                    "to": "2026-12-31"
                ]) == "filing.cap")
        try r.run("policy.set", ["province": "330000", "no_max_active_filings": true])
        #expect(
            r.refusal(
                "filing.add",
                [
                    "physician": p, "institution": w.township, "contract_no": "B", "from": "2026-03-02",
                    "to": "2026-12-31"
                ]) == nil)
    }

    @Test func hrActsOnlyForItsInstitution() throws {
        let r = try Registry()
        let w = try r.world()
        let (p, _) = try r.registeredPhysician(11, at: w.provincial)
        #expect(
            r.refusal(
                "filing.add", as: "clinic-hr",
                ["physician": p, "institution": w.clinic, "contract_no": "H1", "from": "2026-03-02", "to": "2026-12-31"]
            ) == nil)
        #expect(
            r.refusal(
                "filing.add", as: "clinic-hr",
                [
                    "physician": p, "institution": w.township, "contract_no": "H2", "from": "2026-03-02",
                    "to": "2026-12-31"
                ]) == "permission.denied")
        #expect(
            r.refusal("registration.approve", as: "clinic-hr", ["registration": "00000000-0000-0000-0000-000000000000"])
                == "not-found")
        #expect(
            r.refusal(
                "institution.add", as: "zj-analyst",
                [
                    "name": "x", "uscc": Make.creditCode(region: "330106", serial: 99), "region": "330106",
                    "ownership": "public", "category": "clinic", "beds": 1
                ]) == "permission.denied")
        #expect(r.refusal("staff.add", as: "zj-reg", ["id": "x", "name": "x", "role": "admin"]) == "permission.denied")
        #expect(r.refusal("filing.list", as: "nobody", [:]) == "permission.denied")
    }

    @Test func idNumbersAreMaskedForReadersWithoutNeed() throws {
        let r = try Registry()
        let w = try r.world()
        let (p, _) = try r.registeredPhysician(12, at: w.provincial)
        let full = Make.residentID(sequence: 12)
        func shown(_ actor: String?) throws -> Cell? {
            try r.run("physician.show", as: actor, ["physician": p]).fields.first { $0.0 == "id_number" }?.1
        }
        #expect(try shown(nil) == .text(full))
        #expect(try shown("zj-reg") == .text(full))
        #expect(try shown("js-reg") == .text(String(full.prefix(6)) + "********" + String(full.suffix(4))))
        #expect(try shown("zj-analyst") != .text(full))
        let list = try r.run("physician.list", as: "zj-analyst", ["region": "330000"]).table!
        #expect(!list.renderCSV().contains(full))
        let events = try r.run("events.list", as: "zj-reg", [:]).table!
        #expect(!events.renderCSV().contains(full))
    }

    @Test func naturalKeysAndLowerCaseX() throws {
        let r = try Registry()
        let w = try r.world()
        let withX = "11010519491231002X"
        let p = try r.run(
            "physician.add",
            [
                "name": "王芳", "id_number": withX.lowercased(), "qualification_no": "QX", "level": "physician",
                "category": "tcm"
            ]
        ).id!
        #expect(try r.count("SELECT count(*) FROM physician WHERE id_number = \(withX)") == 1)
        let uscc = try r.connection.query(
            "SELECT uscc::text FROM institution WHERE id = \(UUID(uuidString: w.township)!)")[0].decode(
                0, as: String.self)
        let reg = try r.run(
            "registration.apply",
            ["physician": withX.lowercased(), "institution": uscc.lowercased(), "scope": "中医,中西医结合"]
        ).id!
        #expect(reg.count == 36)
        #expect(
            r.refusal(
                "physician.add",
                ["name": "重复", "id_number": withX, "qualification_no": "QY", "level": "physician", "category": "tcm"])
                == "physician.exists")
        _ = p
    }

    @Test func filingsEndWhenTheirInstitutionCloses() throws {
        let r = try Registry()
        let w = try r.world()
        let (p, _) = try r.registeredPhysician(13, at: w.provincial)
        let f = try r.run(
            "filing.add",
            ["physician": p, "institution": w.clinic, "contract_no": "CL-1", "from": "2026-03-02", "to": "2027-03-01"]
        ).id!
        try r.run("institution.suspend", ["institution": w.clinic, "on": "2026-04-01"])
        #expect(
            r.refusal(
                "filing.add",
                [
                    "physician": p, "institution": w.clinic, "contract_no": "CL-2", "from": "2027-03-02",
                    "to": "2027-12-31"
                ]) == "institution.inactive")
        #expect(try r.count("SELECT count(*) FROM filing WHERE status = 'active'") == 1)  // suspension ends nothing
        let closed = try r.run("institution.close", ["institution": w.clinic, "on": "2026-05-01"])
        #expect(closed.fields.first { $0.0 == "filings_ended" }?.1 == .int(1))
        #expect(
            try r.count(
                "SELECT count(*) FROM filing WHERE id = \(UUID(uuidString: f)!) AND status = 'ended' AND ended_on = '2026-05-01' AND end_reason = 'institution-closed'"
            ) == 1)
        #expect(
            r.refusal("institution.reinstate", ["institution": w.clinic, "on": "2026-06-01"]) == "institution.inactive")
        // Ending on request: once.
        #expect(r.refusal("filing.end", ["filing": f, "on": "2026-06-01"]) == "filing.not-active")
    }

    @Test func eventsCannotBeChanged() throws {
        let r = try Registry()
        _ = try r.world()
        #expect(throws: PostgresError.self) { try r.connection.execute("UPDATE event SET actor = 'x'") }
        #expect(throws: PostgresError.self) { try r.connection.execute("DELETE FROM event") }
        #expect(throws: PostgresError.self) { try r.connection.execute("TRUNCATE event") }
        #expect(try r.count("SELECT count(*) FROM event") > 0)
    }
}
