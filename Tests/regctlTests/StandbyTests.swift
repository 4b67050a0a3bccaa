import API
import Foundation
import Postgres
import Testing
import TestSupport

/// Beyond one machine: a hot standby of the embedded cluster, reads sent to it, writes refused by it, events
/// on the primary, libpq's multi-host URLs, the replication role, and the failover drill (smoke size here;
/// `scripts/check` runs it at 10,000 lines).
@Suite(.serialized) struct StandbyTests {
    /// One pair for the reading tests: remote_apply, so that a read on the standby right after a write sees it.
    static let shared: Result<ClusterPair, Error> = Result {
        let pair = try ClusterPair("reads", synchronousCommit: "remote_apply")
        pair.stopAtExit()
        try pair.seed(physicians: 300)
        let password = CLI.run(
            ["staff", "password", "--id", "bench-reg", "--password-stdin"], database: pair.primaryURL,
            stdin: "standby-secret-123\n")
        guard password.status == 0 else { throw ServerError("no password for bench-reg: \(password)") }
        try pair.waitForReplay()
        return pair
    }

    static func events(_ pair: ClusterPair, _ condition: SQL) throws -> Int {
        try ClusterPair.query(pair.primary, "SELECT count(*)::int FROM event WHERE " + condition)[0].decode(
            0, as: Int.self)
    }

    @Test func readsGoToTheStandbyAndTheirEventsToThePrimary() throws {
        let pair = try Self.shared.get()
        let before = try Self.events(pair, "command = 'physician.list' AND outcome = 'accepted'")
        let list = CLI.run(
            ["physician", "list", "--as", "bench-reg", "--read-database", pair.standbyURL], database: pair.primaryURL)
        #expect(list.status == 0, "\(list)")
        #expect(list.stdout.contains("压测医师1"))
        #expect(list.stderr.contains("answered by a standby: its data is as of 20"), "\(list)")
        #expect(try Self.events(pair, "command = 'physician.list' AND outcome = 'accepted'") == before + 1)

        // A report says how fresh the standby's data is, in every format; in Chinese too.
        let json = CLI.run(
            ["report", "multisite", "--region", "330000", "--format", "json", "--read-database", pair.standbyURL],
            database: pair.primaryURL)
        #expect(json.status == 0, "\(json)")
        let report = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect((report?["data_as_of"] as? String)?.hasPrefix("20") == true, "\(json)")
        let zh = CLI.run(
            ["report", "multisite", "--region", "330000", "--lang", "zh"], database: pair.primaryURL,
            environment: ["REGCTL_READ_URL": pair.standbyURL, "REGCTL_LANG": "zh"])
        #expect(zh.status == 0 && zh.stdout.contains("数据截至（备库）") && zh.stderr.contains("由备库答复"), "\(zh)")

        // exec's answer lines carry the note too (programs read no stderr), in --lang's language; a write's has none.
        let exec = CLI.run(
            ["exec", "--as", "bench-reg", "--read-database", pair.standbyURL, "--lang", "zh"],
            database: pair.primaryURL,
            stdin: #"{"command":"region.list","args":{"parent":"330000"}}"# + "\n"
                + #"{"command":"staff.password","args":{"id":"nobody-here","password":"x"}}"# + "\n")
        let answers = exec.stdout.split(separator: "\n")
        #expect(exec.status == 0 && answers.count == 2, "\(exec)")
        #expect(answers.first?.contains(#""notes":["由备库答复：数据截至 20"#) == true, "\(exec)")
        #expect(answers.last?.hasPrefix(#"{"ok":false"#) == true && answers.last?.contains("notes") == false, "\(exec)")

        // On the primary alone (no read database): no note, no as-of.
        let plain = CLI.run(["report", "multisite", "--region", "330000"], database: pair.primaryURL)
        #expect(plain.status == 0 && !plain.stdout.contains("data_as_of") && !plain.stderr.contains("standby"))

        // A write given a read database still goes to the primary.
        let write = CLI.run(
            [
                "filing", "add", "--as", "bench-reg", "--physician", "\(Self.uuid(8, 7))", "--institution",
                "\(Self.uuid(9, 107))", "--contract-no", "RD-7", "--from", "2026-03-02", "--to", "2027-03-01",
                "--read-database", pair.standbyURL
            ], database: pair.primaryURL, environment: ["REGCTL_TODAY": "2026-03-02"])
        #expect(write.status == 0, "\(write)")
        // remote_apply: the standby has it as soon as the command answered.
        let shown = CLI.run(
            ["filing", "list", "--physician", Self.uuid(8, 7), "--read-database", pair.standbyURL],
            database: pair.primaryURL)
        #expect(shown.status == 0 && shown.stdout.contains("RD-7"), "\(shown)")
    }

    /// `md5('kind-n')::uuid`, the bench seed's ids.
    static func uuid(_ kind: Int, _ n: Int) -> String {
        let key = "\(kind)-\(n)"
        return
            (try? ClusterPair.query(Self.shared.get().primary, "SELECT md5(\(key))::uuid::text")[0].decode(
                0, as: String.self)) ?? ""
    }

    @Test func aStandbyNamedAsTheDatabaseAnswersReadsAndRefusesWrites() throws {
        let pair = try Self.shared.get()
        let before = try Self.events(pair, "command = 'region.list'")
        let read = CLI.run(["region", "list", "--parent", "330000"], database: pair.standbyURL)
        #expect(read.status == 0 && read.stdout.contains("杭州市"), "\(read)")
        #expect(read.stderr.contains("answered by a standby"))
        // Its event was written on the primary (found through the standby's own WAL receiver).
        #expect(try Self.events(pair, "command = 'region.list'") == before + 1)

        let refusedBefore = try Self.events(pair, "error_code = 'database.read-only'")
        let write = CLI.run(
            ["staff", "add", "--id", "sb-w", "--name", "W", "--role", "analyst", "--region", "330000"],
            database: pair.standbyURL)
        #expect(write.status == 69, "\(write)")
        #expect(write.stderr.hasPrefix("error[database.read-only]: the server this command reached is a standby"))
        #expect(write.stderr.contains("target_session_attrs=read-write"))
        #expect(
            try Self.events(pair, "error_code = 'database.read-only' AND command = 'staff.add'") == refusedBefore + 1)
        #expect(
            try ClusterPair.query(pair.primary, "SELECT count(*)::int FROM staff WHERE id = 'sb-w'")[0].decode(
                0, as: Int.self) == 0)

        // As JSON for a program.
        let json = CLI.run(
            ["staff", "disable", "--id", "bench-reg", "--format", "json"], database: pair.standbyURL)
        #expect(json.status == 69 && json.stderr.contains("\"code\":\"database.read-only\""), "\(json)")
    }

    /// Every command that only reads runs on a standby (as exec lines against it): none of them writes.
    /// (`events.head` is not one: it seals the events waiting first; on a standby it is refused.)
    @Test func everyReadingCommandRunsOnAStandby() throws {
        let pair = try Self.shared.get()
        let physician = Self.uuid(8, 3), institution = Self.uuid(9, 3), registration = Self.uuid(7, 3)
        let arguments: [String: [String: String]] = [
            "region.list": [:], "staff.list": [:], "events.list": [:], "events.verify": [:],
            "institution.show": ["institution": institution], "institution.list": [:],
            "physician.show": ["physician": physician], "physician.list": [:], "calendar.list": [:],
            "registration.show": ["registration": registration], "registration.list": [:], "filing.list": [:],
            "policy.list": [:], "studio.list": [:], "nurse.show": ["nurse": UUID().uuidString.lowercased()],
            "nurse.list": [:], "pilot.list": [:], "credit.list": [:],
            "report.multisite": ["region": "330000"], "report.social-beds": ["region": "330000"],
            "report.processing": ["region": "330000"], "report.studios": ["region": "330000"],
            "report.nurse-pilot": ["region": "330000"], "report.expiring": ["region": "330000"],
            "report.credit": ["region": "330000"], "report.roster": ["institution": Self.uuid(9, 4)],
            "lookup.physician": ["name": "压测医师3"], "lookup.nurse": ["name": "某护士"],
            "lookup.institution": ["name": "压测机构"]
        ]
        let reading = CommandRegistry.all.filter { $0.readsOnly }.map { $0.name }
        #expect(Set(reading) == Set(arguments.keys), "a reading command without arguments here")
        let lines = reading.sorted().map { name -> String in
            let args = (arguments[name] ?? [:]).map { "\"\($0.key)\":\"\($0.value)\"" }.joined(separator: ",")
            return "{\"command\":\"\(name)\",\"args\":{\(args)}}"
        }
        // The standby as the database, and as the read database beside the primary.
        for (database, extra) in [
            (pair.standbyURL, [String: String]()), (pair.primaryURL, ["REGCTL_READ_URL": pair.standbyURL])
        ] {
            let run = CLI.run(
                ["exec"], database: database, stdin: lines.joined(separator: "\n") + "\n", environment: extra)
            let answers = run.stdout.split(separator: "\n").map(String.init)
            #expect(answers.count == lines.count, "\(run)")
            // Each read, and found what it looked for or that it is not there (a nurse no one added).
            for (line, answer) in zip(lines, answers) {
                #expect(
                    answer.contains("\"ok\":true") || answer.contains("not-found\""), "\(line) → \(answer)")
            }
        }
    }

    @Test func aMultiHostURLFindsThePrimaryListedSecond() throws {
        let pair = try Self.shared.get()
        let url = pair.multiHostURL("read-write")
        let add = CLI.run(
            ["staff", "add", "--id", "mh-analyst", "--name", "多主机", "--role", "analyst", "--region", "330000"],
            database: url)
        #expect(add.status == 0, "\(add)")
        #expect(
            try ClusterPair.query(pair.primary, "SELECT count(*)::int FROM staff WHERE id = 'mh-analyst'")[0]
                .decode(0, as: Int.self) == 1)
        // prefer-standby as the read database: the standby answers, whichever is listed first.
        let read = CLI.run(
            [
                "staff", "list", "--read-database",
                "postgresql://regctl@/regctl?host=\(pair.primary)/run,\(pair.standby)/run"
            ],
            database: url)
        #expect(
            read.status == 0 && read.stdout.contains("mh-analyst") && read.stderr.contains("answered by a standby"),
            "\(read)")
    }

    /// Replication runs as its own role with its own password: never the superuser, never trust; nor may a
    /// staff login stream the WAL (all of the registry's rows, past every policy).
    @Test func replicationIsItsOwnRoleWithItsOwnPassword() throws {
        let pair = try Self.shared.get()
        let role = try ClusterPair.query(
            pair.primary,
            "SELECT rolsuper, rolreplication, rolcanlogin, rolbypassrls FROM pg_roles WHERE rolname = 'regctl_replicator'"
        )
        #expect(role.count == 1)
        #expect(try role[0].decode(0, as: Bool.self) == false && role[0].decode(1, as: Bool.self) == true)
        #expect(try role[0].decode(3, as: Bool.self) == false)
        for home in [pair.primary, pair.standby] {
            let hba = try String(contentsOfFile: home + "/data/pg_hba.conf", encoding: .utf8)
            #expect(!hba.split(separator: "\n").contains { !$0.hasPrefix("#") && $0.contains("trust") }, "\(hba)")
            #expect(hba.contains("local replication regctl_replicator scram-sha-256"))
            var st = stat()
            #expect(stat(home + "/replication.pgpass", &st) == 0 || home == pair.primary)
        }
        var st = stat()
        #expect(stat(pair.standby + "/replication.pgpass", &st) == 0 && st.st_mode & 0o077 == 0)
        let socket = "host=\(pair.primary)/run dbname=replication replication=true"
        func replication(_ extra: String) -> String? {
            do {
                _ = try Connection(socket + " " + extra)
                return nil
            } catch { return "\(error)" }
        }
        #expect(replication("user=regctl_replicator passfile=\(pair.standby)/replication.pgpass") == nil)
        #expect(
            replication("user=regctl_replicator password=not-the-password")?.contains("password authentication failed")
                == true)
        // The superuser's peer login is for the database, not for replication; nor may a staff login stream.
        #expect(replication("user=regctl")?.contains("no pg_hba.conf entry for replication connection") == true)
        #expect(replication("user=bench-reg password=standby-secret-123") != nil)
        // On the standby a staff login is what it is on the primary: its scope's columns only (R-72), no writes.
        let staff = try Connection(
            pair.standbyURL, overrides: [("user", "bench-reg"), ("password", "standby-secret-123")])
        #expect(throws: PostgresError.self) { try staff.query("SELECT id_number FROM physician LIMIT 1") }
        #expect(try staff.query("SELECT count(*)::int FROM physician_v")[0].decode(0, as: Int.self) > 0)
        #expect(throws: PostgresError.self) { try staff.query("DELETE FROM event") }
        // On the primary, what db standby drop does is not a staff login's: no slot dropped, no setting altered.
        let onPrimary = try Connection(
            pair.primaryURL, overrides: [("user", "bench-reg"), ("password", "standby-secret-123")])
        #expect(throws: PostgresError.self) {
            try onPrimary.query("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots")
        }
        #expect(throws: PostgresError.self) {
            try onPrimary.executeScript(unsafeSQL: "ALTER SYSTEM SET synchronous_standby_names = ''")
        }
        #expect(
            try ClusterPair.query(pair.primary, "SELECT count(*)::int FROM pg_replication_slots")[0].decode(
                0, as: Int.self) >= 1)
    }

    @Test func standbyStatusPromoteAndTheirRefusals() throws {
        let pair = try Self.shared.get()
        let primary = CLI.run(["db", "standby", "status", "--format", "json"], database: nil, home: pair.primary)
        #expect(primary.status == 0, "\(primary)")
        let rows = try JSONSerialization.jsonObject(with: Data(primary.stdout.utf8)) as? [[String: Any]] ?? []
        #expect(
            rows.count == 1 && rows[0]["server"] as? String == "primary" && rows[0]["state"] as? String == "streaming")
        #expect(rows[0]["sync"] as? String == "quorum" && rows[0]["lag_bytes"] is Int, "\(rows)")
        let standby = CLI.run(["db", "standby", "status"], database: nil, home: pair.standby)
        #expect(standby.status == 0 && standby.stdout.contains("standby  regctl_standby_"), "\(standby)")
        let zh = CLI.run(["db", "standby", "status", "--lang", "zh"], database: nil, home: pair.primary)
        #expect(zh.stdout.hasPrefix("服务器") && zh.stdout.contains("延迟（字节）") && !zh.stdout.contains("lag_"), "\(zh)")
        let status = CLI.run(["db", "status"], database: nil, home: pair.standby)
        #expect(status.status == 0 && status.stdout.contains("schema   current"), "\(status)")
        #expect(
            try ClusterPair.query(pair.standby, "SELECT current_setting('hot_standby_feedback')")[0].decode(
                0, as: String.self) == "on")
        let url = CLI.run(["db", "url"], database: nil, home: pair.standby)
        #expect(url.stdout.contains("host=\(pair.standby)/run"))

        let notStandby = CLI.run(["db", "promote"], database: nil, home: pair.primary)
        #expect(notStandby.status == 1 && notStandby.stderr.hasPrefix("error[db.not-standby]"), "\(notStandby)")
        let again = CLI.run(["db", "standby", "create", "--home", pair.standby], database: nil, home: pair.primary)
        #expect(again.status == 64 && again.stderr.hasPrefix("error[db.standby]"), "\(again)")
        #expect(again.stderr.contains("already holds a cluster"))
        let ofStandby = CLI.run(
            ["db", "standby", "create", "--home", "/tmp/x-\(getpid())"], database: nil, home: pair.standby)
        #expect(ofStandby.status == 64 && ofStandby.stderr.contains("is itself a standby"), "\(ofStandby)")
        // A copy that fails (the kept password no longer the role's) leaves no half-made standby and no slot.
        let passFile = pair.primary + "/replication.pgpass"
        let kept = try String(contentsOfFile: passFile, encoding: .utf8)
        let failedHome = "/tmp/regctl-failed-standby-\(getpid())"
        defer {
            try? kept.write(toFile: passFile, atomically: false, encoding: .utf8)
            try? FileManager.default.removeItem(atPath: failedHome)
        }
        try "*:*:*:regctl_replicator:not-the-password\n".write(toFile: passFile, atomically: false, encoding: .utf8)
        let failed = CLI.run(["db", "standby", "create", "--home", failedHome], database: nil, home: pair.primary)
        #expect(failed.status == 69 && failed.stderr.contains("pg_basebackup could not copy"), "\(failed)")
        #expect((try? FileManager.default.contentsOfDirectory(atPath: failedHome + "/data"))?.isEmpty ?? true)
        #expect(
            try ClusterPair.query(
                pair.primary,
                "SELECT count(*)::int FROM pg_replication_slots WHERE slot_name LIKE 'regctl_regctl_failed%'"
            )[0].decode(0, as: Int.self) == 0)
        let external = CLI.run(["db", "standby", "create", "--home", "/tmp/x"], database: pair.primaryURL)
        #expect(external.status == 64 && external.stderr.hasPrefix("error[db.external]"), "\(external)")
        let mode = CLI.run(
            ["db", "standby", "create", "--home", "/tmp/x", "--synchronous-commit", "sometimes"], database: nil)
        #expect(mode.status == 64)
    }

    @Test func aStandbyIsDroppedForGood() throws {
        let pair = try Self.shared.get()
        let home = "/tmp/regctl-dropped-standby-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: home) }
        let made = CLI.run(
            ["db", "standby", "create", "--home", home, "--synchronous-commit", "remote_apply"], database: nil,
            home: pair.primary)
        #expect(made.status == 0, "\(made)")
        let name = LocalCluster.standbyName(home: home)
        func setting() throws -> String {
            try ClusterPair.query(pair.primary, "SELECT current_setting('synchronous_standby_names')")[0].decode(
                0, as: String.self)
        }
        func slots() throws -> Int {
            try ClusterPair.query(
                pair.primary, "SELECT count(*)::int FROM pg_replication_slots WHERE slot_name = \(name)")[0].decode(
                    0, as: Int.self)
        }
        #expect(try setting().contains(name) && slots() == 1)
        // By name while it streams: refused, and nothing changed.
        let streaming = CLI.run(["db", "standby", "drop", "--name", name], database: nil, home: pair.primary)
        #expect(streaming.status == 64 && streaming.stderr.contains("still streams"), "\(streaming)")
        #expect(try setting().contains(name) && slots() == 1)
        // From the standby's own home, or with both options or neither: refused.
        let fromStandby = CLI.run(["db", "standby", "drop", "--home", home], database: nil, home: home)
        #expect(fromStandby.status == 64 && fromStandby.stderr.hasPrefix("error[db.standby]"), "\(fromStandby)")
        #expect(CLI.run(["db", "standby", "drop"], database: nil, home: pair.primary).status == 64)
        // Through a URL (a staff login's door): not regctl's to drop; a login may not touch slots or settings.
        let external = CLI.run(["db", "standby", "drop", "--name", name], database: pair.primaryURL)
        #expect(external.status == 64 && external.stderr.hasPrefix("error[db.external]"), "\(external)")
        // By its home: stopped, its slot dropped, out of the synchronous list; the other standby stays in it.
        let dropped = CLI.run(
            ["db", "standby", "drop", "--home", home, "--format", "json"], database: nil, home: pair.primary)
        let fields = try JSONSerialization.jsonObject(with: Data(dropped.stdout.utf8)) as? [String: Any] ?? [:]
        #expect(dropped.status == 0 && fields["standby"] as? String == name, "\(dropped)")
        #expect(fields["stopped"] as? Bool == true && fields["slot_dropped"] as? Bool == true, "\(dropped)")
        #expect((fields["synchronous_left"] as? [String])?.first?.hasPrefix("regctl_standby_") == true, "\(dropped)")
        #expect(dropped.stderr.contains("its files are left in \(home)"), "\(dropped)")
        let remaining = try setting()
        #expect(!remaining.contains(name) && remaining.contains("regctl_standby_"), "\(remaining)")
        #expect(try slots() == 0)
        #expect(LocalCluster(home: home, database: "regctl").status() == .stopped)
        // The primary still commits (it waits for the standby that is left) and the status shows that one only.
        let events = try Self.events(pair, "command = 'staff.list'")
        let write = CLI.run(["staff", "list"], database: pair.primaryURL)  // its event is a commit
        #expect(try write.status == 0 && Self.events(pair, "command = 'staff.list'") == events + 1, "\(write)")
        let status = CLI.run(["db", "standby", "status", "--format", "json"], database: nil, home: pair.primary)
        #expect(!status.stdout.contains(name) && status.stdout.contains("regctl_standby_"), "\(status)")
        // Again: nothing of it is left to drop.
        let again = CLI.run(["db", "standby", "drop", "--name", name], database: nil, home: pair.primary)
        #expect(again.status == 64 && again.stderr.contains("has no standby named"), "\(again)")
    }

    /// The last synchronous standby dropped: commits stop waiting (a primary left naming a standby that will never
    /// come would hang every command).
    @Test func theLastSynchronousStandbyDroppedCommitsStopWaiting() throws {
        let pair = try ClusterPair("drop-last", synchronousCommit: "on")
        defer { pair.stop() }
        // Another primary's standby is not this one's to drop: refused, and left running.
        let shared = try Self.shared.get()
        let other = CLI.run(["db", "standby", "drop", "--home", shared.standby], database: nil, home: pair.primary)
        #expect(other.status == 64 && other.stderr.contains("has no standby named"), "\(other)")
        #expect(LocalCluster(home: shared.standby, database: "regctl").status() == .running)
        let dropped = CLI.run(
            ["db", "standby", "drop", "--home", pair.standby, "--lang", "zh"], database: nil, home: pair.primary)
        #expect(dropped.status == 0, "\(dropped)")
        #expect(dropped.stderr.contains("它是最后一个同步备库：提交不再等待备库"), "\(dropped)")
        #expect(
            dropped.stdout.contains("已停止") && dropped.stdout.contains("已删除复制槽")
                && !dropped.stdout.contains("slot_dropped"), "\(dropped)")
        #expect(
            try ClusterPair.query(pair.primary, "SELECT current_setting('synchronous_standby_names')")[0].decode(
                0, as: String.self) == "")
        // Its event is a commit, which waits for no standby now.
        let write = CLI.run(["staff", "list"], database: pair.primaryURL)
        #expect(write.status == 0, "\(write)")
    }

    @Test func theServerReadsFromTheStandbyAndFallsBackToThePrimary() async throws {
        let pair = try Self.shared.get()
        let server = try ServerProcess(database: pair.primaryURL, arguments: ["--read-database", pair.standbyURL])
        defer { _ = server.stop() }
        let http = HTTP(server.url)
        let token = try await http.login("bench-reg", "standby-secret-123")
        let bearer = ["Authorization": "Bearer \(token)"]
        let report = try await http.get("/api/v1/reports/multisite?region=330000", headers: bearer)
        #expect(report.status == 200, "\(report)")
        #expect(String(decoding: report.body, as: UTF8.self).contains("\"data_as_of\":\"20"))
        // A list or a show says it too, in the JSON's notes and the request's language (the CLI's stderr line).
        let list = try await http.post(
            "/api/v1/commands/region.list", json: #"{"parent":"330000"}"#,
            headers: bearer.merging(["Accept-Language": "en"]) { $1 })
        #expect(
            list.status == 200 && list.text.contains(#""notes":["answered by a standby: its data is as of 20"#),
            "\(list)")
        #expect(list.text.contains("330100"), "\(list)")
        let chinese = try await http.get(
            "/api/v1/reports/multisite?region=330000",
            headers: bearer.merging(["Accept-Language": "zh-CN,zh;q=0.9"]) { $1 })
        #expect(chinese.text.contains(#""notes":["由备库答复：数据截至 20"#), "\(chinese)")
        let before = try Self.events(pair, "command = 'report.multisite' AND actor = 'bench-reg'")
        _ = try await http.get("/api/v1/reports/multisite?region=330000", headers: bearer)
        #expect(try Self.events(pair, "command = 'report.multisite' AND actor = 'bench-reg'") == before + 1)
        let lookupPath =
            "/api/v1/public/institutions?name=" + "压测机构12".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let lookup = try await http.get(lookupPath)
        #expect(lookup.status == 200, "\(lookup)")
        // A write through the same server goes to the primary.
        let write = try await http.post(
            "/api/v1/commands/filing.add",
            json:
                #"{"physician":"\#(Self.uuid(8, 11))","institution":"\#(Self.uuid(9, 111))","contract_no":"HTTP-11","from":"2026-03-02","to":"2027-03-01"}"#,
            headers: bearer)
        #expect(write.status == 201, "\(write)")
        // Each pool's waits under its own name.
        let metrics = try await http.get("/metrics").text
        #expect(
            metrics.contains(#"regctl_pool_wait_count{database="standby"}"#)
                && metrics.contains(#"regctl_pool_wait_count{database="primary"}"#), "\(metrics)")

        // A read database that cannot be reached: the primary answers, reports and look-ups alike.
        let gone = try ServerProcess(
            database: pair.primaryURL,
            arguments: [
                "--read-database", "postgresql://regctl@/regctl?host=/nonexistent-\(getpid())&connect_timeout=2"
            ])
        defer { _ = gone.stop() }
        let http2 = HTTP(gone.url)
        let token2 = try await http2.login("bench-reg", "standby-secret-123")
        let fallback = try await http2.get(
            "/api/v1/reports/multisite?region=330000", headers: ["Authorization": "Bearer \(token2)"])
        #expect(
            fallback.status == 200 && !fallback.text.contains("data_as_of") && !fallback.text.contains("由备库"),
            "\(fallback)")
        #expect(try await http2.get(lookupPath).status == 200)
        // And the CLI alike.
        let cli = CLI.run(
            ["staff", "list", "--read-database", "postgresql://regctl@/regctl?host=/nonexistent&connect_timeout=2"],
            database: pair.primaryURL)
        #expect(
            cli.status == 0 && cli.stderr.contains("cannot be reached") && cli.stdout.contains("bench-reg"), "\(cli)")
    }

    // MARK: failover

    /// Lines for the drill: `REGCTL_FAILOVER_LINES` (scripts/check: 10,000), else a smoke of 1,200.
    static var drillLines: Int {
        ProcessInfo.processInfo.environment["REGCTL_FAILOVER_LINES"].flatMap(Int.init) ?? 1200
    }

    static func report(_ label: String, _ result: FailoverDrill.Result) {
        let line = "failover \(label): \(result)\n"
        FileHandle.standardError.write(Data(line.utf8))
        if let path = ProcessInfo.processInfo.environment["REGCTL_FAILOVER_REPORT"] {
            if !FileManager.default.fileExists(atPath: path) {
                _ = FileManager.default.createFile(atPath: path, contents: nil)
            }
            guard let handle = FileHandle(forWritingAtPath: path) else { return }
            handle.seekToEndOfFile()
            handle.write(Data(line.utf8))
            handle.closeFile()
        }
    }

    static func drill(_ name: String, synchronousCommit: String, throughServer: Bool) throws -> FailoverDrill.Result {
        let lines = drillLines
        let pair = try ClusterPair(name, synchronousCommit: synchronousCommit)
        defer { pair.stop() }
        try pair.seed(physicians: lines)
        try pair.waitForReplay()
        let door: FailoverDrill.Door
        var server: ServerProcess?
        if throughServer {
            let password = CLI.run(
                ["staff", "password", "--id", "bench-reg", "--password-stdin"], database: pair.primaryURL,
                stdin: "failover-secret-123\n")
            guard password.status == 0 else { throw ServerError("\(password)") }
            try pair.waitForReplay()
            let s = try ServerProcess(database: pair.multiHostURL())
            server = s
            let login = CLI.run(
                ["login", "--server", s.url, "--id", "bench-reg", "--password-stdin"], database: nil,
                stdin: "failover-secret-123\n")
            guard login.status == 0 else { throw ServerError("\(login)") }
            door = .server(url: s.url)
        } else {
            door = .exec(database: pair.multiHostURL())
        }
        defer { _ = server?.stop() }
        return try FailoverDrill.run(pair: pair, lines: lines, killAfter: lines / 3, door: door) {
            let promoted = CLI.run(["db", "promote"], database: nil, home: pair.standby)
            guard promoted.status == 0 else { throw ServerError("promotion failed: \(promoted)") }
        }
    }

    /// With synchronous commit: a third of the lines answered before the kill, none of them lost, every line's
    /// filing held once after the rest were sent again.
    static func expectNothingLost(_ result: FailoverDrill.Result) {
        #expect(result.accepted >= Self.drillLines / 3, "\(result)")
        #expect(result.lost == 0 && result.duplicated == 0, "\(result)")
        #expect(result.filings == Self.drillLines && result.retriedOther.isEmpty, "\(result)")
    }

    @Test func synchronousReplicationLosesNoAnsweredCommand() throws {
        let result = try Self.drill("sync", synchronousCommit: "on", throughServer: false)
        Self.report("exec, synchronous_commit=on", result)
        Self.expectNothingLost(result)
    }

    @Test func asynchronousReplicationCountsItsLosses() throws {
        let result = try Self.drill("async", synchronousCommit: "off", throughServer: false)
        Self.report("exec, asynchronous", result)
        // What asynchronous replication may lose is counted (the note reports it); nothing is ever twice.
        #expect(result.duplicated == 0 && result.retriedOther.isEmpty, "\(result)")
        // A line lost was answered yes, so nobody sends it again: the registry lacks exactly those.
        #expect(result.filings == Self.drillLines - result.lost, "\(result)")
    }

    /// pg_auto_failover (a monitor and two nodes) promotes the standby by itself when the primary dies; regctl,
    /// given both nodes in one URL, carries on. The smoke: 300 lines, the monitor's timeouts at 5 s
    /// (`scripts/check` runs 10,000 lines on pg_auto_failover's defaults).
    @Test func pgAutoFailoverPromotesTheStandbyByItself() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        var environment = ProcessInfo.processInfo.environment
        environment["FAILOVER_LINES"] = "300"
        environment["FAILOVER_FAST"] = "1"
        environment["FAILOVER_DIR"] = "/tmp/regctl-auto-failover-\(getuid())"
        environment["FAILOVER_PORT"] = "6500"
        environment["REGCTL"] = CLI.binary
        let run = CLI.spawn(["/bin/bash", root + "/scripts/auto-failover-drill"], environment: environment, stdin: "")
        #expect(run.status == 0, "\(run)")
        let summary = run.stdout.split(separator: "\n").filter { $0.hasPrefix("auto-failover:") }.joined(
            separator: "\n")
        FileHandle.standardError.write(Data((summary + "\n").utf8))
        #expect(summary.contains("filings 300, duplicated 0, lost 0; kill to first accepted command"), "\(run)")
    }

    @Test func synchronousReplicationThroughTheServer() throws {
        let result = try Self.drill("http", synchronousCommit: "on", throughServer: true)
        Self.report("HTTP, synchronous_commit=on", result)
        Self.expectNothingLost(result)
    }
}
