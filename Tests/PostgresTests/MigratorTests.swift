import Testing
@testable import Postgres
import TestSupport

@Suite struct MigratorTests {
    @Test func appliesInOrderOnceAndRefusesAnEditedMigration() throws {
        let db = try TestCluster.database(migrated: false)
        let c = try db.connect()
        let first = Migration(name: "0001_a", sql: "CREATE TABLE a (v int PRIMARY KEY); INSERT INTO a VALUES (1);")
        let second = Migration(name: "0002_b", sql: "CREATE TABLE b (v int REFERENCES a (v) DEFERRABLE);")
        #expect(try Migrator([second, first]).migrate(on: c) == ["0001_a", "0002_b"])
        #expect(try Migrator([first, second]).migrate(on: c) == [])
        let edited = Migration(name: "0001_a", sql: "CREATE TABLE a (v bigint);")
        let error = try #require(throws: MigrationError.self) { try Migrator([edited, second]).migrate(on: c) }
        #expect(error.description.contains("0001_a"))
        guard case .changed(let name, _, _) = error else {
            Issue.record("expected .changed, got \(error)")
            return
        }
        #expect(name == "0001_a")
        #expect(throws: MigrationError.self) { try Migrator([first]).pending(on: c) }  // 0002_b unknown to it
    }

    @Test func aFailingMigrationLeavesNothing() throws {
        let db = try TestCluster.database(migrated: false)
        let c = try db.connect()
        let good = Migration(name: "0001_ok", sql: "CREATE TABLE ok (v int);")
        let bad = Migration(name: "0002_bad", sql: "CREATE TABLE half (v int); SELECT 1/0;")
        #expect(throws: MigrationError.self) { try Migrator([good, bad]).migrate(on: c) }
        #expect(
            try c.query("SELECT to_regclass('ok') IS NOT NULL, to_regclass('half') IS NULL")[0].decode(0, as: Bool.self)
        )
        #expect(try c.query("SELECT to_regclass('half') IS NULL")[0].decode(0, as: Bool.self))
        #expect(try Migrator([good, bad]).pending(on: c).map(\.name) == ["0002_bad"])
    }
}
