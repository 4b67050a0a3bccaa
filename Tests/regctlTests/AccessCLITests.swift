import Testing
import Foundation
import Postgres
import TestSupport

/// Staff accounts as database logins, through the binary: a user connects with their own
/// credentials and the database applies their role's privileges and policies.
@Suite struct AccessCLITests {
    @Test func anAccountConnectsWithItsOwnLoginAndOnlyAsItself() throws {
        let db = try TestCluster.database()
        let tag = String(UUID().uuidString.lowercased().prefix(8))
        let (hr, reg) = ("hr-\(tag)", "reg-\(tag)")
        func admin(_ args: [String], stdin: String = "") -> CLIResult {
            CLI.run(args, database: db.url, stdin: stdin, environment: ["REGCTL_TODAY": "2026-03-02"])
        }
        let clinic = admin(["institution", "add", "--name", "杭州和睦门诊部", "--uscc", Make.creditCode(region: "330106", serial: 1), "--region", "330106",
                            "--ownership", "social", "--category", "outpatient-department", "--beds", "20"]).stdout.trimmingCharacters(in: .newlines)
        let other = admin(["institution", "add", "--name", "南京鼓楼诊所", "--uscc", Make.creditCode(region: "320102", serial: 2), "--region", "320102",
                           "--ownership", "social", "--category", "clinic", "--beds", "0"]).stdout.trimmingCharacters(in: .newlines)
        // A generated password, shown once in the output (json here), never in the event log.
        let added = admin(["staff", "add", "--id", hr, "--name", "人事", "--role", "hr", "--institution", clinic, "--format", "json"])
        #expect(added.status == 0, "\(added)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(added.stdout.utf8)) as? [String: Any])
        let password = try #require(json["password"] as? String)
        #expect(password.count == 20 && json["login"] as? String == hr)
        #expect(added.stderr.contains("shown this once"))
        // A password from stdin is not echoed; too short is a usage error.
        #expect(admin(["staff", "add", "--id", reg, "--name", "登记", "--role", "registrar", "--region", "330000", "--password-stdin"],
                      stdin: "short\n").status == 64)
        #expect(admin(["staff", "add", "--id", reg, "--name", "登记", "--role", "registrar", "--region", "330000", "--password-stdin"],
                      stdin: "registrar-secret-1\n").stdout == reg + "\n")
        let log = try db.connect().query("SELECT string_agg(arguments::text, ' ') FROM event")[0].decode(0, as: String.self)
        #expect(!log.contains(password) && !log.contains("registrar-secret-1"))

        // The HR department with its own URL: its institution only, as itself.
        let own = "host=\(TestCluster.cluster.socketDirectory) dbname=\(db.name) user=\(hr) password=\(password)"
        let mine = CLI.run(["institution", "show", clinic], database: own)
        #expect(mine.status == 0 && mine.stdout.contains("杭州和睦门诊部"), "\(mine)")
        let theirs = CLI.run(["filing", "list", "--institution", other], database: own)
        #expect(theirs.status == 1 && theirs.stderr.hasPrefix("error[permission.denied]"), "\(theirs)")
        let impersonating = CLI.run(["staff", "list", "--as", reg], database: own)
        #expect(impersonating.status == 1 && impersonating.stderr.contains("--as is for an admin connection"), "\(impersonating)")
        let wrong = CLI.run(["staff", "list"], database: "host=\(TestCluster.cluster.socketDirectory) dbname=\(db.name) user=\(hr) password=not-the-password")
        #expect(wrong.status == 69 && !wrong.stderr.contains("not-the-password"), "\(wrong)")

        // Disabled: no login any more.
        #expect(admin(["staff", "disable", "--id", hr]).status == 0)
        let disabled = CLI.run(["staff", "list"], database: own)
        #expect(disabled.status == 69 && disabled.stderr.contains("not permitted to log in"), "\(disabled)")
    }
}
