import Testing
import Foundation
@testable import API
import Postgres
import Registration
import TestSupport

/// R-70 … R-72 enforced by PostgreSQL itself: each kind of account connects with its own login
/// (password, scram-sha-256) and runs plain SQL, not the application; what it sees, what it
/// changes and what is refused is the database's doing.
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
        var js: String { "jsr-\(tag)" }
        var hr: String { "hr-\(tag)" }
        var analyst: String { "zja-\(tag)" }
        let zjPhysician: (physician: String, registration: String)
        let jsPhysician: (physician: String, registration: String)
        let zjFiling: String, jsFiling: String

        init() throws {
            r = try Registry()
            w = try r.world()
            zjPhysician = try r.registeredPhysician(71, at: w.provincial)
            jsPhysician = try r.registeredPhysician(72, at: w.nanjingHospital, region: "320102")
            zjFiling = try r.run("filing.add", ["physician": zjPhysician.physician, "institution": w.clinic, "contract_no": "M-1",
                                                "from": "2026-03-02", "to": "2027-03-01"]).id!
            jsFiling = try r.run("filing.add", ["physician": jsPhysician.physician, "institution": w.nanjingClinic, "contract_no": "M-2",
                                                "from": "2026-03-02", "to": "2027-03-01"]).id!
            try r.run("credit.add", ["subject": zjPhysician.physician, "kind": "warning", "on": "2026-03-02", "document": "浙卫〔2026〕1号"])
            try r.run("credit.add", ["subject": jsPhysician.physician, "kind": "warning", "on": "2026-03-02", "document": "苏卫〔2026〕1号"])
            for (id, role, scope) in [(admin, "admin", [:]), (zj, "registrar", ["region": "330000"]), (js, "registrar", ["region": "320000"]),
                                      (hr, "hr", ["institution": w.clinic]), (analyst, "analyst", ["region": "330000"])] as [(String, String, [String: Any])] {
                var args: [String: Any] = ["id": id, "name": id, "role": role, "password": password]
                args.merge(scope) { a, _ in a }
                try r.run("staff.add", args)
            }
        }

        /// A plain connection as the account itself, with its password, over the cluster's socket.
        func login(_ id: String, password: String? = nil) throws -> Connection {
            try Connection("host=\(TestCluster.cluster.socketDirectory) dbname=\(r.db.name) user=\(id) password=\(password ?? self.password)")
        }
    }

    static func count(_ c: Connection, _ sql: SQL) throws -> Int { try c.query(sql)[0].decode(0, as: Int.self) }

    /// The SQLSTATE a statement fails with, nil when it succeeds.
    static func refusal(_ c: Connection, _ sql: SQL) -> String? {
        do { try c.execute(sql); return nil } catch let e as PostgresError { return e.sqlState ?? "?" } catch { return "\(error)" }
    }

    @Test func hrSeesAndChangesOnlyItsInstitution() throws {
        let m = try Matrix()
        let c = try m.login(m.hr)
        #expect(try c.query("SELECT current_user::text")[0].decode(0, as: String.self) == m.hr)
        // Filings: its own institution's only, whatever the query asks for.
        #expect(try Self.count(c, "SELECT count(*) FROM filing") == 1)
        #expect(try Self.count(c, "SELECT count(*) FROM filing WHERE institution = \(UUID(uuidString: m.w.nanjingClinic)!)") == 0)
        #expect(try c.execute("UPDATE filing SET scope = '外科' WHERE institution = \(UUID(uuidString: m.w.nanjingClinic)!)") == 0)
        #expect(try c.execute("UPDATE filing SET scope = '外科' WHERE id = \(UUID(uuidString: m.jsFiling)!)") == 0)
        #expect(try c.execute("UPDATE filing SET scope = '内科' WHERE id = \(UUID(uuidString: m.zjFiling)!)") == 1)
        // Inserting a filing for another institution is refused by the policy's WITH CHECK.
        let foreign = Self.refusal(c, """
            INSERT INTO filing (id, province, registration, physician, institution, contract_no, valid_from, valid_to,
                                host_county, host_ownership, home_ownership, category)
            VALUES (\(UUID()), '320000', \(UUID(uuidString: m.jsPhysician.registration)!), \(UUID(uuidString: m.jsPhysician.physician)!),
                    \(UUID(uuidString: m.w.nanjingClinic)!), 'X-1', '2026-04-01', '2026-12-31', '320102', 'social', 'public', 'clinical')
            """)
        #expect(foreign == "42501")
        // Institutions, registrations, staff: its own.
        #expect(try Self.count(c, "SELECT count(*) FROM institution") == 1)
        #expect(try Self.count(c, "SELECT count(*) FROM registration") == 0)
        #expect(try Self.count(c, "SELECT count(*) FROM staff") == 1)
        // People: those who practise there, ID numbers masked; the column itself is not granted.
        #expect(Self.refusal(c, "SELECT id_number FROM physician") == "42501")
        let people = try c.query("SELECT id, id_number FROM physician_v")
        #expect(people.count == 1)
        #expect(try people[0].decode(0, as: UUID.self) == UUID(uuidString: m.zjPhysician.physician)!)
        #expect(try people[0].decode(1, as: String.self).contains("********"))
        // Credit: warnings are not public; none of its people's is about it… the 浙江 warning is about a filed physician
        // whose registration is elsewhere, so HR sees no warning at all; penalties and blacklists would be public.
        #expect(try Self.count(c, "SELECT count(*) FROM credit_record") == 0)
        // No writes where HR has none.
        #expect(Self.refusal(c, "UPDATE institution SET beds = 1") == "42501")
        #expect(Self.refusal(c, "INSERT INTO staff (id, name, role, region) VALUES ('x', 'x', 'admin', NULL)") == "42501")
    }

    @Test func registrarsSeeTheirRegionAndIDNumbersOfTheirOwnSubjects() throws {
        let m = try Matrix()
        let js = try m.login(m.js), zj = try m.login(m.zj)
        let zjPerson = UUID(uuidString: m.zjPhysician.physician)!, jsPerson = UUID(uuidString: m.jsPhysician.physician)!
        // A 江苏 registrar cannot read a 浙江 ID number in full; its own subject's, yes (R-72).
        let zjAsSeenByJS = try js.query("SELECT id_number FROM physician_v WHERE id = \(zjPerson)")[0].decode(0, as: String.self)
        #expect(zjAsSeenByJS == ResidentID.mask(Make.residentID(sequence: 71)))
        #expect(try js.query("SELECT id_number FROM physician_v WHERE id = \(jsPerson)")[0].decode(0, as: String.self) == Make.residentID(region: "320102", sequence: 72))
        #expect(try zj.query("SELECT id_number FROM physician_v WHERE id = \(zjPerson)")[0].decode(0, as: String.self) == Make.residentID(sequence: 71))
        #expect(Self.refusal(js, "SELECT id_number FROM physician") == "42501")
        #expect(Self.refusal(js, "SELECT count(*) FROM physician WHERE id_number LIKE '33%'") == "42501")
        // Rows of the other province: invisible, unchangeable, not insertable.
        #expect(try Self.count(js, "SELECT count(*) FROM registration WHERE id = \(UUID(uuidString: m.zjPhysician.registration)!)") == 0)
        #expect(try Self.count(js, "SELECT count(*) FROM registration") == 1)
        #expect(try js.execute("UPDATE registration SET scopes = '{外科}' WHERE id = \(UUID(uuidString: m.zjPhysician.registration)!)") == 0)
        #expect(try Self.count(js, "SELECT count(*) FROM institution WHERE province = '330000'") == 0)
        #expect(try Self.count(zj, "SELECT count(*) FROM institution") == 4)
        #expect(try Self.count(zj, "SELECT count(*) FROM filing") == 1)
        #expect(try Self.count(zj, "SELECT count(*) FROM credit_record") == 1)
        #expect(try Self.count(js, "SELECT count(*) FROM credit_record") == 1)
        let jiangsuInstitution = Self.refusal(zj, """
            INSERT INTO institution (id, province, uscc, name, region, ownership, category, beds)
            VALUES (\(UUID()), '320000', \(Make.creditCode(region: "320102", serial: 99)), '越权医院', '320102', 'public', 'clinic', 0)
            """)
        #expect(jiangsuInstitution == "42501")
        #expect(Self.refusal(zj, """
            INSERT INTO institution (id, province, uscc, name, region, ownership, category, beds)
            VALUES (\(UUID()), '330000', \(Make.creditCode(region: "330106", serial: 99)), '本省医院', '330106', 'public', 'clinic', 0)
            """) == nil)
        // Identities are national: a registrar finds anyone to register (masked where not theirs).
        #expect(try Self.count(js, "SELECT count(*) FROM physician") == 2)
        // Staff: its own account and its region's.
        #expect(try js.query("SELECT id FROM staff ORDER BY id").map { try $0.decode(0, as: String.self) } == ["js-reg", m.js])
    }

    @Test func analystsOnlyReadAndAdminsSeeEverything() throws {
        let m = try Matrix()
        let a = try m.login(m.analyst)
        #expect(try Self.count(a, "SELECT count(*) FROM registration") == 1)
        #expect(try Self.count(a, "SELECT count(*) FROM filing") == 1)
        #expect(try a.query("SELECT id_number FROM physician_v")[0].decode(0, as: String.self).contains("********"))
        #expect(Self.refusal(a, "UPDATE registration SET scopes = '{外科}'") == "42501")
        #expect(Self.refusal(a, "INSERT INTO pilot (id, region, valid_from) VALUES (\(UUID()), '330100', '2026-01-01')") == "42501")
        #expect(Self.refusal(a, "SELECT regctl_lock('physician', '{}')") == "42501")

        let admin = try m.login(m.admin)
        #expect(try Self.count(admin, "SELECT count(*) FROM filing") == 2)
        #expect(try Self.count(admin, "SELECT count(*) FROM registration") == 2)
        #expect(try Self.count(admin, "SELECT count(*) FROM physician_v WHERE id_number NOT LIKE '%*%'") == 2)
        #expect(try Self.count(admin, "SELECT count(*) FROM physician WHERE id_number LIKE '33%'") == 1)
    }

    @Test func nobodyChangesOrDeletesAnEvent() throws {
        let m = try Matrix()
        for id in [m.admin, m.zj, m.js, m.hr, m.analyst] {
            let c = try m.login(id)
            #expect(Self.refusal(c, "DELETE FROM event") == "42501", "\(id)")
            #expect(Self.refusal(c, "UPDATE event SET actor = 'nobody'") == "42501", "\(id)")
            #expect(Self.refusal(c, "TRUNCATE event") == "42501", "\(id)")
            // Each account appends events in its own name only.
            #expect(Self.refusal(c, "INSERT INTO event (id, actor, command, outcome) VALUES (\(UUID()), 'someone-else', 'x', 'accepted')") == "42501", "\(id)")
            #expect(Self.refusal(c, "INSERT INTO event (id, actor, command, outcome) VALUES (\(UUID()), \(id), 'x', 'accepted')") == nil, "\(id)")
        }
        // The owner too (the trigger), here the cluster's superuser.
        #expect(Self.refusal(m.r.connection, "DELETE FROM event") == "42501")
        #expect(Self.refusal(m.r.connection, "UPDATE event SET actor = 'nobody'") == "42501")
        #expect(Self.refusal(m.r.connection, "TRUNCATE event") == "42501")
        // Others' events stay unseen but for admin.
        #expect(try Self.count(try m.login(m.hr), "SELECT count(*) FROM event") == 1)
        #expect(try Self.count(try m.login(m.admin), "SELECT count(*) FROM event") > 10)
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
        let logged = try m.r.connection.query("SELECT string_agg(arguments::text, ' ') FROM event WHERE command LIKE 'staff.%'")[0].decode(0, as: String.self)
        #expect(!logged.contains(m.password) && !logged.contains("password"))
    }

    @Test func theApplicationActsAsTheAccountAndKeepsItsCodes() throws {
        let m = try Matrix()
        // Through the handler with --as: the command runs as the account's role (not the superuser).
        let hrList = try m.r.run("filing.list", as: m.hr, ["institution": m.w.clinic])
        #expect(hrList.table?.rows.count == 1)
        #expect(m.r.refusal("filing.add", as: m.hr, ["physician": m.jsPhysician.physician, "institution": m.w.nanjingClinic, "contract_no": "Y-1",
                                                       "from": "2026-04-01", "to": "2026-12-31"]) == "permission.denied")
        #expect(m.r.refusal("registration.approve", as: m.js, ["registration": m.zjPhysician.registration]) == "permission.denied")
        // The connection is the login's again afterwards.
        #expect(try m.r.connection.query("SELECT current_user::text")[0].decode(0, as: String.self) == TestCluster.cluster.superuser)
        // A staff login may not act as another account; an account may not be a superuser.
        let hrHandler = Handler(connection: try m.login(m.hr), today: m.r.today)
        #expect(throws: RegctlError.self) { _ = try hrHandler.execute("staff.list", Arguments(), as: m.zj) }
        let own = try hrHandler.execute("filing.list", Arguments(["institution": .string(m.w.clinic)]), as: nil)
        #expect(own.table?.rows.count == 1)
        #expect(m.r.refusal("staff.add", ["id": TestCluster.cluster.superuser, "name": "x", "role": "analyst", "region": "330000"]) == "staff.exists")
    }
}
