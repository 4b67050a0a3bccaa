import Dates
import Foundation
import Logging
import Postgres
import Registration

/// `seed --scale demo|province|national [--seed N] [--as-of DATE]`: synthetic but
/// realistic registry data, written with COPY in one transaction. The same seed and
/// as-of date give the same data, row for row.
public struct Seed: Command {
    public static let name = "seed"
    public static let runsAsLogin = true
    let scale: SeedScale
    let seed: Int
    let asOf: CalendarDate?

    public init(_ a: Arguments) throws {
        scale = try a.choice("scale", SeedScale.self)
        seed = try a.optionalInt("seed") ?? 1
        asOf = try a.optionalDate("as_of")
        guard seed >= 0 else { throw Arguments.usage("input.number", "seed", "\(seed) is negative; give 0 or more") }
    }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        try Access.requireAdmin(c.actor, to: "seed synthetic data")
        let db = c.connection
        guard try db.login().superuser else {
            throw RegctlError(
                "permission.denied",
                "seed drops and rebuilds the tables' keys, which only the schema's owner does: run it with the superuser's login (the embedded cluster's own)",
                rule: "R-70")
        }
        let occupied = try db.query(
            """
            SELECT EXISTS (SELECT 1 FROM institution) OR EXISTS (SELECT 1 FROM physician) OR EXISTS (SELECT 1 FROM nurse)
            """)[0].decode(0, as: Bool.self)
        guard !occupied else {
            throw RegctlError(
                "seed.not-empty",
                "the registry already holds institutions or people; seed fills an empty one: run it on a new database, or regctl db reset --yes first (which deletes everything)"
            )
        }
        let started = Date()
        let day = asOf ?? c.today
        let world = try SeedWriter.world(db, seed: UInt64(seed), scale: scale, asOf: day)
        let counts = try BulkLoad.withoutIndexes(db, tables: SeedWriter.tables) {
            try SeedWriter(world: world, connection: db).writeAll()
        }
        try db.execute(
            """
            INSERT INTO certificate_serial (prefix, last)
            SELECT left(certificate_no, 9), max(right(certificate_no, 6)::int) FROM physician
            WHERE certificate_no IS NOT NULL GROUP BY 1
            ON CONFLICT (prefix) DO UPDATE SET last = greatest(certificate_serial.last, excluded.last)
            """)
        let seconds = Date().timeIntervalSince(started)
        let rows = counts.map { [Cell.text($0.0), .int($0.1)] }
        return CommandOutput(
            fields: [
                ("scale", .text(scale.rawValue)), ("seed", .int(seed)), ("as_of", .text(day.description)),
                ("seconds", .text(String(format: "%.1f", seconds)))
            ],
            table: ResultTable(columns: ["table", "rows"], rows: rows),
            notes: [
                "seeded \(scale.rawValue) scale (seed \(seed), as of \(day)) in \(String(format: "%.1f", seconds)) s; "
                    + "autovacuum sets the visibility map index-only scans use (VACUUM ANALYZE to have it now)"
            ])
    }
}

/// Drops a set of tables' keys, constraints and indexes, runs a bulk load, and builds
/// them again: one sort per index instead of millions of random inserts. The
/// definitions come from the catalog, so the rebuilt schema is the migrated one.
enum BulkLoad {
    static func withoutIndexes<T>(_ db: Connection, tables: [String], _ body: () throws -> T) throws -> T {
        let constraints = try db.query(
            """
            SELECT conrelid::regclass::text AS tab, conname::text AS name, contype::text AS kind, pg_get_constraintdef(oid) AS def
            FROM pg_constraint
            WHERE contype IN ('p', 'u', 'x', 'f')
              AND (conrelid::regclass::text = ANY(\(tables)) OR confrelid::regclass::text = ANY(\(tables)))
            ORDER BY contype = 'f' DESC, conrelid::regclass::text, conname
            """
        ).map {
            (
                table: try $0.decode("tab", as: String.self), name: try $0.decode("name", as: String.self),
                kind: try $0.decode("kind", as: String.self), definition: try $0.decode("def", as: String.self)
            )
        }
        let indexes = try db.query(
            """
            SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
            FROM pg_index i
            WHERE i.indrelid::regclass::text = ANY(\(tables))
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x'))
            ORDER BY 1
            """
        ).map { (name: try $0.decode("name", as: String.self), definition: try $0.decode("def", as: String.self)) }
        // Names and definitions come from the catalog, not from a user: safe to splice.
        for c in constraints {
            try db.execute(SQL(unsafeSQL: "ALTER TABLE \(c.table) DROP CONSTRAINT \(try db.escapeIdentifier(c.name))"))
        }
        for i in indexes { try db.execute(SQL(unsafeSQL: "DROP INDEX \(i.name)")) }
        // Synthetic rows are derived and stamped already: the triggers that derive columns, check
        // decisions and stamp events (which would look every row up without the indexes) stay quiet.
        try db.execute("SET LOCAL session_replication_role = replica")
        let result = try body()
        try db.execute("SET LOCAL session_replication_role = origin")
        try db.execute("SET LOCAL maintenance_work_mem = '1GB'")
        for c in constraints.reversed() where c.kind != "f" {
            try db.execute(
                SQL(
                    unsafeSQL:
                        "ALTER TABLE \(c.table) ADD CONSTRAINT \(try db.escapeIdentifier(c.name)) \(c.definition)"))
        }
        for i in indexes { try db.execute(SQL(unsafeSQL: i.definition)) }
        for c in constraints where c.kind == "f" {
            try db.execute(
                SQL(
                    unsafeSQL:
                        "ALTER TABLE \(c.table) ADD CONSTRAINT \(try db.escapeIdentifier(c.name)) \(c.definition)"))
        }
        for t in tables { try db.execute(SQL(unsafeSQL: "ANALYZE \(try db.escapeIdentifier(t))")) }
        return result
    }
}

/// Writes a `SeedWorld` table by table with COPY.
struct SeedWriter {
    static let tables = [
        "institution", "physician", "registration", "filing", "studio", "nurse", "pilot",
        "nurse_registration", "nurse_filing", "credit_record", "event"
    ]
    let world: SeedWorld
    let connection: Connection
    let logger = Logger(label: "regctl.seed")

    /// The counties of the scale (leaves of the region tree below the provinces), in code order.
    static func world(_ db: Connection, seed: UInt64, scale: SeedScale, asOf: CalendarDate) throws -> SeedWorld {
        let prefixes = scale.provincePrefixes ?? []
        let counties = try db.query(
            """
            SELECT r.code::text AS code, r.name, left(r.code, 2) || '0000' AS province FROM region r
            WHERE r.level <> 'province' AND NOT EXISTS (SELECT 1 FROM region c WHERE c.parent = r.code)
              AND (cardinality(\(prefixes)::text[]) = 0 OR left(r.code, 2) = ANY(\(prefixes)))
            ORDER BY r.code
            """
        ).map {
            SeedCounty(
                code: try $0.decode("code", as: String.self), name: try $0.decode("name", as: String.self),
                province: try $0.decode("province", as: String.self))
        }
        return SeedWorld(seed: seed, scale: scale, asOf: asOf, counties: counties)
    }

    /// Every table, in the order their references need; returns rows per table.
    func writeAll() throws -> [(String, Int)] {
        var events: [[String?]] = []
        var counts: [(String, Int)] = []
        func copy(_ table: String, _ columns: String, _ body: (inout CopyWriter) throws -> Void) throws {
            let t0 = Date()
            let n = try connection.copyIn(SQL(unsafeSQL: "COPY \(table) (\(columns)) FROM STDIN"), body)
            logger.info("seed: \(table) \(n) rows in \(String(format: "%.1f", Date().timeIntervalSince(t0))) s")
            counts.append((table, n))
        }
        let w = world
        let provinceNames = try Dictionary(
            uniqueKeysWithValues: connection.query("SELECT code::text, name FROM region WHERE level = 'province'")
                .map { (try $0.decode(0, as: String.self), try $0.decode(1, as: String.self)) })

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
        let physicians = 0..<w.physicianStart.last!
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
        let recent = w.asOf.adding(days: -60)
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
        let nurses = 0..<w.nurseStart.last!
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
        try copy("pilot", "id, region, valid_from, valid_to, created_at") { out in
            for (k, p) in w.pilots.enumerated() {
                try out.appendRow([w.uuid(.pilot, k), p.region, p.from.description, nil, SeedWriter.timestamp(p.from)])
            }
        }
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
        try copy("event", "id, at, actor, command, arguments, outcome, error_code, subjects, details") { out in
            for e in events { try out.appendRow(e) }
        }
        return counts
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
