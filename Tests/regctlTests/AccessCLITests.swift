import Testing
import Foundation
import Postgres
import TestSupport
#if canImport(Glibc)
    import Glibc
#endif

/// Staff accounts through the binary: the operator's login runs commands `--as` an account; a staff
/// member's own login reads in SQL and runs no commands; the embedded cluster's superuser is no one's
/// for the asking.
@Suite struct AccessCLITests {
    @Test func accountsAreMadeByTheOperatorAndTheirLoginsOnlyRead() throws {
        let db = try TestCluster.database()
        let tag = String(UUID().uuidString.lowercased().prefix(8))
        let (hr, reg) = ("hr-\(tag)", "reg-\(tag)")
        func admin(_ args: [String], stdin: String = "") -> CLIResult {
            CLI.run(args, database: db.url, stdin: stdin, environment: ["REGCTL_TODAY": "2026-03-02"])
        }
        let clinic = admin([
            "institution", "add", "--name", "杭州和睦门诊部", "--uscc", Make.creditCode(region: "330106", serial: 1),
            "--region", "330106",
            "--ownership", "social", "--category", "outpatient-department", "--beds", "20"
        ]).stdout.trimmingCharacters(in: .newlines)
        let other = admin([
            "institution", "add", "--name", "南京鼓楼诊所", "--uscc", Make.creditCode(region: "320102", serial: 2),
            "--region", "320102",
            "--ownership", "social", "--category", "clinic", "--beds", "0"
        ]).stdout.trimmingCharacters(in: .newlines)
        // A generated password, shown once in the output (json here), never in the event log.
        let added = admin([
            "staff", "add", "--id", hr, "--name", "人事", "--role", "hr", "--institution", clinic, "--format", "json"
        ])
        #expect(added.status == 0, "\(added)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(added.stdout.utf8)) as? [String: Any])
        let password = try #require(json["password"] as? String)
        #expect(password.count == 20 && json["login"] as? String == hr)
        #expect(added.stderr.contains("shown this once"))
        // A password from stdin is not echoed; too short is a usage error.
        #expect(
            admin(
                [
                    "staff", "add", "--id", reg, "--name", "登记", "--role", "registrar", "--region", "330000",
                    "--password-stdin"
                ],
                stdin: "short\n"
            ).status == 64)
        #expect(
            admin(
                [
                    "staff", "add", "--id", reg, "--name", "登记", "--role", "registrar", "--region", "330000",
                    "--password-stdin"
                ],
                stdin: "registrar-secret-1\n"
            ).stdout == reg + "\n")
        let log = try db.connect().query("SELECT string_agg(arguments::text, ' ') FROM event")[0].decode(
            0, as: String.self)
        #expect(!log.contains(password) && !log.contains("registrar-secret-1"))

        // The operator acts for HR: its institution only.
        let mine = admin(["institution", "show", clinic, "--as", hr])
        #expect(mine.status == 0 && mine.stdout.contains("杭州和睦门诊部"), "\(mine)")
        let theirs = admin(["filing", "list", "--institution", other, "--as", hr])
        #expect(theirs.status == 1 && theirs.stderr.hasPrefix("error[permission.denied]"), "\(theirs)")

        // HR's own login: it logs in (for SQL), but runs no command, and says where commands run.
        let own = "host=\(TestCluster.cluster.socketDirectory) dbname=\(db.name) user=\(hr) password=\(password)"
        let refused = CLI.run(["institution", "show", clinic], database: own)
        #expect(
            refused.status == 1 && refused.stderr.contains("staff login") && refused.stderr.contains("--as \(hr)"),
            "\(refused)")
        let impersonating = CLI.run(["staff", "list", "--as", reg], database: own)
        #expect(
            impersonating.status == 1 && impersonating.stderr.hasPrefix("error[permission.denied]"), "\(impersonating)")
        // …and in SQL it writes nothing.
        let sql = try Connection(own)
        #expect(throws: PostgresError.self) { try sql.execute("UPDATE institution SET beds = 1") }
        #expect(try sql.query("SELECT count(*) FROM institution")[0].decode(0, as: Int.self) == 1)

        let wrong = CLI.run(
            ["staff", "list"],
            database:
                "host=\(TestCluster.cluster.socketDirectory) dbname=\(db.name) user=\(hr) password=not-the-password")
        #expect(
            wrong.status == 77 && wrong.stderr.hasPrefix("error[auth.failed]")
                && !wrong.stderr.contains("not-the-password"), "\(wrong)")

        // Disabled: no login any more.
        #expect(admin(["staff", "disable", "--id", hr]).status == 0)
        let disabled = CLI.run(["staff", "list"], database: own)
        #expect(disabled.status == 77 && disabled.stderr.contains("not permitted to log in"), "\(disabled)")
    }

    /// A commission's server: the application login is an ordinary login granted `regctl_app` (not a
    /// superuser). It acts only as a named account, with that account's scope, and makes accounts
    /// through the schema owner's function when acting as an admin.
    @Test func anOrdinaryLoginGrantedTheApplicationRoleRunsCommandsForOthers() throws {
        let db = try TestCluster.database()
        let tag = String(UUID().uuidString.lowercased().prefix(8))
        let (op, adm, reg) = ("op-\(tag)", "adm-\(tag)", "reg-\(tag)")
        func superuser(_ args: [String], stdin: String = "") -> CLIResult {
            CLI.run(args, database: db.url, stdin: stdin, environment: ["REGCTL_TODAY": "2026-03-02"])
        }
        #expect(
            superuser(
                ["staff", "add", "--id", adm, "--name", "管理员", "--role", "admin", "--password-stdin"],
                stdin: "admin-secret-123\n"
            ).status == 0)
        let c = try db.connect()
        try c.execute("CREATE ROLE \(identifier: op) LOGIN PASSWORD 'operator-secret-1'")
        defer {
            _ = try? c.execute("DROP OWNED BY \(identifier: op)")
            _ = try? c.execute("DROP ROLE IF EXISTS \(identifier: op)")
        }
        try c.execute("GRANT regctl_app TO \(identifier: op)")
        let url = "host=\(TestCluster.cluster.socketDirectory) dbname=\(db.name) user=\(op) password=operator-secret-1"
        func operator_(_ args: [String], stdin: String = "") -> CLIResult {
            CLI.run(args, database: url, stdin: stdin, environment: ["REGCTL_TODAY": "2026-03-02"])
        }
        // Without an account it is no one: it names the account it acts for.
        let nobody = operator_(["staff", "list"])
        #expect(nobody.status == 1 && nobody.stderr.contains("--as"), "\(nobody)")
        // As the admin account: it adds a registrar (the login gains no role-making right for that).
        let added = operator_(
            [
                "staff", "add", "--id", reg, "--name", "登记", "--role", "registrar", "--region", "330000", "--as", adm,
                "--password-stdin"
            ],
            stdin: "registrar-secret-1\n")
        #expect(added.status == 0 && added.stdout == reg + "\n", "\(added)")
        let inst = operator_([
            "institution", "add", "--name", "杭州和睦门诊部", "--uscc", Make.creditCode(region: "330106", serial: 1),
            "--region", "330106",
            "--ownership", "social", "--category", "outpatient-department", "--beds", "20", "--as", reg
        ])
        #expect(inst.status == 0, "\(inst)")
        let outside = operator_([
            "institution", "add", "--name", "南京鼓楼诊所", "--uscc", Make.creditCode(region: "320102", serial: 2),
            "--region", "320102",
            "--ownership", "social", "--category", "clinic", "--beds", "0", "--as", reg
        ])
        #expect(outside.status == 1 && outside.stderr.hasPrefix("error[permission.denied]"), "\(outside)")
        // The login itself, outside a command, holds nothing: it cannot write or become a superuser.
        let raw = try Connection(url)
        #expect(throws: PostgresError.self) { try raw.execute("UPDATE institution SET beds = 1") }
        #expect(throws: PostgresError.self) { try raw.execute("GRANT pg_execute_server_program TO \(identifier: op)") }
        let events = try c.query("SELECT count(*) FROM event WHERE actor IN (\(adm), \(reg))")[0].decode(
            0, as: Int.self)
        #expect(events == 3)
    }

    /// Attack 1's last step: from the server's own OS account (what `COPY … PROGRAM` would run as),
    /// the cluster's superuser is not reachable; root and the home's owner reach it by peer
    /// authentication, never `trust`.
    @Test func theEmbeddedSuperuserIsPeerAuthenticatedOnly() throws {
        try TestCluster.start()
        let hba = try String(contentsOfFile: TestCluster.cluster.dataDirectory + "/pg_hba.conf", encoding: .utf8)
        let rules = hba.split(separator: "\n").filter {
            !$0.hasPrefix("#") && !$0.trimmingCharacters(in: .whitespaces).isEmpty
        }
        #expect(!rules.contains { $0.contains("trust") }, "\(rules)")
        #expect(rules.first == "local all regctl peer map=regctl")
        let ident = try String(contentsOfFile: TestCluster.cluster.dataDirectory + "/pg_ident.conf", encoding: .utf8)
        #expect(!ident.contains(" postgres "))
        // we (root or the home's owner) still are the superuser
        _ = try Connection(TestCluster.cluster.url(database: "postgres"))
        guard geteuid() == 0 else { return }  // only root can run a program as the server's user
        let psql = try #require(
            ["15", "16", "17", "14"].map { "/usr/lib/postgresql/\($0)/bin/psql" }.first {
                FileManager.default.isExecutableFile(atPath: $0)
            })
        let asServer = CLI.spawn(
            [
                "/usr/sbin/runuser", "-u", "postgres", "--", psql, "-X", "-h", TestCluster.cluster.socketDirectory,
                "-U", TestCluster.cluster.superuser, "-d", "postgres", "-c", "SELECT 1"
            ], environment: [:], stdin: "")
        #expect(asServer.status != 0 && asServer.stderr.contains("Peer authentication failed"), "\(asServer)")
    }
}
