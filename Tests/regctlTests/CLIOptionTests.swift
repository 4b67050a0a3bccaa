import Foundation
import Registration
import RegistrySeed
import Testing
import TestSupport

/// The CLI's options are typed from the domain: help lists an enum's values from the enum itself (they
/// cannot drift from what the command accepts), and a bad value is still regctl's own error.
@Suite struct CLIOptionTests {
    static func help(_ words: [String]) -> String {
        let r = CLI.run(words + ["--help"], database: "postgresql:///none")
        return r.stdout.replacingOccurrences(of: "\n", with: " ").split(whereSeparator: \.isWhitespace).joined(
            separator: " ")
    }

    @Test func helpListsEveryValueOfTheEnum() {
        let cases: [([String], [String])] = [
            (["staff", "add"], StaffRole.allCases.map(\.rawValue)),
            (["registration", "leave"], LeaveReason.allCases.map(\.rawValue)),
            (["registration", "cancel"], CancellationReason.allCases.map(\.rawValue)),
            (["registration", "list"], RegistrationStatus.allCases.map(\.rawValue)),
            (["institution", "add"], InstitutionCategory.allCases.map(\.rawValue) + Ownership.allCases.map(\.rawValue)),
            (["physician", "add"], PhysicianLevel.allCases.map(\.rawValue) + PracticeCategory.allCases.map(\.rawValue)),
            (["credit", "add"], CreditKind.allCases.map(\.rawValue)),
            (["seed"], SeedScale.allCases.map(\.rawValue))
        ]
        for (words, values) in cases {
            let text = Self.help(words)
            for v in values {
                // Help wraps long lists at hyphens: compare without the line breaks' spaces.
                #expect(
                    text.replacingOccurrences(of: "- ", with: "-").contains(v),
                    "\(words.joined(separator: " ")) --help lists \(v)")
            }
        }
    }

    @Test func aBadValueIsRegctlsOwnErrorNamingTheFlag() throws {
        let db = try TestCluster.database()
        let r = CLI.run(
            ["registration", "leave", "00000000-0000-0000-0000-000000000000", "--reason", "xx", "--on", "2026-03-02"],
            database: db.url)
        #expect(r.status == 64 && r.stderr.hasPrefix("error[input.reason]: --reason: 'xx' is not one of"), "\(r)")
        let d = CLI.run(
            ["filing", "end", "00000000-0000-0000-0000-000000000000", "--on", "2026-02-30"],
            database: db.url)
        #expect(d.status == 64 && d.stderr.hasPrefix("error[input.date]: --on:"), "\(d)")
    }
}
