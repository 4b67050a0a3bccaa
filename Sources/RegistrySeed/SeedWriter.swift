import Dates
import Foundation
import Logging
import RegistryStore
import Registration

/// Writes a `SeedWorld` table by table with COPY.
final class SeedWriter {
    let world: SeedWorld
    let store: Store
    let provinceNames: [String: String]
    let logger = Logger(label: "regctl.seed")
    private var events: [[String?]] = []
    private var counts: [(String, Int)] = []

    init(world: SeedWorld, store: Store) throws {
        self.world = world
        self.store = store
        self.provinceNames = try store.provinceNames()
    }

    /// The counties of the scale (leaves of the region tree below the provinces), in code order.
    static func world(_ store: Store, seed: UInt64, scale: SeedScale, asOf: CalendarDate) throws -> SeedWorld {
        let counties = try store.leafCounties(provincePrefixes: scale.provincePrefixes ?? []).map {
            SeedCounty(code: $0.code, name: $0.name, province: $0.province)
        }
        return SeedWorld(seed: seed, scale: scale, asOf: asOf, counties: counties)
    }

    /// Every table, in the order their references need; returns rows per table.
    func writeAll() throws -> [(String, Int)] {
        try writeInstitutions()
        try writePhysicians()
        try writeRegistrations()
        try writeFilings()
        try writeStudios()
        try writeNurses()
        try writePilots()
        try writeNurseRegistrations()
        try writeNurseFilings()
        try writeCreditRecords()
        try writeEvents()
        return counts
    }

    private func copy(_ table: String, _ columns: String, _ body: (BulkRows) throws -> Void) throws {
        let t0 = Date()
        let n = try store.copyRows(
            into: table, columns: columns.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }, body)
        logger.info("seed: \(table) \(n) rows in \(String(format: "%.1f", Date().timeIntervalSince(t0))) s")
        counts.append((table, n))
    }

    private var w: SeedWorld { world }
    private var physicians: Range<Int> { 0..<(world.physicianStart.last ?? 0) }
    private var nurses: Range<Int> { 0..<(world.nurseStart.last ?? 0) }
    /// Events are written for the last 60 days' decisions.
    private var recent: CalendarDate { world.asOf.adding(days: -60) }

    private func writeInstitutions() throws {
        try copy(
            "institution",
            "id, province, uscc, name, license_no, region, ownership, for_profit, category, beds, status, status_on, created_at"
        ) { out in
            for (j, inst) in w.institutions.enumerated() {
                let county = w.counties[Int(inst.county)]
                try out.appendRow([
                    w.uuid(.institution, j), county.province,
                    SeedText.creditCode(index: j, county: county.code, social: inst.social, forProfit: inst.forProfit),
                    SeedText.institutionName(inst, county: county.name, index: j), "PDY" + SeedText.padded(j, 8),
                    county.code,
                    inst.social ? "social" : "public", inst.forProfit ? "t" : "f", inst.category.rawValue,
                    String(inst.beds),
                    inst.status.rawValue, inst.status == .active ? nil : w.asOf.adding(days: -(j % 700)).description,
                    SeedWriter.timestamp(SeedWorld.reformStart.adding(days: -(j % 3000)))
                ])
            }
        }
    }

    private func writePhysicians() throws {
        try copy(
            "physician",
            "id, id_number, name, sex, birth_date, qualification_no, level, category, status, status_on, certificate_no, created_at"
        ) { out in
            for i in physicians {
                let p = SeedPhysician(w, i)
                let county = w.counties[p.county].code
                try out.appendRow([
                    w.uuid(.physician, i), p.identity.idNumber, p.name, p.identity.sex == .male ? "M" : "F",
                    p.identity.birth.description,
                    p.level.certificateDigit + p.category.certificateDigits + county
                        + SeedText.padded(i - w.physicianStart[p.county], 6),
                    p.level.rawValue, p.category.rawValue, p.status.rawValue, p.statusOn?.description, p.certificateNo,
                    SeedWriter.timestamp(p.registration?.applied ?? SeedWorld.reformStart)
                ])
            }
        }
    }

    private func writeRegistrations() throws {
        try copy(
            "registration",
            "id, province, physician, region, institution, category, scopes, status, is_home, applied_on, decided_on, effective_on, decided_by, rejection_reason, leave_since, leave_reason, cancelled_on, cancel_reason"
        ) { out in
            for i in physicians {
                let p = SeedPhysician(w, i)
                guard let r = p.registration else { continue }
                let id = w.uuid(.registration, i), physician = w.uuid(.physician, i),
                    institution = w.uuid(.institution, r.institution)
                let approved = r.decided != nil && r.status != .rejected
                try out.appendRow([
                    id, w.counties[p.county].province, physician, r.region, institution, p.category.rawValue,
                    "{" + r.scopes.map { "\"\($0)\"" }.joined(separator: ",") + "}", r.status.rawValue, "t",
                    r.applied.description, r.decided?.description, approved ? r.decided?.description : nil,
                    r.decided == nil ? nil : "seed",
                    r.rejection, r.leaveSince?.description, r.leaveReason?.rawValue, r.cancelled?.description,
                    r.cancelReason?.rawValue
                ])
                if r.applied >= recent {
                    events.append(
                        SeedWriter.event(
                            w, events.count, at: r.applied, command: "registration.apply", subjects: [id, physician],
                            arguments:
                                "{\"physician\": \"\(physician)\", \"institution\": \"\(institution)\", \"scope\": \"\(r.scopes.joined(separator: ","))\"}"
                        ))
                }
                if let d = r.decided, d >= recent {
                    events.append(
                        SeedWriter.event(
                            w, events.count, at: d,
                            command: r.status == .rejected ? "registration.reject" : "registration.approve",
                            subjects: [id], arguments: "{\"registration\": \"\(id)\"}"))
                }
            }
        }
    }

    private func writeFilings() throws {
        try copy(
            "filing",
            "id, province, registration, physician, institution, contract_no, valid_from, valid_to, scope, status, ended_on, end_reason, created_at, host_county, host_ownership, home_ownership, category"
        ) { out in
            var n = 0
            for i in physicians {
                let p = SeedPhysician(w, i)
                guard !p.filings.isEmpty, let r = p.registration else { continue }
                let registration = w.uuid(.registration, i), physician = w.uuid(.physician, i)
                for f in p.filings {
                    let id = w.uuid(.filing, n)
                    n += 1
                    let host = w.uuid(.institution, f.host)
                    try out.appendRow([
                        id, w.counties[p.county].province, registration, physician, host, f.contractNo,
                        f.from.description, f.to.description, r.scopes[0], f.ended == nil ? "active" : "ended",
                        f.ended?.description,
                        f.ended == nil ? nil : "contract-ended", SeedWriter.timestamp(f.from),
                        w.counties[Int(w.institutions[f.host].county)].code,
                        w.institutions[f.host].social ? "social" : "public",
                        w.institutions[r.institution].social ? "social" : "public", p.category.rawValue
                    ])
                    if f.from >= recent, f.from <= w.asOf {
                        events.append(
                            SeedWriter.event(
                                w, events.count, at: f.from, command: "filing.add", subjects: [id, physician, host],
                                arguments:
                                    "{\"physician\": \"\(physician)\", \"institution\": \"\(host)\", \"contract_no\": \"\(f.contractNo)\", \"from\": \"\(f.from)\", \"to\": \"\(f.to)\"}"
                            ))
                    }
                }
            }
        }
    }

    private func writeStudios() throws {
        try copy(
            "studio",
            "id, province, physician, registration, host, name, opened_on, status, closed_on, close_reason, created_at"
        ) { out in
            for i in physicians {
                let p = SeedPhysician(w, i)
                guard let s = p.studio else { continue }
                try out.appendRow([
                    w.uuid(.studio, i), w.counties[p.county].province, w.uuid(.physician, i), w.uuid(.registration, i),
                    w.uuid(.institution, s.host), s.name, s.opened.description, s.closed == nil ? "open" : "closed",
                    s.closed?.description, s.closed == nil ? nil : "on-request", SeedWriter.timestamp(s.opened)
                ])
            }
        }
    }

    private func writeNurses() throws {
        try copy("nurse", "id, id_number, name, sex, birth_date, qualification_no, status, created_at") { out in
            for i in nurses {
                let n = SeedNurse(w, i)
                try out.appendRow([
                    w.uuid(.nurse, i), n.identity.idNumber, n.name, n.identity.sex == .male ? "M" : "F",
                    n.identity.birth.description,
                    n.qualificationNo, n.status.rawValue,
                    SeedWriter.timestamp(n.registration?.applied ?? SeedWorld.reformStart)
                ])
            }
        }
    }

    private func writePilots() throws {
        try copy("pilot", "id, region, valid_from, valid_to, created_at") { out in
            for (k, p) in w.pilots.enumerated() {
                try out.appendRow([w.uuid(.pilot, k), p.region, p.from.description, nil, SeedWriter.timestamp(p.from)])
            }
        }
    }

    private func writeNurseRegistrations() throws {
        try copy(
            "nurse_registration",
            "id, province, nurse, institution, regional, status, applied_on, decided_on, decided_by, rejection_reason, expires_on, renewed_on"
        ) { out in
            for i in nurses {
                let n = SeedNurse(w, i)
                guard let r = n.registration else { continue }
                try out.appendRow([
                    w.uuid(.nurseRegistration, i), w.counties[n.county].province, w.uuid(.nurse, i),
                    w.uuid(.institution, r.institution),
                    r.regional ? "t" : "f", r.status.rawValue, r.applied.description, r.decided?.description,
                    r.decided == nil ? nil : "seed",
                    r.status == .rejected ? "材料不全，请补正后重新申请" : nil, r.expires?.description, r.renewed?.description
                ])
            }
        }
    }

    private func writeNurseFilings() throws {
        try copy(
            "nurse_filing",
            "id, province, registration, nurse, institution, contract_no, valid_from, valid_to, status, ended_on, end_reason, created_at"
        ) { out in
            var k = 0
            for i in nurses {
                let n = SeedNurse(w, i)
                for f in n.filings {
                    try out.appendRow([
                        w.uuid(.nurseFiling, k), w.counties[n.county].province, w.uuid(.nurseRegistration, i),
                        w.uuid(.nurse, i),
                        w.uuid(.institution, f.host), f.contractNo, f.from.description, f.to.description,
                        f.ended == nil ? "active" : "ended", f.ended?.description,
                        f.ended == nil ? nil : "contract-ended", SeedWriter.timestamp(f.from)
                    ])
                    k += 1
                }
            }
        }
    }

    private func writeCreditRecords() throws {
        try copy(
            "credit_record",
            "id, subject, subject_kind, province, kind, decided_on, document, until, note, lifted_on, created_at"
        ) { out in
            var k = 0
            func record(_ stream: Int, _ subject: String, _ kind: String, _ county: Int, rate: Double) throws {
                var g = w.generator(.credit, stream)
                guard g.chance(rate) else { return }
                let province = w.counties[county].province
                let v = g.unit()
                let recordKind = v < 0.45 ? "warning" : v < 0.8 ? "penalty" : v < 0.9 ? "blacklist" : "commendation"
                let decided = SeedWorld.day(between: CalendarDate(year: 2019, month: 1, day: 1)!, and: w.asOf, &g)
                let until = recordKind == "blacklist" && g.chance(0.7) ? decided.adding(years: 3 + g.below(3)) : nil
                let lifted =
                    recordKind == "blacklist" && g.chance(0.1) ? SeedWorld.day(between: decided, and: w.asOf, &g) : nil
                let short = String((provinceNames[province] ?? "省").prefix(2))
                let document =
                    recordKind == "commendation"
                    ? "\(short)卫表〔\(decided.year)〕\(1 + g.below(300))号"
                    : "\(short)卫罚〔\(decided.year)〕\(1 + g.below(900))号"
                let note: String? =
                    switch recordKind {
                    case "blacklist": "严重违法执业，列入黑名单"
                    case "penalty": "超范围执业，罚款"
                    case "warning": "病历书写不规范，警告"
                    default: "抗疫表现突出"
                    }
                try out.appendRow([
                    w.uuid(.credit, k), subject, kind, province, recordKind, decided.description, document,
                    until?.description, note, lifted?.description, SeedWriter.timestamp(decided)
                ])
                k += 1
            }
            for j in w.institutions.indices {
                try record(
                    20_000_000 + j, w.uuid(.institution, j), "institution", Int(w.institutions[j].county), rate: 0.004)
            }
            for i in physicians {
                try record(
                    i, w.uuid(.physician, i), "physician", SeedWorld.county(of: i, in: w.physicianStart), rate: 0.004)
            }
            for i in nurses {
                try record(
                    10_000_000 + i, w.uuid(.nurse, i), "nurse", SeedWorld.county(of: i, in: w.nurseStart), rate: 0.002)
            }
        }
    }

    private func writeEvents() throws {
        try copy("event", "id, at, actor, command, arguments, outcome, error_code, subjects, details") { out in
            for e in events { try out.appendRow(e) }
        }
    }

    /// A creation time on a date, at 09:00 in Beijing: reproducible, unlike now().
    static func timestamp(_ day: CalendarDate) -> String { day.description + " 09:00:00+08" }

    static func event(
        _ w: SeedWorld, _ n: Int, at day: CalendarDate, command: String, subjects: [String], arguments: String
    ) -> [String?] {
        [
            w.uuid(.event, n), day.description + " 10:00:00+08", "seed", command, arguments, "accepted", nil,
            "{" + subjects.joined(separator: ",") + "}", nil
        ]
    }
}

/// Writing synthetic registry data: the same seed and as-of date give the same data, row for row.
public enum SeedData {
    /// Writes every table of a `scale` registry into the empty store, its keys and indexes rebuilt after;
    /// returns rows per table.
    public static func write(_ store: Store, seed: UInt64, scale: SeedScale, asOf: CalendarDate) throws -> [(
        String, Int
    )] {
        let world = try SeedWriter.world(store, seed: seed, scale: scale, asOf: asOf)
        let counts = try store.withoutIndexes(tables: Store.bulkTables) {
            try SeedWriter(world: world, store: store).writeAll()
        }
        try store.catchUpCertificateSerials()
        return counts
    }
}
