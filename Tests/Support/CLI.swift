import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// What one run of the `regctl` binary did.
public struct CLIResult: Sendable, CustomStringConvertible {
    public let status: Int32
    public let stdout: String
    public let stderr: String
    public var description: String { "exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
}

/// Runs the built `regctl` binary as a user would: arguments, environment, stdin; output captured.
public enum CLI {
    /// The binary beside the test bundle (`.build/<config>/regctl`).
    public static let binary: String = {
        let exe =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("regctl").path
    }()

    /// Runs regctl against `database` (a URL) or, when nil, the embedded cluster under `home`.
    public static func run(
        _ arguments: [String], database: String?, home: String = TestCluster.home,
        stdin: String = "", environment extra: [String: String] = [:]
    ) -> CLIResult {
        var env = ProcessInfo.processInfo.environment
        env["REGCTL_HOME"] = home
        // English unless a test asks for Chinese: the suites compare messages, whatever the machine's locale.
        env["REGCTL_LANG"] = "en"
        env["DATABASE_URL"] = database
        if database == nil { env.removeValue(forKey: "DATABASE_URL") }
        for (k, v) in extra { env[k] = v }
        return spawn([binary] + arguments, environment: env, stdin: stdin)
    }

    /// Spawn attributes that give the child no blocked signal and every signal's default action: a child
    /// inherits the spawning thread's mask, and a test runner's threads may block signals that the child's
    /// own children (pg_autoctl's services, stopped by SIGTERM) must receive.
    public static func cleanSignals() -> posix_spawnattr_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        return attributes
    }

    /// Starts `argv[0]` with files for its three streams (posix_spawn, clean signals); its pid.
    public static func start(
        _ argv: [String], environment: [String: String], stdin: String, stdout: String, stderr: String
    ) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let cArgs = argv.map { strdup($0) } + [nil]
        let cEnv = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (cArgs + cEnv).forEach { free($0) } }
        var attributes = CLI.cleanSignals()
        defer { posix_spawnattr_destroy(&attributes) }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, argv[0], &actions, &attributes, cArgs, cEnv)
        guard rc == 0 else { throw ServerError("spawn failed: \(String(cString: strerror(rc)))") }
        return pid
    }

    /// posix_spawn with files for the three streams and waitpid, not Foundation's
    /// Process: a server the CLI starts must not hold anything the test waits on.
    public static func spawn(_ argv: [String], environment: [String: String], stdin: String) -> CLIResult {
        let base = NSTemporaryDirectory() + "regctl-cli-\(getpid())-\(UUID().uuidString)"
        let (inPath, outPath, errPath) = (base + ".in", base + ".out", base + ".err")
        _ = FileManager.default.createFile(atPath: inPath, contents: Data(stdin.utf8))
        defer { for path in [inPath, outPath, errPath] { unlink(path) } }
        let pid: pid_t
        do {
            pid = try start(argv, environment: environment, stdin: inPath, stdout: outPath, stderr: errPath)
        } catch {
            return CLIResult(status: -1, stdout: "", stderr: "\(error)")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exited = status & 0x7f == 0
        return CLIResult(
            status: exited ? (status >> 8) & 0xff : 128 + (status & 0x7f),
            stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }
}
