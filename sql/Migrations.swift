import Foundation

/// The numbered migration files under `sql/migrations`, in the order they apply.
public enum MigrationFiles {
    /// Each file's name (without `.sql`) and its text, sorted by name.
    public static func all() throws -> [(name: String, sql: String)] {
        let dir = try directory()
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path)
            .filter { $0.hasSuffix(".sql") }
            .sorted()
        return try names.map { name in
            (String(name.dropLast(4)), try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8))
        }
    }

    /// Where the migrations are: beside the executable (an installed binary), or
    /// where the build put them; `REGCTL_SQL_DIR` overrides both.
    public static func directory() throws -> URL {
        if let override = ProcessInfo.processInfo.environment["REGCTL_SQL_DIR"] {
            return URL(fileURLWithPath: override)
        }
        return Bundle.module.url(forResource: "migrations", withExtension: nil)
            ?? Bundle.module.bundleURL.appendingPathComponent("migrations")
    }
}
