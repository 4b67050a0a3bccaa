import Migrations

/// What `regctl --version` prints: this build's version and the schema it migrates to.
public enum Version {
    /// Raised with each issue that lands (the issue number is the minor version).
    public static let regctl = "0.16.0"

    /// The last migration this build carries (the schema a database is at after `regctl db migrate`).
    public static var schema: String {
        (try? MigrationFiles.all().last?.name) ?? "unknown (the migration files are missing; set REGCTL_SQL_DIR)"
    }

    public static var line: String { "regctl \(regctl), schema \(schema)" }
}
