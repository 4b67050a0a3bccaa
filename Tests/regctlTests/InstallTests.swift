import Foundation
import Testing
import TestSupport

/// What ships beside the binary: the man page (its Chinese intact), the shell completions, and the command
/// reference in docs/, all from the binary's own description of its commands.
@Suite struct InstallTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test func installPutsTheManPageAndCompletionsInPlace() throws {
        let prefix = NSTemporaryDirectory() + "regctl-install-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: prefix) }
        var env = ProcessInfo.processInfo.environment
        env["REGCTL_BIN"] = CLI.binary
        let r = CLI.spawn([Self.root.path + "/scripts/install", "--prefix", prefix], environment: env, stdin: "")
        #expect(r.status == 0, "\(r)")
        let man = try String(contentsOfFile: prefix + "/share/man/man1/regctl.1", encoding: .utf8)
        #expect(man.hasPrefix("'\\\" t\n.\\\" -*- coding: UTF-8 -*-\n.TH REGCTL 1"))
        for text in ["医师区域注册", "陈明", "registration apply", "report roster", "--institution"] {
            #expect(man.contains(text), "the man page lacks \(text)")
        }
        let bash = try String(contentsOfFile: prefix + "/share/bash-completion/completions/regctl", encoding: .utf8)
        #expect(bash.contains("complete") && bash.contains("registration"))
        for file in ["/share/zsh/site-functions/_regctl", "/share/fish/vendor_completions.d/regctl.fish", "/bin/regctl"]
        {
            #expect(FileManager.default.fileExists(atPath: prefix + file), "\(file)")
        }
    }

    /// docs/commands.md is what the binary says of its commands: a change to a command regenerates it.
    @Test func commandReferenceIsCurrent() throws {
        let r = CLI.spawn(
            [
                "/bin/sh", "-c", "\"$0\" --experimental-dump-help | python3 \"$1\" markdown", CLI.binary,
                Self.root.path + "/scripts/reference.py"
            ], environment: ProcessInfo.processInfo.environment, stdin: "")
        #expect(r.status == 0, "\(r)")
        let committed = try String(contentsOfFile: Self.root.path + "/docs/commands.md", encoding: .utf8)
        #expect(!committed.contains("缺少中文说明"), "a command lacks its Chinese line in scripts/reference.py")
        #expect(
            r.stdout == committed,
            "docs/commands.md is stale: regctl --experimental-dump-help | python3 scripts/reference.py markdown > docs/commands.md"
        )
    }
}
