import Testing
import Foundation
@testable import API
import Postgres
import Registration
import TestSupport

/// R-70 … R-72 enforced by PostgreSQL itself. Each kind of account connects with its own login
/// (password, scram-sha-256) and runs plain SQL over libpq, as psql would; the attacks of the access
/// review (issue 12) are the cases: no staff login reaches the host or a superuser (P1), writes
/// anything (P2), reads past its scope or rebuilds what is masked (P3), or forges history (P4).
/// The application's own path (regctl_app, the role per kind) is tried as the second line.
@Suite struct RoleMatrixTests {
    /// A world of two provinces, and one account of each kind with a login of its own. The ids
    /// are this test's own: roles belong to the whole cluster, which other tests share.
    final class Matrix {
        let r: Registry
        let w: Registry.World
        let tag = String(UUID().uuidString.lowercased().prefix(8))
        let password = "pw" + String(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16))
        var admin: String { "adm-\(tag)" }
        var zj: String { "zjr-\(tag)" }
        var hz: String { "hzr-\(tag)" }
        var js: String { "jsr-\(tag)" }
        var hr: String { "hr-\(tag)" }
        var analyst: String { "zja-\(tag)" }
        var jsAnalyst: String { "jsa-\(tag)" }
        var everyone: [String] { [admin, zj, hz, js, hr, analyst, jsAnalyst] }
        let zjPhysician: (physician: String, registration: String)
        let jsPhysician: (physician: String, registration: String)
        let zjFiling: String, jsFiling: String
        let pending: String

        init() throws {
            r = try Registry()
            w = try r.world()
            zjPhysician = try r.registeredPhysician(71, at: w.provincial)
            jsPhysician = try r.registeredPhysician(72, at: w.nanjingHospital, region: "320102")
            zjFiling = try r.run(
                "filing.add",
                [
                    "physician": zjPhysician.physician, "institution": w.clinic, "contract_no": "M-1",
                    "from": "2026-03-02", "to": "2027-03-01"
                ]
            ).id!
            jsFiling = try r.run(
                "filing.add",
                [
                    "physician": jsPhysician.physician, "institution": w.nanjingClinic, "contract_no": "M-2",
                    "from": "2026-03-02", "to": "2027-03-01"
                ]
            ).id!
            try r.run(
                "credit.add",
                ["subject": zjPhysician.physician, "kind": "warning", "on": "2026-03-02", "document": "浙卫〔2026〕1号"])
            try r.run(
                "credit.add",
                ["subject": jsPhysician.physician, "kind": "warning", "on": "2026-03-02", "document": "苏卫〔2026〕1号"])
            // A pending application at the clinic (HR's own institution), for a physician of 浙江.
            let p = try r.run(
                "physician.add",
                [
                    "name": "待批医师", "id_number": Make.residentID(sequence: 73), "qualification_no": "Q73",
                    "level": "physician", "category": "clinical"
                ]
            ).id!
            pending = try r.run("registration.apply", ["physician": p, "institution": w.clinic, "scope": ["内科"]]).id!
            for (id, role, scope) in [
                (admin, "admin", [:]), (zj, "registrar", ["region": "330000"]), (hz, "registrar", ["region": "330100"]),
                (js, "registrar", ["region": "320000"]), (hr, "hr", ["institution": w.clinic]),
                (analyst, "analyst", ["region": "330000"]), (jsAnalyst, "analyst", ["region": "320000"])
            ]
                as [(String, String, [String: Any])]
            {
                var args: [String: Any] = ["id": id, "name": id, "role": role, "password": password]
                args.merge(scope) { a, _ in a }
                try r.run("staff.add", args)
            }
        }

        /// A plain connection as the account itself, with its password, over the cluster's socket.
        func login(_ id: String, password: String? = nil) throws -> Connection {
            try Connection(
                "host=\(TestCluster.cluster.socketDirectory) dbname=\(r.db.name) user=\(id) password=\(password ?? self.password)"
            )
        }

        /// Runs `body` in a transaction of the application path acting for `actor` (kind `kind`): the
        /// role regctl uses for that kind, with `regctl.actor` named; rolled back unless `commit`.
        func asApp<T>(_ kind: String, _ actor: String, commit: Bool = false, _ body: (Connection) throws -> T) throws
            -> T
        {
            let c = r.connection
            try c.execute("BEGIN")
            defer { _ = try? c.execute(commit ? "COMMIT" : "ROLLBACK") }
            try c.query(
                "SELECT set_config('regctl.actor', \(actor), true), set_config('role', \("regctl_app_" + kind), true)")
            return try body(c)
        }

        var zjPerson: UUID { UUID(uuidString: zjPhysician.physician)! }
        var jsPerson: UUID { UUID(uuidString: jsPhysician.physician)! }
    }

    static func count(_ c: Connection, _ sql: SQL) throws -> Int { try c.query(sql)[0].decode(0, as: Int.self) }

    /// The SQLSTATE a statement fails with, nil when it succeeds.
    static func refusal(_ c: Connection, _ sql: SQL) -> String? {
        do {
            try c.execute(sql)
            return nil
        } catch let e as PostgresError { return e.sqlState ?? "?" } catch { return "\(error)" }
    }

    /// As `refusal`, in a savepoint (inside an open transaction, a failure must not abort it).
    static func refusalInSavepoint(_ c: Connection, _ sql: SQL) -> String? {
        _ = try? c.execute("SAVEPOINT probe")
        let outcome = refusal(c, sql)
        _ = try? c.execute(outcome == nil ? "RELEASE SAVEPOINT probe" : "ROLLBACK TO SAVEPOINT probe")
        return outcome
    }

    // MARK: P1: no staff credential reaches the host or a superuser

    @Test func noStaffLoginReachesTheHostOrASuperuser() throws {
        let m = try Matrix()
        for id in m.everyone {
            let c = try m.login(id)
            let attacks: [String] = [
                "GRANT pg_execute_server_program TO \"\(id)\"",
                "GRANT pg_read_server_files TO \"\(id)\"",
                "GRANT regctl_app TO \"\(id)\"",
                "COPY (SELECT 1) TO PROGRAM 'id'",
                "COPY staff FROM PROGRAM 'id'",
                "COPY region TO '/tmp/regctl-stolen'",
                "SELECT pg_read_file('/etc/passwd')",
                "SELECT lo_import('/etc/passwd')",
                "CREATE FUNCTION pg_temp.f() RETURNS integer LANGUAGE c AS '/lib/x86_64-linux-gnu/libc.so.6', 'getpid'",
                "CREATE FUNCTION pg_temp.g() RETURNS integer LANGUAGE internal AS 'int4in'",
                "ALTER SYSTEM SET work_mem = '1GB'",
                "CREATE ROLE \"x-\(id)\" LOGIN",
                "ALTER ROLE \"\(id)\" CREATEROLE",
                "CREATE DATABASE \"x-\(id)\"",
                "SELECT regctl_account_login('\(id)', NULL, true)",
                "SELECT regctl_seal_events(1)"
            ]
            for attack in attacks {
                let outcome = Self.refusal(c, SQL(unsafeSQL: attack))
                #expect(outcome != nil && outcome != "42601", "\(id): \(attack) → \(outcome ?? "accepted")")
                _ = try? c.execute("ROLLBACK")
            }
            for role in [
                "regctl_app", "regctl_app_admin", "regctl_app_registrar", "regctl_roles", "regctl_facts",
                "regctl_chain",
                TestCluster.cluster.superuser, "pg_execute_server_program", id == m.zj ? m.js : m.zj
            ] {
                #expect(Self.refusal(c, "SET ROLE \(identifier: role)") == "42501", "\(id): SET ROLE \(role)")
            }
        }
        // The roles themselves: plain logins, in exactly their group; no group or application role
        // reaches further. (A recursive walk of memberships, as the server resolves them.)
        let r = m.r.connection
        for id in m.everyone {
            let row = try r.query(
                "SELECT rolsuper OR rolcreaterole OR rolcreatedb OR rolreplication OR rolbypassrls FROM pg_roles WHERE rolname = \(id)"
            )
            #expect(try row[0].decode(0, as: Bool.self) == false, "\(id)")
            let reached = try r.query(
                """
                WITH RECURSIVE up(oid) AS (SELECT oid FROM pg_roles WHERE rolname = \(id)
                                           UNION SELECT a.roleid FROM pg_auth_members a JOIN up ON a.member = up.oid)
                SELECT string_agg(rolname, ',' ORDER BY rolname) FROM pg_roles WHERE oid IN (SELECT oid FROM up) AND rolname <> \(id)
                """)[0].decode(0, as: String.self)
            #expect(
                ["regctl_admin", "regctl_registrar", "regctl_hr", "regctl_analyst"].contains(reached),
                "\(id) reaches \(reached)")
        }
        let escalating = try r.query(
            """
            WITH RECURSIVE up(oid) AS (SELECT oid FROM pg_roles WHERE rolname IN ('regctl_admin', 'regctl_registrar', 'regctl_hr', 'regctl_analyst',
                                                                                   'regctl_app', 'regctl_app_admin', 'regctl_app_registrar', 'regctl_app_hr',
                                                                                   'regctl_app_analyst', 'regctl_facts', 'regctl_chain')
                                       UNION SELECT a.roleid FROM pg_auth_members a JOIN up ON a.member = up.oid)
            SELECT string_agg(rolname, ',') FROM pg_roles WHERE oid IN (SELECT oid FROM up)
              AND (rolname LIKE 'pg\\_%' OR rolsuper OR rolcreaterole OR rolcreatedb OR rolreplication OR rolbypassrls)
            """)[0].decode(0, as: String?.self)
        #expect(escalating == nil)
        // CREATEROLE belongs to regctl_roles alone, which no one is granted and which cannot log in.
        #expect(
            try r.query("SELECT string_agg(rolname, ',') FROM pg_roles WHERE rolcreaterole AND NOT rolsuper")[0].decode(
                0, as: String?.self) == "regctl_roles")
        #expect(try Self.count(r, "SELECT count(*) FROM pg_auth_members WHERE roleid = 'regctl_roles'::regrole") == 0)
        #expect(try Self.count(r, "SELECT count(*) FROM pg_roles WHERE rolname = 'regctl_roles' AND rolcanlogin") == 0)
        // The account function makes plain logins only: it refuses a superuser's name and any role that is more than a login.
        #expect(
            m.r.refusal(
                "staff.add", ["id": TestCluster.cluster.superuser, "name": "x", "role": "analyst", "region": "330000"])
                == "staff.exists")
        try r.execute("CREATE ROLE \(identifier: "grp-" + m.tag) NOLOGIN")
        try r.execute("GRANT pg_read_server_files TO \(identifier: "grp-" + m.tag)")
        defer { _ = try? r.execute("DROP ROLE IF EXISTS \(identifier: "grp-" + m.tag)") }
        #expect(
            m.r.refusal("staff.add", ["id": "grp-" + m.tag, "name": "x", "role": "analyst", "region": "330000"])
                == "staff.exists")
    }

    // MARK: P2: staff logins cannot write; the application path is bound again

    @Test func staffLoginsWriteNothing() throws {
        let m = try Matrix()
        let pending = UUID(uuidString: m.pending)!
        for id in m.everyone {
            let c = try m.login(id)
            let writes: [SQL] = [
                // attack 4: HR approving its own application, and inserting an active one
                "UPDATE registration SET status = 'active', decided_by = 'zj-reg', decided_on = '2026-03-02', region = '110000', province = '110000' WHERE id = \(pending)",
                """
                INSERT INTO registration (id, province, physician, region, institution, category, scopes, status, applied_on)
                VALUES (\(UUID()), '330000', \(m.zjPerson), '330000', \(UUID(uuidString: m.w.clinic)!), 'clinical', '{内科}', 'active', '2026-03-01')
                """,
                // attack 5: across the province line, nationwide blacklists, certificate serials
                "UPDATE physician SET name = '改名', status = 'deceased', certificate_no = NULL WHERE id = \(m.zjPerson)",
                "INSERT INTO credit_record (id, subject, subject_kind, province, kind, decided_on, document) VALUES (\(UUID()), \(m.zjPerson), 'physician', NULL, 'blacklist', '2026-03-02', 'x')",
                "UPDATE certificate_serial SET last = 0",
                "UPDATE filing SET scope = '外科' WHERE id = \(UUID(uuidString: m.zjFiling)!)",
                "INSERT INTO staff (id, name, role, region) VALUES ('x', 'x', 'admin', NULL)",
                "UPDATE institution SET beds = 1",
                "INSERT INTO pilot (id, region, valid_from) VALUES (\(UUID()), '330100', '2026-01-01')",
                "DELETE FROM holiday_calendar",
                // attack 6: a backdated approval in the audit log
                "INSERT INTO event (id, at, actor, command, outcome) VALUES (\(UUID()), '2020-01-01', \(id), 'registration.approve', 'accepted')",
                "DELETE FROM event", "UPDATE event SET actor = 'nobody'", "TRUNCATE event"
            ]
            for (n, sql) in writes.enumerated() {
                #expect(Self.refusal(c, sql) == "42501", "\(id): write \(n)")
            }
        }
        #expect(try m.r.count("SELECT count(*) FROM registration WHERE id = \(pending) AND status = 'pending'") == 1)
        // The owner cannot change events either (the trigger), here the cluster's superuser.
        #expect(Self.refusal(m.r.connection, "DELETE FROM event") == "42501")
        #expect(Self.refusal(m.r.connection, "UPDATE event SET actor = 'nobody'") == "42501")
        #expect(Self.refusal(m.r.connection, "TRUNCATE event") == "42501")
    }

    @Test func theApplicationPathIsBoundToTheActorsScope() throws {
        let m = try Matrix()
        let pending = UUID(uuidString: m.pending)!
        // HR through the application role: it may not decide its own application, and what it sends
        // for the derived columns is not what is stored.
        try m.asApp("hr", m.hr) { c in
            #expect(
                Self.refusalInSavepoint(
                    c, "UPDATE registration SET status = 'active', decided_on = '2026-03-02' WHERE id = \(pending)")
                    == "42501")
            #expect(
                Self.refusalInSavepoint(
                    c, "UPDATE registration SET region = '110000', province = '110000' WHERE id = \(pending)") == nil)
            let stored = try c.query("SELECT region::text, province::text FROM registration WHERE id = \(pending)")[0]
            #expect(try stored.decode(0, as: String.self) == "330000" && stored.decode(1, as: String.self) == "330000")
            #expect(
                Self.refusalInSavepoint(
                    c,
                    """
                    INSERT INTO registration (id, province, physician, region, institution, category, scopes, status, applied_on)
                    VALUES (\(UUID()), '330000', \(m.jsPerson), '330000', \(UUID(uuidString: m.w.clinic)!), 'clinical', '{内科}', 'active', '2026-03-01')
                    """) == "42501")
            // Another institution's rows: invisible, and not insertable.
            #expect(try c.execute("UPDATE filing SET scope = '外科' WHERE id = \(UUID(uuidString: m.jsFiling)!)") == 0)
        }
        // A prefecture's registrar decides assistants, not physicians (whose region is the province).
        try m.asApp("registrar", m.hz) { c in
            #expect(
                Self.refusalInSavepoint(
                    c, "UPDATE registration SET status = 'active', decided_on = '2026-03-02' WHERE id = \(pending)")
                    == "42501")
        }
        // The province's registrar decides it, and decided_by is its own id whatever it sends.
        try m.asApp("registrar", m.zj) { c in
            #expect(
                Self.refusalInSavepoint(
                    c,
                    "UPDATE registration SET status = 'rejected', decided_on = '2026-03-02', decided_by = 'someone' WHERE id = \(pending)"
                ) == nil)
            let decidedBy = try c.query("SELECT decided_by FROM registration WHERE id = \(pending)")[0].decode(
                0, as: String.self)
            #expect(decidedBy == m.zj)
        }
        // 江苏's registrar: nothing of 浙江, no nationwide blacklist, its own registration not moved to 浙江.
        try m.asApp("registrar", m.js) { c in
            let renamed = try c.execute("UPDATE physician SET name = '改名' WHERE id = \(m.zjPerson)")
            #expect(renamed == 0)
            #expect(
                Self.refusalInSavepoint(
                    c,
                    "INSERT INTO credit_record (id, subject, subject_kind, province, kind, decided_on, document) VALUES (\(UUID()), \(m.jsPerson), 'physician', NULL, 'blacklist', '2026-03-02', 'x')"
                ) == "42501")
            #expect(
                Self.refusalInSavepoint(
                    c,
                    "INSERT INTO credit_record (id, subject, subject_kind, province, kind, decided_on, document) VALUES (\(UUID()), \(m.zjPerson), 'physician', '330000', 'blacklist', '2026-03-02', 'x')"
                ) == "42501")
            #expect(
                Self.refusalInSavepoint(
                    c,
                    "UPDATE registration SET institution = \(UUID(uuidString: m.w.provincial)!) WHERE id = \(UUID(uuidString: m.jsPhysician.registration)!)"
                ) == "42501")
            #expect(
                Self.refusalInSavepoint(
                    c,
                    "INSERT INTO studio (id, province, physician, registration, host, name, opened_on) VALUES (\(UUID()), '320000', \(m.jsPerson), \(UUID(uuidString: m.jsPhysician.registration)!), \(UUID(uuidString: m.w.township)!), 'x', '2026-03-02')"
                ) == "42501")
            try c.execute(
                "INSERT INTO nurse (id, id_number, name, sex, birth_date, qualification_no) VALUES ('00000000-0000-4000-8000-000000000001', \(Make.residentID(region: "320102", born: "19900101", sequence: 5)), '护士', 'F', '1990-01-01', 'NQ-JS')"
            )
            #expect(
                Self.refusalInSavepoint(
                    c,
                    "INSERT INTO nurse_registration (id, province, nurse, institution, regional, status, applied_on, expires_on) VALUES (\(UUID()), '320000', '00000000-0000-4000-8000-000000000001', \(UUID(uuidString: m.w.clinic)!), true, 'active', '2026-03-02', '2031-03-01')"
                ) == "42501")
        }
        // Analysts write nothing, through the application path either.
        try m.asApp("analyst", m.analyst) { c in
            #expect(Self.refusalInSavepoint(c, "UPDATE registration SET scopes = '{外科}'") == "42501")
        }
        // Through the command: 江苏's registrar may not retire a 浙江-only physician (R-70, in Swift).
        #expect(
            m.r.refusal("physician.retire", as: m.js, ["physician": m.zjPhysician.physician]) == "permission.denied")
        #expect(m.r.refusal("physician.retire", as: m.zj, ["physician": m.zjPhysician.physician]) == nil)
    }

    // MARK: P3: nothing past the scope, nothing that rebuilds what is masked

    @Test func readersSeeTheirScopeAndMaskedNumbersKeepOnlyTheBirthYear() throws {
        let m = try Matrix()
        let js = try m.login(m.js), zj = try m.login(m.zj), a = try m.login(m.analyst), hr = try m.login(m.hr),
            admin = try m.login(m.admin)
        // 江苏's registrar: its own subject in full; 浙江's person is not there at all.
        #expect(
            try js.query("SELECT id_number FROM physician_v WHERE id = \(m.jsPerson)")[0].decode(0, as: String.self)
                == Make.residentID(region: "320102", sequence: 72))
        #expect(try Self.count(js, "SELECT count(*) FROM physician_v WHERE id = \(m.zjPerson)") == 0)
        #expect(try Self.count(js, "SELECT count(*) FROM physician WHERE id = \(m.zjPerson)") == 0)
        #expect(try Self.count(js, "SELECT count(*) FROM regctl_identity(\(m.zjPerson))") == 0)
        #expect(
            try zj.query("SELECT id_number FROM physician_v WHERE id = \(m.zjPerson)")[0].decode(0, as: String.self)
                == Make.residentID(sequence: 71))
        // Masked: the birth date is its year only, so the mask cannot be undone (attack 2).
        let masked = try a.query("SELECT id_number, birth_date, birth_year FROM physician_v WHERE id = \(m.zjPerson)")[
            0]
        #expect(try masked.decode(0, as: String.self) == ResidentID.mask(Make.residentID(sequence: 71)))
        #expect(try masked.decode(1, as: String?.self) == nil)
        #expect(try masked.decode(2, as: Int.self) == 1975)
        for c in [js, zj, a, hr] {
            #expect(Self.refusal(c, "SELECT birth_date FROM physician") == "42501")
            #expect(Self.refusal(c, "SELECT id_number FROM physician") == "42501")
            #expect(Self.refusal(c, "SELECT count(*) FROM physician WHERE id_number LIKE '33%'") == "42501")
            #expect(Self.refusal(c, "SELECT birth_date FROM nurse") == "42501")
        }
        // HR: the people who practise there, masked.
        let people = try hr.query("SELECT id, id_number, birth_date FROM physician_v ORDER BY id")
        #expect(people.count == 2)  // the filed physician and the applicant
        #expect(
            try people.allSatisfy {
                try $0.decode(1, as: String.self).contains("********") && $0.decode(2, as: String?.self) == nil
            })
        // Rows of the other province: invisible.
        #expect(
            try Self.count(
                js, "SELECT count(*) FROM registration WHERE id = \(UUID(uuidString: m.zjPhysician.registration)!)")
                == 0)
        #expect(try Self.count(js, "SELECT count(*) FROM registration") == 1)
        #expect(try Self.count(js, "SELECT count(*) FROM institution WHERE province = '330000'") == 0)
        #expect(try Self.count(zj, "SELECT count(*) FROM institution") == 4)
        #expect(try Self.count(zj, "SELECT count(*) FROM filing") == 1)
        #expect(try Self.count(hr, "SELECT count(*) FROM filing") == 1)
        #expect(try Self.count(hr, "SELECT count(*) FROM institution") == 1)
        #expect(try Self.count(zj, "SELECT count(*) FROM credit_record") == 1)
        #expect(
            try js.query("SELECT id FROM staff ORDER BY id").map { try $0.decode(0, as: String.self) } == [
                "js-reg", m.jsAnalyst, m.js
            ])
        #expect(try Self.count(admin, "SELECT count(*) FROM physician_v WHERE id_number NOT LIKE '%*%'") == 3)
    }

    @Test func noFunctionAStaffLoginRunsIsAnOracle() throws {
        let m = try Matrix()
        let zjNumber = Make.residentID(sequence: 71)
        for id in m.everyone {
            let c = try m.login(id)
            // attack 3: the fact functions, for the application roles only
            for sql in [
                "SELECT * FROM regctl_physicians(NULL, ARRAY['\(zjNumber)'])",
                "SELECT * FROM regctl_physicians(ARRAY['\(m.zjPerson)'::uuid], NULL)",
                "SELECT * FROM regctl_public_physicians('医师71', NULL, NULL, NULL, 10)",
                "SELECT * FROM regctl_institutions(NULL, ARRAY['x'])",
                "SELECT * FROM regctl_registrations(ARRAY['\(m.zjPerson)'::uuid], '{}')",
                "SELECT * FROM regctl_credit(ARRAY['\(m.zjPerson)'::uuid], NULL)",
                "SELECT * FROM regctl_registered_in('\(m.zjPerson)', '000000', '999999')",
                "SELECT * FROM regctl_person_access('\(m.zjPerson)')",
                "SELECT regctl_lock('physician', ARRAY['\(m.zjPerson)'::uuid])"
            ] {
                #expect(Self.refusal(c, SQL(unsafeSQL: sql)) == "42501", "\(id): \(sql)")
            }
            // The scope functions take no account to ask about: each answers for the caller alone.
            #expect(Self.refusal(c, "SELECT * FROM regctl_scope(\(m.zj))") == "42883", "\(id)")
            #expect(Self.refusal(c, "SELECT * FROM regctl_scope_institutions(\(m.zj))") == "42883", "\(id)")
            // Naming another account for the transaction changes nothing for a staff login.
            _ = try c.query("SELECT set_config('regctl.actor', \(m.admin), false)")
            #expect(
                try c.query("SELECT kind FROM regctl_scope()")[0].decode(0, as: String.self)
                    == (id == m.admin
                        ? "admin"
                        : id == m.hr
                            ? "hr"
                            : id.hasPrefix("zja") || id.hasPrefix("jsa") ? "analyst" : "registrar"))
        }
        // The application role's facts take bounded arrays.
        try m.asApp("registrar", m.zj) { c in
            #expect(
                Self.refusalInSavepoint(
                    c, "SELECT count(*) FROM regctl_physicians(NULL, array_fill('x'::text, ARRAY[60000]))") == "54000")
        }
        // physician show by full number: outside the reader's scope it is "not found", as for a number nobody holds;
        // registrars find anyone (each look-up an event).
        let nobody = Make.residentID(region: "330106", born: "19800101", sequence: 999)
        let jsNumber = Make.residentID(region: "320102", sequence: 72)
        for (reader, number) in [(m.hr, jsNumber), (m.jsAnalyst, zjNumber)] {
            let outside = try #require(Self.failure(m.r, "physician.show", as: reader, ["physician": number]))
            let unknown = try #require(Self.failure(m.r, "physician.show", as: reader, ["physician": nobody]))
            #expect(outside.code == "not-found" && unknown.code == "not-found", "\(reader)")
            #expect(
                outside.message.replacingOccurrences(of: ResidentID.mask(number), with: "N")
                    == unknown.message.replacingOccurrences(of: ResidentID.mask(nobody), with: "N"), "\(reader)")
            // The same through every other door that takes a person to read about: lists and the credit list.
            for (command, flag) in [
                ("registration.list", "physician"), ("filing.list", "physician"), ("studio.list", "physician"),
                ("credit.list", "subject")
            ] {
                let o = Self.failure(m.r, command, as: reader, [flag: number]),
                    u = Self.failure(m.r, command, as: reader, [flag: nobody])
                #expect(
                    o?.code == "not-found" && u?.code == "not-found",
                    "\(reader) \(command): \(o?.code ?? "found") / \(u?.code ?? "found")")
            }
            let eventsOutside = Self.failure(m.r, "events.list", as: reader, ["subject": number])
            let eventsUnknown = Self.failure(m.r, "events.list", as: reader, ["subject": nobody])
            #expect(eventsOutside?.code == eventsUnknown?.code, "\(reader) events.list")
        }
        let found = try m.r.run("physician.show", as: m.js, ["physician": zjNumber])
        #expect(found.fields.first { $0.0 == "birth_date" }?.1.plain == "1975")
        #expect(found.fields.first { $0.0 == "id_number" }?.1.plain == ResidentID.mask(zjNumber))
        #expect(try m.r.count("SELECT count(*) FROM event WHERE command = 'physician.show' AND actor = \(m.js)") == 1)
        // HR finds a person it works with; a 浙江 analyst one registered in 浙江.
        #expect(m.r.refusal("physician.show", as: m.hr, ["physician": zjNumber]) == nil)
        #expect(m.r.refusal("physician.show", as: m.analyst, ["physician": zjNumber]) == nil)
    }

    static func failure(_ r: Registry, _ name: String, as actor: String?, _ args: [String: Any]) -> RegctlError? {
        do {
            try r.run(name, as: actor, args)
            return nil
        } catch let e as RegctlError { return e } catch { return nil }
    }

    /// One table of cases for each rule SQL keeps a copy of: R-70's decision right
    /// (Access.requireRegion / regctl_may_decide) and R-72's full number (Access.seesFullIDNumber /
    /// regctl_person_access), asked of both for every account and region.
    @Test func theSQLCopiesOfTheRulesAgreeWithTheSwiftOnes() throws {
        let m = try Matrix()
        let actors: [(String, Actor)] = [
            ("admin", Actor(id: m.admin, role: .admin)),
            ("registrar", Actor(id: m.zj, role: .registrar, region: RegionCode("330000"))),
            ("registrar", Actor(id: m.hz, role: .registrar, region: RegionCode("330100"))),
            ("registrar", Actor(id: m.js, role: .registrar, region: RegionCode("320000"))),
            ("hr", Actor(id: m.hr, role: .hr, institution: UUID(uuidString: m.w.clinic))),
            ("analyst", Actor(id: m.analyst, role: .analyst, region: RegionCode("330000")))
        ]
        let regions = ["330000", "330100", "330106", "330102", "330200", "320000", "320102", "110000"]
        for (kind, actor) in actors {
            try m.asApp(kind, actor.id) { c in
                for region in regions {
                    let swift = (try? Access.requireRegion(actor, RegionCode(region)!, to: "decide")) != nil
                    let sql = try c.query("SELECT regctl_may_decide(\(region)::char(6))")[0].decode(0, as: Bool.self)
                    #expect(swift == sql, "\(actor.id) deciding in \(region): Swift \(swift), SQL \(sql)")
                }
                for (person, reg) in [
                    (m.zjPerson, m.zjPhysician.registration), (m.jsPerson, m.jsPhysician.registration)
                ] {
                    let store = Store(connection: c)
                    try store.act(as: actor, today: m.r.today, role: false)
                    let facts = try store.registrations(ofPhysician: person)
                    #expect(facts.contains { $0.id.text == reg })
                    let swift = Access.seesFullIDNumber(
                        actor, subjectRegions: facts.flatMap { [$0.facts.region, $0.facts.institutionCounty] })
                    let sql = try c.query("SELECT full_id FROM regctl_person_access(\(person))")[0].decode(
                        0, as: Bool.self)
                    #expect(swift == sql, "\(actor.id) reading \(person): Swift \(swift), SQL \(sql)")
                }
            }
        }
    }

    // MARK: P4: the event log can be trusted

    @Test func eventsAreStampedBoundedAndChained() throws {
        let m = try Matrix()
        // The application path's own insert: it names no time (the database's clock), only the account
        // acting, and no argument past the bound.
        let big = String(repeating: "字", count: 3_000_000)  // 9 MB
        try m.asApp("registrar", m.zj) { c in
            #expect(
                Self.refusalInSavepoint(
                    c,
                    "INSERT INTO event (id, at, actor, command, outcome) VALUES (\(UUID()), '2020-01-01', \(m.zj), 'registration.approve', 'accepted')"
                ) == "42501")
            #expect(
                Self.refusalInSavepoint(
                    c,
                    "INSERT INTO event (id, actor, command, outcome) VALUES (\(UUID()), 'zj-reg', 'registration.approve', 'accepted')"
                ) == "42501")
            #expect(
                Self.refusalInSavepoint(
                    c,
                    "INSERT INTO event (id, actor, command, outcome, seq, hash) VALUES (\(UUID()), \(m.zj), 'x', 'accepted', 1, '\\x00')"
                ) == "42501")
            #expect(
                Self.refusalInSavepoint(
                    c,
                    "INSERT INTO event (id, actor, command, arguments, outcome) VALUES (\(UUID()), \(m.zj), 'x', jsonb_build_object('note', \(big)::text), 'accepted')"
                ) == "23514")
            let honest = UUID()
            #expect(
                Self.refusalInSavepoint(
                    c, "INSERT INTO event (id, actor, command, outcome) VALUES (\(honest), \(m.zj), 'x', 'accepted')")
                    == nil)
            let fresh = try c.query("SELECT at > now() - interval '1 minute' FROM event WHERE id = \(honest)")[0]
                .decode(0, as: Bool.self)
            #expect(fresh)
        }
        // Through a command, whatever it is given: a 9 MB argument is kept cut to 1,000 bytes with a marker.
        #expect(m.r.refusal("institution.show", as: m.zj, ["institution": big]) != nil)
        let kept = try m.r.connection.query(
            """
            SELECT arguments->>'institution' FROM event WHERE command = 'institution.show' AND actor = \(m.zj) ORDER BY at DESC LIMIT 1
            """)[0].decode(0, as: String.self)
        #expect(kept.hasSuffix("…[cut: 9000000 bytes]") && kept.utf8.count < 1100, "\(kept.suffix(40))")

        // The chain: sealed, verified, its head exported.
        let head = try m.r.run("events.head", [:])
        let exported = "seq \(head.fields[0].1.plain)\nhash \(head.fields[2].1.plain)\n"
        let anchorFile = NSTemporaryDirectory() + "anchor-\(m.tag).txt"
        try exported.write(toFile: anchorFile, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: anchorFile) }
        let ok = try m.r.run("events.verify", ["anchor": anchorFile])
        #expect(ok.fields.first { $0.0 == "ok" }?.1.plain == "true")
        #expect(Int(ok.fields.first { $0.0 == "checked" }!.1.plain)! > 20)

        // The superuser deletes an event with the triggers off: verify names the gap.
        let victim = try m.r.connection.query("SELECT id, seq FROM event WHERE seq = 10")[0]
        let victimSeq = try victim.decode(1, as: Int.self)
        try m.r.connection.execute("ALTER TABLE event DISABLE TRIGGER USER")
        try m.r.connection.execute("DELETE FROM event WHERE seq = 10")
        let gap = try #require(Self.failure(m.r, "events.verify", as: nil, [:]))
        #expect(gap.code == "events.chain-broken" && gap.message.contains("place \(victimSeq)"), "\(gap)")
        // An altered event is named too.
        try m.r.connection.execute("UPDATE event SET actor = 'someone-else' WHERE seq = 12")
        try m.r.connection.execute("UPDATE event SET seq = 10 WHERE seq = 11")  // hide the gap by renumbering one
        let altered = try #require(Self.failure(m.r, "events.verify", as: nil, [:]))
        #expect(altered.code == "events.chain-broken" && altered.message.contains("altered"), "\(altered)")
        // The owner rewrites the whole chain after the delete: it verifies again, but not against the exported head.
        try m.r.connection.execute(
            """
            DO $$
            DECLARE e event; h bytea := ''; n bigint := 0;
            BEGIN
                UPDATE event SET seq = NULL, hash = NULL;
                FOR e IN SELECT * FROM event ORDER BY at, id LOOP
                    n := n + 1; h := sha256(h || convert_to(regctl_event_canonical(e), 'UTF8'));
                    UPDATE event SET seq = n, hash = h WHERE id = e.id;
                END LOOP;
            END $$
            """)
        try m.r.connection.execute("ALTER TABLE event ENABLE TRIGGER USER")
        let rewritten = try m.r.run("events.verify", [:])
        #expect(rewritten.fields.first { $0.0 == "ok" }?.1.plain == "true")
        let caught = try #require(Self.failure(m.r, "events.verify", as: nil, ["anchor": anchorFile]))
        #expect(
            caught.code == "events.chain-broken"
                && (caught.message.contains("rewritten") || caught.message.contains("no longer")), "\(caught)")
    }

    @Test func loginsNeedTheirPasswordAndDisabledAccountsCannotLogIn() throws {
        let m = try Matrix()
        #expect(throws: PostgresError.self) { _ = try m.login(m.hr, password: "wrong-password-1") }
        try m.r.run("staff.disable", ["id": m.hr])
        #expect(throws: PostgresError.self) { _ = try m.login(m.hr) }
        #expect(m.r.refusal("staff.list", as: m.hr, [:]) == "permission.denied")
        // A new password for an active account; the event log never holds it.
        let set = try m.r.run("staff.password", ["id": m.zj])
        let fresh = try #require(set.fields.first { $0.0 == "password" }.map { "\($0.1)" })
        #expect(fresh.count > 20)
        let logged = try m.r.connection.query(
            "SELECT string_agg(arguments::text, ' ') FROM event WHERE command LIKE 'staff.%'")[0].decode(
                0, as: String.self)
        #expect(!logged.contains(m.password) && !logged.contains("password"))
    }

    @Test func theApplicationActsAsTheAccountAndKeepsItsCodes() throws {
        let m = try Matrix()
        // Through the handler with --as: the command runs as the application role of the account's kind.
        let hrList = try m.r.run("filing.list", as: m.hr, ["institution": m.w.clinic])
        #expect(hrList.table?.rows.count == 1)
        #expect(
            m.r.refusal(
                "filing.add", as: m.hr,
                [
                    "physician": m.jsPhysician.physician, "institution": m.w.nanjingClinic, "contract_no": "Y-1",
                    "from": "2026-04-01", "to": "2026-12-31"
                ]) == "permission.denied")
        #expect(
            m.r.refusal("registration.approve", as: m.js, ["registration": m.zjPhysician.registration])
                == "permission.denied")
        // Nothing of it stays on the connection: the role and the actor end with the transaction.
        #expect(
            try m.r.connection.query("SELECT current_user::text, coalesce(current_setting('regctl.actor', true), '')")[
                0
            ].decode(0, as: String.self) == TestCluster.cluster.superuser)
        #expect(
            try m.r.connection.query("SELECT coalesce(current_setting('regctl.actor', true), '')")[0].decode(
                0, as: String.self) == "")
        // A staff login runs no commands: it reads in SQL; the refusal says where commands run.
        let hrHandler = Handler(store: Store(connection: try m.login(m.hr)), today: m.r.today)
        do {
            _ = try hrHandler.execute("filing.list", Arguments(["institution": .string(m.w.clinic)]), as: nil)
            Issue.record("a staff login ran a command")
        } catch let e as RegctlError {
            #expect(e.code == "permission.denied" && e.message.contains("staff login"))
        }
        #expect(throws: RegctlError.self) { _ = try hrHandler.execute("staff.list", Arguments(), as: m.zj) }
    }
}
