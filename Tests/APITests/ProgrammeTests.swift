import Testing
import Foundation
@testable import API
import Registration
import Postgres
import TestSupport

@Suite struct StudioTests {
    @Test func retiredPhysicianResumesThroughAStudio() throws {
        let r = try Registry()
        let w = try r.world()
        let (p, reg) = try r.registeredPhysician(201, at: w.provincial)
        try r.run("registration.leave", ["registration": reg, "reason": "retired", "on": "2026-04-30"])
        #expect(try r.count("SELECT count(*) FROM physician WHERE status = 'retired'") == 1)
        #expect(
            r.refusal("studio.open", ["physician": p, "host": w.township, "name": "张医生工作室", "from": "2026-06-01"])
                == "registration.not-active")
        let studio = try r.run(
            "studio.open", ["physician": p, "host": w.township, "name": "张医生工作室", "from": "2026-06-01", "resume": true])
        #expect(studio.fields.first { $0.0 == "resumed_registration" }?.1 == .text(reg))
        let row = try r.connection.query(
            "SELECT status, institution, leave_since FROM registration WHERE id = \(UUID(uuidString: reg)!)")[0]
        #expect(try row.decode(0, as: String.self) == "active")
        #expect(try row.decode(1, as: UUID.self).text == w.township)
        #expect(try row.decode(2, as: String?.self) == nil)
    }

    @Test func hostsMustBeGrassrootsOrElderlyCare() throws {
        let r = try Registry()
        let w = try r.world()
        let x = try r.programmes()
        let (p, _) = try r.registeredPhysician(202, at: w.provincial)
        #expect(
            r.refusal("studio.open", ["physician": p, "host": w.hangzhouSocial, "name": "S", "from": "2026-04-01"])
                == "studio.host-ineligible")
        #expect(
            r.refusal("studio.open", ["physician": p, "host": x.elderly, "name": "颐养工作室", "from": "2026-04-01"]) == nil)
        #expect(
            r.refusal("studio.open", ["physician": p, "host": x.elderly, "name": "第二间", "from": "2026-05-01"])
                == "studio.exists")
        #expect(
            r.refusal("studio.open", ["physician": p, "host": w.clinic, "name": "门诊工作室", "from": "2026-05-01"]) == nil)
        #expect(
            r.refusal("studio.open", ["physician": p, "host": x.nanjingTownship, "name": "南京", "from": "2026-05-01"])
                == "studio.outside-region")
        #expect(
            r.refusal(
                "studio.open", ["physician": p, "host": w.township, "name": "S", "from": "2026-05-01", "resume": true])
                == "input.resume")
    }

    @Test func ageLimitIsAProvincialPolicy() throws {
        let r = try Registry()
        let w = try r.world()
        let (p, _) = try r.registeredPhysician(203, at: w.provincial)  // born 1975-03-12
        try r.run("policy.set", ["province": "330000", "studio_max_age": 50])
        #expect(
            r.refusal("studio.open", ["physician": p, "host": w.township, "name": "S", "from": "2026-03-12"])
                == "studio.age")
        try r.run("policy.set", ["province": "330000", "studio_max_age": 51])
        #expect(
            r.refusal("studio.open", ["physician": p, "host": w.township, "name": "S", "from": "2026-03-12"]) == nil)
    }

    @Test func studiosCloseWithTheirRegistrationAndTheirHost() throws {
        let r = try Registry()
        let w = try r.world()
        let x = try r.programmes()
        let (p1, reg1) = try r.registeredPhysician(204, at: w.provincial)
        let (p2, _) = try r.registeredPhysician(205, at: w.provincial)
        let s1 = try r.run("studio.open", ["physician": p1, "host": w.township, "name": "A", "from": "2026-04-01"]).id!
        try r.run("studio.open", ["physician": p2, "host": x.elderly, "name": "B", "from": "2026-04-01"])
        let cancel = try r.run(
            "registration.cancel", ["registration": reg1, "reason": "certificate-revoked", "on": "2026-06-01"])
        #expect(cancel.fields.first { $0.0 == "studios_closed" }?.1 == .int(1))
        #expect(
            try r.count(
                "SELECT count(*) FROM studio WHERE id = \(UUID(uuidString: s1)!) AND status = 'closed' AND closed_on = '2026-06-01'"
            ) == 1)
        let closed = try r.run("institution.close", ["institution": x.elderly, "on": "2026-07-01"])
        #expect(closed.fields.first { $0.0 == "studios_closed" }?.1 == .int(1))
        #expect(try r.count("SELECT count(*) FROM studio WHERE status = 'open'") == 0)
        #expect(r.refusal("studio.close", ["studio": s1, "on": "2026-08-01"]) == "studio.closed")
    }
}

@Suite struct NursePilotTests {
    @Test func regionalNurseFilesInsideThePilotOnly() throws {
        let r = try Registry()
        let w = try r.world()
        let x = try r.programmes()
        let (n, _) = try r.registeredNurse(301, at: w.provincial, regional: true)
        #expect(
            try r.connection.query("SELECT expires_on::text FROM nurse_registration")[0].decode(0, as: String.self)
                == "2031-03-02")
        #expect(
            r.refusal(
                "nurse.file",
                [
                    "nurse": n, "institution": w.hangzhouSocial, "contract_no": "N1", "from": "2026-04-01",
                    "to": "2027-03-31"
                ]) == nil)
        #expect(
            r.refusal(
                "nurse.file",
                [
                    "nurse": n, "institution": x.gongshuTownship, "contract_no": "N2", "from": "2026-04-01",
                    "to": "2027-03-31"
                ]) == nil)
        #expect(
            r.refusal(
                "nurse.file",
                [
                    "nurse": n, "institution": w.nanjingClinic, "contract_no": "N3", "from": "2026-04-01",
                    "to": "2027-03-31"
                ]) == "nurse.not-in-pilot")
        #expect(
            r.refusal(
                "nurse.file",
                ["nurse": n, "institution": w.provincial, "contract_no": "N4", "from": "2026-04-01", "to": "2027-03-31"]
            ) == "filing.primary-institution")
        #expect(
            r.refusal(
                "nurse.file",
                [
                    "nurse": n, "institution": w.hangzhouSocial, "contract_no": "N5", "from": "2026-05-01",
                    "to": "2026-06-30"
                ]) == "filing.overlap")
    }

    @Test func outsideAPilotNursesAreBoundToTheirInstitution() throws {
        let r = try Registry()
        let w = try r.world()
        _ = try r.programmes()
        let m = try r.run(
            "nurse.add",
            [
                "name": "南京护士", "id_number": Make.residentID(region: "320102", born: "19920202", sequence: 7),
                "qualification_no": "NJ7"
            ]
        ).id!
        #expect(
            r.refusal("nurse.register", ["nurse": m, "institution": w.nanjingHospital, "regional": true])
                == "nurse.not-in-pilot")
        let (n, _) = try r.registeredNurse(302, at: w.provincial, regional: false)
        #expect(
            r.refusal(
                "nurse.file",
                ["nurse": n, "institution": w.clinic, "contract_no": "B1", "from": "2026-04-01", "to": "2026-12-31"])
                == "nurse.not-in-pilot")
        #expect(r.refusal("nurse.register", ["nurse": n, "institution": w.clinic]) == "nurse.registration-exists")
        // Approval checks the institution again: closed in between, it refuses.
        let o = try r.run(
            "nurse.add",
            [
                "name": "晚到", "id_number": Make.residentID(region: "330102", born: "19910101", sequence: 9),
                "qualification_no": "N9"
            ]
        ).id!
        let pending = try r.run("nurse.register", ["nurse": o, "institution": w.township]).id!
        try r.run("institution.close", ["institution": w.township, "on": "2026-03-02"])
        #expect(r.refusal("nurse.approve", ["registration": pending]) == "institution.inactive")
    }

    @Test func pilotsAtAnyLevelCountForDescendants() throws {
        let r = try Registry()
        let w = try r.world()
        try r.run("pilot.add", ["region": "320000", "from": "2026-02-01", "to": "2026-12-31"])
        let m = try r.run(
            "nurse.add",
            [
                "name": "南京护士", "id_number": Make.residentID(region: "320102", born: "19920202", sequence: 8),
                "qualification_no": "NJ8"
            ]
        ).id!
        #expect(
            r.refusal(
                "nurse.register", ["nurse": m, "institution": w.nanjingHospital, "regional": true, "on": "2026-01-31"])
                == "nurse.not-in-pilot")
        #expect(
            r.refusal(
                "nurse.register", ["nurse": m, "institution": w.nanjingHospital, "regional": true, "on": "2026-02-01"])
                == nil)
    }

    @Test func renewalWindowAndExpiry() throws {
        let r = try Registry(today: "2021-03-01")
        let w = try r.world()
        // expires 2026-03-01
        let (_, reg) = try r.registeredNurse(303, at: w.provincial, regional: false, approvedOn: "2021-03-01")
        #expect(r.refusal("nurse.approve", ["registration": reg]) == "registration.not-pending")
        #expect(r.refusal("nurse.reject", ["registration": reg, "reason": "x"]) == "registration.not-pending")
        // 29 days before
        #expect(r.refusal("nurse.renew", ["registration": reg, "on": "2026-01-31"]) == "nurse.renewal-too-late")
        #expect(r.refusal("nurse.renew", ["registration": reg, "on": "2026-03-01"]) == "nurse.expired")
        let renewed = try r.run("nurse.renew", ["registration": reg, "on": "2026-01-30"])  // 30 days before
        #expect(renewed.fields.first { $0.0 == "expires_on" }?.1 == .text("2031-03-01"))
    }

    @Test func pilotEndEndsRegionalFilings() throws {
        let r = try Registry()
        let w = try r.world()
        let x = try r.programmes()
        let (n, _) = try r.registeredNurse(304, at: w.provincial, regional: true)
        try r.run(
            "nurse.file",
            ["nurse": n, "institution": w.hangzhouSocial, "contract_no": "P1", "from": "2026-04-01", "to": "2027-03-31"]
        )
        try r.run("pilot.end", ["pilot": x.pilot, "on": "2026-06-30"])
        // still in the pilot today
        #expect(try r.count("SELECT count(*) FROM nurse_filing WHERE status = 'active'") == 1)
        r.today = .init(parsing: "2026-07-01")!
        let out = try r.run("maintain", [:])
        #expect(out.table!.rows[4][1] == .int(1))
        #expect(
            try r.count(
                "SELECT count(*) FROM nurse_filing WHERE status = 'ended' AND ended_on = '2026-06-30' AND end_reason = 'pilot-ended'"
            ) == 1)
        // the registration stays
        #expect(try r.count("SELECT count(*) FROM nurse_registration WHERE status = 'active'") == 1)
        #expect(
            r.refusal(
                "nurse.file",
                [
                    "nurse": n, "institution": x.gongshuTownship, "contract_no": "P2", "from": "2026-07-01",
                    "to": "2026-12-31"
                ]) == "nurse.not-in-pilot")
    }
}

@Suite struct CreditTests {
    @Test func blacklistBlocksNewWorkUntilLifted() throws {
        let r = try Registry()
        let w = try r.world()
        let (p, _) = try r.registeredPhysician(401, at: w.provincial)
        let contract: [String: Any] = [
            "physician": p, "institution": w.clinic, "contract_no": "B1", "from": "2026-03-02", "to": "2026-12-31"
        ]
        let black = try r.run(
            "credit.add", as: "zj-reg",
            [
                "subject": Make.residentID(sequence: 401), "kind": "blacklist", "on": "2026-03-01",
                "document": "浙卫罚〔2026〕1号"
            ]
        ).id!
        #expect(r.refusal("filing.add", contract) == "physician.blacklisted")
        #expect(
            r.refusal("studio.open", ["physician": p, "host": w.township, "name": "S", "from": "2026-04-01"])
                == "physician.blacklisted")
        #expect(
            r.refusal("registration.apply", ["physician": p, "institution": w.nanjingHospital, "scope": "内科"])
                == "physician.blacklisted")
        #expect(try r.run("credit.list", ["in_force": true]).table!.rows.count == 1)
        try r.run("credit.lift", as: "zj-reg", ["credit": black, "on": "2026-03-02"])
        #expect(r.refusal("credit.lift", ["credit": black, "on": "2026-03-05"]) == "credit.lifted")
        #expect(r.refusal("filing.add", contract) == nil)
    }

    @Test func blacklistedInstitutionTakesNoFilingsAndExpiredRecordsDoNotCount() throws {
        let r = try Registry()
        let w = try r.world()
        let (p, _) = try r.registeredPhysician(402, at: w.provincial)
        let uscc = try r.connection.query(
            "SELECT uscc::text FROM institution WHERE id = \(UUID(uuidString: w.clinic)!)")[0].decode(
                0, as: String.self)
        try r.run(
            "credit.add",
            ["subject": uscc, "kind": "blacklist", "on": "2025-01-01", "until": "2026-03-01", "document": "D1"])
        #expect(
            r.refusal(
                "filing.add",
                ["physician": p, "institution": w.clinic, "contract_no": "C1", "from": "2026-03-02", "to": "2026-12-31"]
            ) == nil)
        try r.run("credit.add", ["subject": uscc, "kind": "blacklist", "on": "2026-03-02", "document": "D2"])
        #expect(
            r.refusal(
                "filing.add",
                [
                    "physician": p, "institution": w.township, "contract_no": "C2", "from": "2026-03-02",
                    "to": "2026-12-31"
                ]) == nil)
        let (q, _) = try r.registeredPhysician(403, at: w.provincial)
        #expect(
            r.refusal(
                "filing.add",
                ["physician": q, "institution": w.clinic, "contract_no": "C3", "from": "2026-03-02", "to": "2026-12-31"]
            ) == "institution.blacklisted")
        // existing filings are not touched automatically.
        #expect(try r.count("SELECT count(*) FROM filing WHERE status = 'active' AND contract_no = 'C1'") == 1)
        #expect(
            r.refusal(
                "credit.add",
                ["subject": uscc, "kind": "warning", "on": "2026-03-02", "until": "2026-01-01", "document": "D3"])
                == "input.period")
        #expect(
            r.refusal(
                "credit.add", as: "js-reg", ["subject": uscc, "kind": "warning", "on": "2026-03-02", "document": "D4"])
                == "permission.denied")
    }

    @Test func blacklistedNurseCannotRenew() throws {
        let r = try Registry(today: "2021-03-01")
        let w = try r.world()
        let (n, reg) = try r.registeredNurse(404, at: w.provincial, regional: false, approvedOn: "2021-03-01")
        try r.run("credit.add", ["subject": n, "kind": "blacklist", "on": "2021-03-01", "document": "D"])
        #expect(r.refusal("nurse.renew", ["registration": reg, "on": "2025-12-01"]) == "nurse.blacklisted")
    }
}

@Suite struct InspectTests {
    @Test func sameSeedSameDrawOtherSeedOtherDraw() throws {
        let r = try Registry()
        _ = try r.world()
        for i in 0..<30 {
            try r.run(
                "institution.add",
                [
                    "name": "诊所\(i)", "uscc": Make.creditCode(region: "330106", serial: 500 + i), "region": "330106",
                    "ownership": "social", "category": "clinic", "beds": 0
                ])
        }
        for i in 0..<8 {
            try r.run("staff.add", ["id": "insp-\(i)", "name": "检查员\(i)", "role": "registrar", "region": "330100"])
        }
        func draw(_ seed: String) throws -> [String] {
            try r.run(
                "inspect.draw", as: "zj-reg", ["region": "330100", "institutions": 5, "inspectors": 2, "seed": seed]
            ).table!.rows.map { $0[2].plain }
        }
        let a = try draw("2026-Q1")
        #expect(a.count == 7)
        #expect(try draw("2026-Q1") == a)
        #expect(try draw("2026-Q2") != a)
        #expect(
            try r.count("SELECT count(*) FROM event WHERE command = 'inspect.draw' AND details->>'seed' = '2026-Q1'")
                == 2)
        #expect(
            r.refusal(
                "inspect.draw", as: "js-reg", ["region": "330100", "institutions": 1, "inspectors": 1, "seed": "x"])
                == "permission.denied")
    }

    @Test func drawIsStableAcrossRunsAndPlatforms() {
        // Golden values, also produced by an independent Python implementation of
        // FNV-1a + SplitMix64 + partial Fisher–Yates: they must never change.
        var d = SeededDraw(seed: "2026-Q1")
        #expect(d.sample(Array(0..<20), count: 5) == [0, 3, 13, 4, 9])
        var e = SeededDraw(seed: "")
        #expect(e.next() == 14_087_677_454_934_409_008)
        var f = SeededDraw(seed: "2026-Q1")
        #expect(f.sample(Array(0..<3), count: 10).sorted() == [0, 1, 2])
    }
}

@Suite struct MaintenanceTests {
    /// The changes the run made (not the precomputed report rows it also reports).
    func counts(_ out: CommandOutput) -> [Int] {
        out.table!.rows.filter {
            !$0[0].plain.hasPrefix("national multi-site") && !$0[0].plain.hasPrefix("events sealed")
        }.map { if case .int(let n) = $0[1] { return n } else { return -1 } }
    }

    @Test func contractEndsAcrossAMonthBoundaryAndIdempotently() throws {
        let r = try Registry()
        let w = try r.world()
        let (p, _) = try r.registeredPhysician(501, at: w.provincial)
        try r.run(
            "filing.add",
            ["physician": p, "institution": w.clinic, "contract_no": "M1", "from": "2026-03-02", "to": "2026-03-31"])
        try r.run(
            "filing.add",
            ["physician": p, "institution": w.township, "contract_no": "M2", "from": "2026-03-02", "to": "2026-04-30"])
        #expect(counts(try r.run("maintain", ["on": "2026-03-31"])) == [0, 0, 0, 0, 0])
        #expect(counts(try r.run("maintain", ["on": "2026-04-01"])) == [1, 0, 0, 0, 0])
        #expect(counts(try r.run("maintain", ["on": "2026-04-01"])) == [0, 0, 0, 0, 0])
        #expect(
            try r.count(
                "SELECT count(*) FROM filing WHERE contract_no = 'M1' AND status = 'ended' AND ended_on = '2026-03-31'")
                == 1)
        // Missed days are caught up: a run for June ends what ended in April.
        #expect(counts(try r.run("maintain", ["on": "2026-06-15"])) == [1, 0, 0, 0, 0])
        #expect(try r.count("SELECT count(*) FROM filing WHERE contract_no = 'M2' AND ended_on = '2026-04-30'") == 1)
    }

    @Test func twoYearsOnLeaveAcrossALeapDay() throws {
        let r = try Registry(today: "2024-01-02")
        let w = try r.world()
        let (_, reg) = try r.registeredPhysician(502, at: w.provincial)
        let x = try r.programmes()
        let (p2, _) = try r.registeredPhysician(503, at: w.provincial)
        try r.run("studio.open", ["physician": p2, "host": x.elderly, "name": "S", "from": "2024-01-10"])
        let reg2 = try r.connection.query("SELECT id FROM registration WHERE physician = \(UUID(uuidString: p2)!)")[0]
            .decode(0, as: UUID.self)
        try r.run("registration.leave", ["registration": reg, "reason": "resigned", "on": "2024-02-29"])
        try r.run("registration.leave", ["registration": reg2.text, "reason": "retired", "on": "2024-03-01"])
        #expect(counts(try r.run("maintain", ["on": "2026-02-27"])) == [0, 0, 0, 0, 0])
        #expect(counts(try r.run("maintain", ["on": "2026-02-28"])) == [0, 0, 1, 0, 0])
        #expect(
            try r.count(
                "SELECT count(*) FROM registration WHERE id = \(UUID(uuidString: reg)!) AND status = 'cancelled' AND cancel_reason = 'leave-2y' AND cancelled_on = '2026-02-28'"
            ) == 1)
        #expect(counts(try r.run("maintain", ["on": "2026-02-28"])) == [0, 0, 0, 0, 0])
        #expect(counts(try r.run("maintain", ["on": "2026-03-01"])) == [0, 0, 1, 0, 0])
        // the studio that depended on the lapsed registration closed with it.
        #expect(try r.count("SELECT count(*) FROM studio WHERE status = 'closed' AND closed_on = '2026-03-01'") == 1)
    }

    @Test func nurseRegistrationsExpire() throws {
        let r = try Registry(today: "2021-03-01")
        let w = try r.world()
        _ = try r.registeredNurse(504, at: w.provincial, regional: false, approvedOn: "2021-03-01")
        #expect(counts(try r.run("maintain", ["on": "2026-02-28"])) == [0, 0, 0, 0, 0])
        #expect(counts(try r.run("maintain", ["on": "2026-03-01"])) == [0, 0, 0, 1, 0])
        #expect(counts(try r.run("maintain", ["on": "2026-03-01"])) == [0, 0, 0, 0, 0])
        #expect(try r.count("SELECT count(*) FROM nurse_registration WHERE status = 'expired'") == 1)
    }

    @Test func onlyAdminRunsIt() throws {
        let r = try Registry()
        _ = try r.world()
        #expect(r.refusal("maintain", as: "zj-reg", [:]) == "permission.denied")
    }
}
