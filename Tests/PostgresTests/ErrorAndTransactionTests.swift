import Testing
import Foundation
@testable import Postgres
import TestSupport

@Suite struct ErrorAndTransactionTests {
    @Test func uniqueViolationCarriesStateAndConstraint() throws {
        let db = try TestCluster.database(migrated: false)
        let c = try db.connect()
        try c.execute("CREATE TABLE person (id_number text CONSTRAINT person_id_number_key UNIQUE)")
        let secret = "330106198001011234"
        try c.execute("INSERT INTO person VALUES (\(secret))")
        let error = try #require(throws: PostgresError.self) { try c.execute("INSERT INTO person VALUES (\(secret))") }
        #expect(error.sqlState == "23505")
        #expect(error.constraint == "person_id_number_key")
        #expect(error.table == "person")
        #expect(error.query == "INSERT INTO person VALUES ($1)")
        // The detail field (the server's "Key (...)=(...)") may hold the value; the query never does.
        #expect(error.query?.contains(secret) == false)
        #expect(error.kind == .server)
    }

    @Test func descriptionNeverShowsBoundValues() throws {
        let db = try TestCluster.database(migrated: false)
        let c = try db.connect()
        let secret = "33010619900101123X"
        // The server quotes a value in its message (22P02) and in its detail (23505, "Key (v)=(…)").
        let cast = try #require(throws: PostgresError.self) { try c.query("SELECT \("id " + secret)::int") }
        #expect(cast.sqlState == "22P02")
        #expect(cast.query == "SELECT $1::int")
        #expect(cast.description.contains("SELECT $1::int"))
        #expect(!cast.description.contains(secret))
        #expect(cast.fullDescription.contains(secret))
        try c.execute("CREATE TABLE t (v text CONSTRAINT t_v_key UNIQUE)")
        try c.execute("INSERT INTO t VALUES (\(secret))")
        let duplicate = try #require(throws: PostgresError.self) { try c.execute("INSERT INTO t VALUES (\(secret))") }
        #expect(duplicate.sqlState == "23505")
        #expect(duplicate.constraint == "t_v_key")
        #expect(duplicate.description.contains("t_v_key"))
        #expect(!duplicate.description.contains(secret))
        #expect(duplicate.detail?.contains(secret) == true)
        #expect(!"\(duplicate)".contains(secret))
    }

    @Test func failedStatementLeavesNothingOfItsTransaction() throws {
        let db = try TestCluster.database(migrated: false)
        let c = try db.connect()
        try c.execute("CREATE TABLE t (v int PRIMARY KEY)")
        #expect(throws: PostgresError.self) {
            try c.transaction {
                try c.execute("INSERT INTO t VALUES (1)")
                try c.execute("INSERT INTO t VALUES (1)")
            }
        }
        #expect(try c.query("SELECT count(*) FROM t")[0].decode(0, as: Int.self) == 0)
        // And the connection is usable afterwards.
        try c.transaction { try c.execute("INSERT INTO t VALUES (2)") }
        #expect(try c.query("SELECT count(*) FROM t")[0].decode(0, as: Int.self) == 1)
    }

    struct Refusal: Error {}

    @Test func rolledBackSavepointKeepsTheOuterWork() throws {
        let db = try TestCluster.database(migrated: false)
        let c = try db.connect()
        try c.execute("CREATE TABLE t (v int)")
        try c.transaction {
            try c.execute("INSERT INTO t VALUES (1)")
            do {
                try c.transaction {
                    try c.execute("INSERT INTO t VALUES (2)")
                    try c.transaction { try c.execute("INSERT INTO t VALUES (3)") }
                    throw Refusal()
                }
            } catch is Refusal {}
            try c.execute("INSERT INTO t VALUES (4)")
        }
        let values = try c.query("SELECT v FROM t ORDER BY v").map { try $0.decode(0, as: Int.self) }
        #expect(values == [1, 4])
    }

    @Test func swallowedErrorDoesNotCommitSilently() throws {
        let db = try TestCluster.database(migrated: false)
        let c = try db.connect()
        try c.execute("CREATE TABLE t (v int PRIMARY KEY)")
        #expect(throws: PostgresError.self) {
            try c.transaction {
                try c.execute("INSERT INTO t VALUES (1)")
                _ = try? c.execute("INSERT INTO t VALUES (1)")
            }
        }
        #expect(try c.query("SELECT count(*) FROM t")[0].decode(0, as: Int.self) == 0)
    }

    @Test func preparedStatementIsPreparedAgainWhenTheTableChanges() throws {
        let db = try TestCluster.database(migrated: false)
        let c = try db.connect()
        try c.execute("CREATE TABLE t (a int)")
        try c.execute("INSERT INTO t VALUES (1)")
        #expect(try c.query("SELECT * FROM t")[0].rows.columns == ["a"])
        try c.execute("ALTER TABLE t ADD COLUMN b text DEFAULT 'x'")
        // The cached plan's result type changed: SQLSTATE 0A000, answered by preparing anew.
        let rows = try c.query("SELECT * FROM t")
        #expect(rows.columns == ["a", "b"])
        #expect(try rows[0].decode("b", as: String.self) == "x")
    }

    @Test func connectionFailureNamesTheServerWithoutPassword() throws {
        let error = try #require(throws: PostgresError.self) {
            _ = try Connection("postgresql://someone:hunter2@127.0.0.1:1/regctl?connect_timeout=2")
        }
        #expect(error.kind == .connection)
        #expect(error.isConnectionFailure)
        #expect(!error.description.contains("hunter2"))
        #expect(error.description.contains("127.0.0.1"))
    }

    @Test func sha256KnownVectors() {
        #expect(SHA256.hex("".utf8) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex("abc".utf8) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            SHA256.hex(String(repeating: "a", count: 1000).utf8)
                == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }
}
