import Testing
import Foundation
import TestSupport

/// Studios, nurses, pilots, credit, spot checks and the daily run, through the binary.
@Suite struct ProgrammeCLITests {
    @Test func programmesThroughTheBinary() throws {
        let db = try TestCluster.database()
        // A decision dated `--on` a later day is made on that day (never ahead of it: input.future-date).
        func run(_ args: [String], today: String = "2026-03-02") -> CLIResult {
            let on = args.firstIndex(of: "--on").map { args[$0 + 1] }
            return CLI.run(args, database: db.url, environment: ["REGCTL_TODAY": max(today, on ?? today)])
        }
        func ok(_ args: [String], today: String = "2026-03-02", sourceLocation: SourceLocation = #_sourceLocation)
            -> String
        {
            let r = run(args, today: today)
            #expect(r.status == 0, "\(args.joined(separator: " ")): \(r)", sourceLocation: sourceLocation)
            return r.stdout.trimmingCharacters(in: .newlines)
        }
        let hospital = ok([
            "institution", "add", "--name", "医院", "--uscc", Make.creditCode(region: "330106", serial: 1), "--region",
            "330106",
            "--ownership", "public", "--category", "general-hospital", "--beds", "100"
        ])
        let township = ok([
            "institution", "add", "--name", "双浦镇卫生院", "--uscc", Make.creditCode(region: "330106", serial: 2),
            "--region", "330106",
            "--ownership", "public", "--category", "township-health-center", "--beds", "10"
        ])
        let social = ok([
            "institution", "add", "--name", "树兰医院", "--uscc", Make.creditCode(region: "330105", serial: 3), "--region",
            "330105",
            "--ownership", "social", "--category", "general-hospital", "--beds", "600"
        ])
        let nanjing = ok([
            "institution", "add", "--name", "南京医院", "--uscc", Make.creditCode(region: "320106", serial: 4), "--region",
            "320106",
            "--ownership", "public", "--category", "general-hospital", "--beds", "600"
        ])
        let id = Make.residentID(born: "19580505", sequence: 11)
        let p = ok([
            "physician", "add", "--name", "周", "--id-number", id, "--qualification-no", "Q11", "--level", "physician",
            "--category", "tcm"
        ])
        let reg = ok(["registration", "apply", "--physician", p, "--institution", hospital, "--scope", "中医"])
        _ = ok(["registration", "approve", reg])
        _ = ok(["registration", "leave", reg, "--reason", "retired", "--on", "2026-03-31"])

        let refusedStudio = run([
            "studio", "open", "--physician", p, "--host", hospital, "--name", "S", "--from", "2026-04-15", "--resume"
        ])
        #expect(refusedStudio.status == 1 && refusedStudio.stderr.hasPrefix("error[studio.host-ineligible]"))
        let studio = ok([
            "studio", "open", "--physician", p, "--host", township, "--name", "周医生工作室", "--from", "2026-04-15",
            "--resume"
        ])
        #expect(studio.hasPrefix(studio.prefix(36)) && UUID(uuidString: String(studio.prefix(36))) != nil)
        #expect(
            ok(["studio", "list", "--region", "330100", "--format", "csv"]).contains(
                "周医生工作室,周,retired,双浦镇卫生院,330106,township-health-center,2026-04-15,open"))
        #expect(ok(["registration", "show", reg, "--format", "json"]).contains(#""status":"active""#))

        let pilot = ok(["pilot", "add", "--region", "330100", "--from", "2026-01-01"])
        #expect(ok(["pilot", "list", "--format", "csv"]).contains("\(pilot),330100,杭州市,2026-01-01,,true"))
        let nurse = ok([
            "nurse", "add", "--name", "陈静", "--id-number",
            Make.residentID(region: "330105", born: "19920808", sequence: 12), "--qualification-no", "N12"
        ])
        // The same number again: the rule's refusal, the number masked (R-72), its event recorded (R-71); never the database's text.
        let twice = run([
            "nurse", "add", "--name", "陈静", "--id-number",
            Make.residentID(region: "330105", born: "19920808", sequence: 12), "--qualification-no", "N13"
        ])
        #expect(
            twice.status == 1 && twice.stderr.hasPrefix("error[nurse.exists]")
                && !twice.stderr.contains(Make.residentID(region: "330105", born: "19920808", sequence: 12)), "\(twice)"
        )
        let sameQualification = run([
            "nurse", "add", "--name", "李静", "--id-number",
            Make.residentID(region: "330105", born: "19920808", sequence: 14), "--qualification-no", "N12"
        ])
        #expect(
            sameQualification.status == 1 && sameQualification.stderr.hasPrefix("error[nurse.qualification-exists]"),
            "\(sameQualification)")
        let nr = ok(["nurse", "register", "--nurse", nurse, "--institution", hospital, "--regional"])
        #expect(ok(["nurse", "approve", nr, "--format", "json"]).contains(#""expires_on":"2031-03-02""#))
        _ = ok([
            "nurse", "file", "--nurse", nurse, "--institution", social, "--contract-no", "HN-1", "--from", "2026-04-01",
            "--to", "2027-03-31"
        ])
        let outside = run([
            "nurse", "file", "--nurse", nurse, "--institution", nanjing, "--contract-no", "HN-2", "--from",
            "2026-04-01", "--to", "2027-03-31"
        ])
        #expect(outside.status == 1 && outside.stderr.hasPrefix("error[nurse.not-in-pilot]"))
        #expect(ok(["nurse", "show", nurse]).contains("(regional)"))
        // A nurse is named as a physician is: a number that is no valid one is input.id-number (exit 64), one
        // nobody holds is not-found, quoted masked (R-72).
        let malformed = run(["nurse", "show", "33010619800101001"])
        #expect(
            malformed.status == 64 && malformed.stderr.hasPrefix("error[input.id-number]: --nurse: "), "\(malformed)")
        let nobody = run(["nurse", "show", Make.residentID(region: "330106", born: "19800101", sequence: 777)])
        #expect(
            nobody.status == 1 && nobody.stderr.hasPrefix("error[not-found]: no nurse '330106********"), "\(nobody)")
        #expect(ok(["nurse", "list", "--region", "330000", "--format", "csv"]).contains("陈静"))
        let late = run(["nurse", "renew", nr, "--on", "2031-02-10"])
        #expect(late.status == 1 && late.stderr.hasPrefix("error[nurse.renewal-too-late]"))
        #expect(ok(["nurse", "renew", nr, "--on", "2031-01-30", "--format", "csv"]).contains("2036-03-02"))

        let second = ok([
            "physician", "add", "--name", "李", "--id-number", Make.residentID(sequence: 13), "--qualification-no",
            "Q13", "--level", "physician", "--category", "clinical"
        ])
        let reg2 = ok(["registration", "apply", "--physician", second, "--institution", hospital, "--scope", "内科"])
        _ = ok(["registration", "approve", reg2])
        let credit = ok([
            "credit", "add", "--subject", Make.residentID(sequence: 13), "--kind", "blacklist", "--on", "2026-03-01",
            "--document", "浙卫罚1号"
        ])
        let blocked = run([
            "filing", "add", "--physician", second, "--institution", social, "--contract-no", "X1", "--from",
            "2026-04-01", "--to", "2026-12-31"
        ])
        #expect(blocked.status == 1 && blocked.stderr.hasPrefix("error[physician.blacklisted]"))
        #expect(
            ok(["credit", "list", "--in-force", "--format", "csv"]).contains(
                "physician,李,blacklist,2026-03-01,,,true,true,浙卫罚1号"))
        _ = ok(["credit", "lift", credit, "--on", "2026-03-02"])
        _ = ok([
            "filing", "add", "--physician", second, "--institution", social, "--contract-no", "X1", "--from",
            "2026-04-01", "--to", "2026-12-31"
        ])

        let a = ok([
            "inspect", "draw", "--region", "330100", "--institutions", "2", "--inspectors", "0", "--seed", "s1",
            "--format", "csv"
        ])
        #expect(
            a
                == ok([
                    "inspect", "draw", "--region", "330100", "--institutions", "2", "--inspectors", "0", "--seed", "s1",
                    "--format", "csv"
                ]))
        #expect(a.components(separatedBy: "\r\n").count == 3)

        let first = ok(["maintain", "--on", "2027-01-01", "--format", "csv"])
        #expect(first.contains("filings ended at contract end (R-24),1"))
        #expect(
            ok(["maintain", "--on", "2027-01-01", "--format", "csv"]).components(separatedBy: "\r\n").dropFirst()
                .filter { !$0.hasPrefix("national multi-site") }.allSatisfy { $0.hasSuffix(",0") || $0.isEmpty })
        let policy = ok(["policy", "set", "--province", "330000", "--studio-max-age", "75", "--format", "csv"])
        #expect(policy.contains("330000,,75"))
    }
}
