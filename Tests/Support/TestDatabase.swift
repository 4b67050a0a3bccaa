import Foundation
import API
import Postgres
#if canImport(Glibc)
    import Glibc
#endif

/// The real PostgreSQL the tests run against: an embedded cluster of its own
/// (never the user's), under `REGCTL_TEST_HOME` or `/tmp/regctl-test-<uid>`.
public enum TestCluster {
    public static let home: String = {
        let env = ProcessInfo.processInfo.environment
        return env["REGCTL_TEST_HOME"] ?? "/tmp/regctl-test-\(getuid())"
    }()

    public static let cluster = LocalCluster(home: home, database: "postgres")

    /// Started once per test process (the cluster's own lock keeps parallel starts apart).
    private static let started: Result<Void, Error> = Result(catching: { try cluster.start() })

    public static func start() throws {
        try started.get()
    }

    /// A migrated template database, built once per set of migrations and copied for each test.
    private static let template: Result<String, Error> = Result(catching: {
        try start()
        let migrator = try DatabaseLocation.migrator()
        let fingerprint = SHA256.hex(migrator.migrations.map { $0.name + $0.checksum }.joined().utf8).prefix(12)
        let name = "regctl_template_\(fingerprint)"
        let admin = try Connection(cluster.url(database: "postgres"))
        try admin.execute("SELECT pg_advisory_lock(4242)")
        defer { _ = try? admin.execute("SELECT pg_advisory_unlock(4242)") }
        let exists = try admin.query("SELECT 1 FROM pg_database WHERE datname = \(name)").count == 1
        if !exists {
            let building = name + "_building"
            try admin.execute("DROP DATABASE IF EXISTS \(identifier: building)")
            try admin.execute("CREATE DATABASE \(identifier: building) TEMPLATE template0")
            do {
                let c = try Connection(cluster.url(database: building))
                try migrator.migrate(on: c)
            }
            try admin.execute("ALTER DATABASE \(identifier: building) RENAME TO \(identifier: name)")
        }
        return name
    })

    /// A new, empty database for one test; migrated (from the template) unless `migrated` is false.
    public static func database(migrated: Bool = true) throws -> TestDatabase {
        try start()
        let name = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
        let source = migrated ? try template.get() : "template0"
        let admin = try Connection(cluster.url(database: "postgres"))
        try admin.execute("CREATE DATABASE \(identifier: String(name)) TEMPLATE \(identifier: source)")
        return TestDatabase(name: String(name))
    }
}

/// One test's own database, dropped when the test lets go of it.
public final class TestDatabase: @unchecked Sendable {
    // @unchecked: immutable after init; only `name` and `url` are read.
    public let name: String
    public var url: String { TestCluster.cluster.url(database: name) }

    init(name: String) { self.name = name }

    public func connect() throws -> Connection { try Connection(url) }

    deinit {
        if let admin = try? Connection(TestCluster.cluster.url(database: "postgres")) {
            _ = try? admin.execute("DROP DATABASE IF EXISTS \(identifier: name) WITH (FORCE)")
        }
    }
}
