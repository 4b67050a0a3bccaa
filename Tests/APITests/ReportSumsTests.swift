import Testing
import Foundation
@testable import API
import Registration
import Dates
import Postgres
import TestSupport

/// Every report's parts add up to its totals, for any period: one test per report over a world built
/// across months (applications decided, rejected, cancelled, left pending; filings that start and end;
/// studios, nurses, credit records), read for periods before, across and after the events.
@Suite(.serialized) struct ReportSumsTests {
    /// The world, built once per test (each test gets its own database).
    static func world() throws -> (Registry, Registry.World, Registry.Programmes) {
        let r = try Registry(today: "2026-03-02")
        let w = try r.world()
        let x = try r.programmes()
        var registrations: [(String, String)] = []
        for n in 0..<8 {
            let id = Make.residentID(region: "330106", born: "19600101", sequence: 700 + n)
            let p = try r.run(
                "physician.add",
                [
                    "name": "医师\(n)", "id_number": id, "qualification_no": "RS\(n)", "level": "physician",
                    "category": "clinical"
                ]
            ).id!
            let at = [w.provincial, w.hangzhouSocial, w.nanjingHospital, w.township][n % 4]
            let reg = try r.run(
                "registration.apply",
                ["physician": p, "institution": at, "scope": ["内科"], "on": "2026-03-0\(1 + n % 2)"]
            ).id!
            registrations.append((p, reg))
        }
        // Decided on different days; one rejected, one left pending, one cancelled later, one on leave.
        for (i, (_, reg)) in registrations.enumerated() where i != 7 {
            if i == 6 {
                try r.run("registration.reject", ["registration": reg, "reason": "材料不全", "on": "2026-03-10"])
            } else {
                try r.run("registration.approve", ["registration": reg, "on": "2026-03-\(10 + i)"])
            }
        }
        try r.run(
            "registration.cancel", ["registration": registrations[5].1, "reason": "own-application", "on": "2026-05-01"]
        )
        // Filings from the Hangzhou physicians to social and public hosts, some ending.
        try r.run(
            "filing.add",
            [
                "physician": registrations[0].0, "institution": w.clinic, "contract_no": "S-1", "from": "2026-03-20",
                "to": "2026-06-30"
            ])
        try r.run(
            "filing.add",
            [
                "physician": registrations[0].0, "institution": x.gongshuTownship, "contract_no": "S-2",
                "from": "2026-04-01", "to": "2027-03-31"
            ])
        try r.run(
            "filing.add",
            [
                "physician": registrations[1].0, "institution": w.provincial, "contract_no": "S-3",
                "from": "2026-03-20", "to": "2026-12-31"
            ])
        try r.run("filing.end", ["institution": w.provincial, "contract_no": "S-3", "on": "2026-05-15"])
        try r.run(
            "filing.add",
            [
                "physician": registrations[2].0, "institution": w.nanjingClinic, "contract_no": "S-4",
                "from": "2026-03-25", "to": "2026-04-24"
            ])
        // Studios, nurses, credit.
        try r.run("registration.leave", ["registration": registrations[3].1, "reason": "retired", "on": "2026-04-30"])
        try r.run(
            "studio.open",
            ["physician": registrations[3].0, "host": w.township, "name": "医生工作室", "from": "2026-05-10", "resume": true]
        )
        try r.run(
            "studio.open", ["physician": registrations[0].0, "host": x.elderly, "name": "颐养工作室", "from": "2026-04-01"])
        _ = try r.registeredNurse(801, at: w.provincial, regional: true, approvedOn: "2026-03-02")
        let (n2, _) = try r.registeredNurse(802, at: w.hangzhouSocial, regional: true, approvedOn: "2026-03-05")
        _ = try r.registeredNurse(803, at: w.clinic, regional: false, approvedOn: "2026-04-01")
        try r.run(
            "nurse.file",
            ["nurse": n2, "institution": w.clinic, "contract_no": "N-1", "from": "2026-04-01", "to": "2027-03-31"])
        try r.run(
            "credit.add",
            ["subject": registrations[1].0, "kind": "blacklist", "on": "2026-04-01", "document": "浙卫罚〔2026〕9号"])
        try r.run(
            "credit.add", ["subject": w.clinic, "kind": "penalty", "on": "2026-04-02", "document": "浙卫罚〔2026〕10号"])
        return (r, w, x)
    }

    static let days = ["2026-02-01", "2026-03-02", "2026-03-12", "2026-04-15", "2026-06-30", "2027-01-01"]
    static let regions: [String?] = [nil, "330000", "330100", "320000"]

    /// Runs a report on `today` and returns it as its JSON reader would see it.
    static func report(_ r: Registry, _ name: String, today: String, _ args: [String: Any]) throws -> [String: Any] {
        r.today = CalendarDate(parsing: today)!
        let output = try r.run(name, args)
        return try #require(try JSONSerialization.jsonObject(with: Data(output.json.utf8)) as? [String: Any])
    }

    /// A report read on each day for each region (as of that day): its by-region figures `additive` must sum
    /// to the total row, and `more` checks what else must hold.
    static func eachDayAndRegion(
        _ r: Registry, _ name: String, additive: [String], _ more: ([String: Any], [[String: Any]], String) -> Void
    ) throws {
        for today in days {
            for region in regions {
                var args: [String: Any] = ["to": today]
                if let region { args["region"] = region }
                let report = try Self.report(r, name, today: today, args)
                let lines = rows(report, "by_region")
                let where_ = "\(name) on \(today), \(region ?? "all")"
                for key in additive {
                    let s = sum(lines, key)
                    #expect(s.parts == s.total, "\(key): \(where_)")
                }
                more(report, lines, where_)
            }
        }
    }

    static func rows(_ report: [String: Any], _ section: String) -> [[String: Any]] {
        report[section] as? [[String: Any]] ?? []
    }
    static func int(_ row: [String: Any], _ key: String) -> Int { row[key] as? Int ?? 0 }
    /// The figure summed over the region rows, and the total row's.
    static func sum(_ rows: [[String: Any]], _ key: String) -> (parts: Int, total: Int) {
        (
            rows.filter { $0["region"] as? String != "total" }.reduce(0) { $0 + int($1, key) },
            rows.first { $0["region"] as? String == "total" }.map { int($0, key) } ?? 0
        )
    }

    @Test func processing() throws {
        let (r, _, _) = try Self.world()
        for today in Self.days.dropFirst() {
            for to in Self.days where to <= today {
                for region in Self.regions {
                    var args: [String: Any] = ["to": to, "from": "2026-01-01"]
                    if let region { args["region"] = region }
                    let report = try Self.report(r, "report.processing", today: today, args)
                    let lines = Self.rows(report, "by_region")
                    for line in lines {
                        let where_ = "today \(today), to \(to), region \(region ?? "all"), \(line["region"] ?? "")"
                        #expect(
                            Self.int(line, "applications") == Self.int(line, "pending") + Self.int(line, "approved")
                                + Self.int(line, "rejected"), "\(where_)")
                        #expect(
                            Self.int(line, "decided") == Self.int(line, "approved") + Self.int(line, "rejected"),
                            "\(where_)")
                        #expect(Self.int(line, "overdue") <= Self.int(line, "pending"), "\(where_)")
                    }
                    for key in ["applications", "pending", "approved", "rejected", "decided", "overdue"] {
                        let s = Self.sum(lines, key)
                        #expect(s.parts == s.total, "\(key): today \(today), to \(to), region \(region ?? "all")")
                    }
                    #expect(report["applications"] as? Int == Self.sum(lines, "applications").total)
                }
            }
        }
        // Everything applied was counted once the period covers it.
        let all = try Self.report(
            r, "report.processing", today: "2027-01-01", ["from": "2026-01-01", "to": "2027-01-01"])
        #expect(all["applications"] as? Int == 8)
        // A decision dated after today, as data older than input.future-date may hold: still decided, still adds up.
        try r.connection.execute("ALTER TABLE registration DISABLE TRIGGER USER")
        try r.connection.execute("UPDATE registration SET decided_on = '2030-01-01' WHERE status = 'rejected'")
        try r.connection.execute("ALTER TABLE registration ENABLE TRIGGER USER")
        let ahead = Self.rows(
            try Self.report(r, "report.processing", today: "2026-04-15", ["from": "2026-01-01", "to": "2026-04-15"]),
            "by_region")
        let total = try #require(ahead.first { $0["region"] as? String == "total" })
        #expect(
            Self.int(total, "applications") == 8 && Self.int(total, "rejected") == 1 && Self.int(total, "decided") == 7
                && Self.int(total, "pending") == 1)
    }

    @Test func multisite() throws {
        let (r, _, _) = try Self.world()
        for today in Self.days.dropFirst() {
            for from in Self.days where from <= today {
                for region in Self.regions {
                    var args: [String: Any] = ["from": from, "to": today, "live": true]
                    if let region { args["region"] = region }
                    let report = try Self.report(r, "report.multisite", today: today, args)
                    let lines = Self.rows(report, "by_region"), categories = Self.rows(report, "by_category")
                    let where_ = "today \(today), from \(from), region \(region ?? "all")"
                    for line in lines + categories {
                        let flows = ["public_to_social", "public_to_public", "social_to_social", "social_to_public"]
                            .reduce(0) { $0 + Self.int(line, $1) }
                        #expect(
                            Self.int(line, "filings") == Self.int(line, "at_public") + Self.int(line, "at_social"),
                            "\(where_)")
                        #expect(Self.int(line, "filings") == flows, "\(where_)")
                        #expect(Self.int(line, "physicians") <= Self.int(line, "filings"), "\(where_)")
                    }
                    for key in ["filings", "at_public", "at_social", "public_to_social", "social_to_public"] {
                        let s = Self.sum(lines, key)
                        #expect(s.parts == s.total, "\(key): \(where_)")
                    }
                    let total = Self.sum(lines, "filings").total
                    #expect(categories.reduce(0) { $0 + Self.int($1, "filings") } == total, "\(where_)")
                    #expect(
                        report["filings"] as? Int == total
                            && report["public_to_social"] as? Int == Self.sum(lines, "public_to_social").total,
                        "\(where_)")
                    // A physician filing in two regions is one physician in the total.
                    let physicians = Self.sum(lines, "physicians")
                    #expect(
                        physicians.total <= physicians.parts && report["physicians_filing"] as? Int == physicians.total,
                        "\(where_)")
                }
            }
        }
    }

    @Test func socialBeds() throws {
        let (r, _, _) = try Self.world()
        try Self.eachDayAndRegion(
            r, "report.social-beds", additive: ["institutions", "social_institutions", "beds", "social_beds"]
        ) { report, lines, where_ in
            for line in lines {
                #expect(
                    Self.int(line, "social_beds") <= Self.int(line, "beds")
                        && Self.int(line, "social_institutions") <= Self.int(line, "institutions"), "\(where_)")
            }
            #expect(
                report["beds"] as? Int == Self.sum(lines, "beds").total
                    && report["social_beds"] as? Int == Self.sum(lines, "social_beds").total, "\(where_)")
        }
    }

    @Test func studios() throws {
        let (r, _, _) = try Self.world()
        try Self.eachDayAndRegion(
            r, "report.studios",
            additive: ["open_studios", "at_elderly_care", "grassroots_institutions", "grassroots_hosting"]
        ) { report, lines, where_ in
            for line in lines {
                #expect(Self.int(line, "at_elderly_care") <= Self.int(line, "open_studios"), "\(where_)")
                #expect(Self.int(line, "grassroots_hosting") <= Self.int(line, "grassroots_institutions"), "\(where_)")
            }
            #expect(report["open_studios"] as? Int == Self.sum(lines, "open_studios").total, "\(where_)")
        }
    }

    @Test func nursePilot() throws {
        let (r, _, _) = try Self.world()
        try Self.eachDayAndRegion(
            r, "report.nurse-pilot",
            additive: ["active_registrations", "regional", "nurses_at_2plus_sites", "nurse_filings"]
        ) { report, lines, where_ in
            for line in lines {
                #expect(Self.int(line, "regional") <= Self.int(line, "active_registrations"), "\(where_)")
            }
            #expect(report["regional_registrations"] as? Int == Self.sum(lines, "regional").total, "\(where_)")
            #expect(
                report["nurses_at_2plus_sites"] as? Int == Self.sum(lines, "nurses_at_2plus_sites").total, "\(where_)")
        }
    }

    @Test func expiring() throws {
        let (r, _, _) = try Self.world()
        for today in Self.days {
            for within in [0, 30, 365] {
                let report = try Self.report(r, "report.expiring", today: today, ["within": within])
                for section in ["contracts", "nurse_registrations", "leave_clocks"] {
                    #expect(
                        report[section + "_count"] as? Int == Self.rows(report, section).count,
                        "\(section): \(today) within \(within)")
                }
            }
        }
    }

    @Test func credit() throws {
        let (r, _, _) = try Self.world()
        for today in Self.days {
            for region in Self.regions {
                var args: [String: Any] = ["to": today]
                if let region { args["region"] = region }
                let report = try Self.report(r, "report.credit", today: today, args)
                #expect(
                    report["blacklist_in_force"] as? Int == Self.rows(report, "blacklist").count,
                    "\(today) \(region ?? "all")")
                #expect(
                    report["needing_follow_up"] as? Int == Self.rows(report, "follow_up").count,
                    "\(today) \(region ?? "all")")
                #expect(Self.rows(report, "follow_up").count <= Self.rows(report, "blacklist").count)
            }
        }
    }

    @Test func roster() throws {
        let (r, w, _) = try Self.world()
        for today in Self.days {
            for institution in [w.provincial, w.clinic, w.township, w.hangzhouSocial] {
                let report = try Self.report(r, "report.roster", today: today, ["institution": institution])
                let roster = Self.rows(report, "roster")
                // Each person once per way they practise there; none twice the same way.
                let keys = roster.map {
                    "\($0["id_number"] ?? "")|\($0["kind"] ?? "")|\($0["role"] ?? "")|\($0["since"] ?? "")"
                }
                #expect(Set(keys).count == keys.count, "\(today) \(institution): \(roster)")
                #expect(report["as_of"] as? String == today)
            }
        }
    }
}
