import Testing
import Foundation
@testable import Postgres
import TestSupport

@Suite struct BulkTests {
    @Test func copyOfManyRowsArrivesWhole() throws {
        let db = try TestCluster.database(migrated: false)
        let c = try db.connect()
        try c.execute("CREATE TABLE t (id int, name text, note text, born date)")
        let copied = try c.copyIn("COPY t (id, name, note, born) FROM STDIN") { w in
            for i in 0..<100_000 {
                let note: String? = i % 10 == 0 ? nil : (i % 7 == 0 ? "tab\there\nnew\\line" : "")
                try w.appendRow([String(i), "医师\(i)", note, "1980-01-01"])
            }
        }
        #expect(copied == 100_000)
        let row = try c.query(
            "SELECT count(*), count(DISTINCT id), sum(id), count(note), count(*) FILTER (WHERE note = E'tab\\there\\nnew\\\\line') FROM t"
        )[0]
        #expect(try row.decode(0, as: Int.self) == 100_000)
        #expect(try row.decode(1, as: Int.self) == 100_000)
        #expect(try row.decode(2, as: Int.self) == 4_999_950_000)
        #expect(try row.decode(3, as: Int.self) == 90_000)
        #expect(try row.decode(4, as: Int.self) == (0..<100_000).filter { $0 % 10 != 0 && $0 % 7 == 0 }.count)
    }

    struct Interrupted: Error {}

    @Test func abortedCopyLeavesTheTableAsItWas() throws {
        let db = try TestCluster.database(migrated: false)
        let c = try db.connect()
        try c.execute("CREATE TABLE t (id int)")
        try c.execute("INSERT INTO t VALUES (-1)")
        #expect(throws: Interrupted.self) {
            try c.copyIn("COPY t FROM STDIN", chunkSize: 4096) { w in
                for i in 0..<50_000 {
                    try w.appendRow([String(i)])
                    if i == 40_000 { throw Interrupted() }
                }
            }
        }
        #expect(try c.query("SELECT count(*) FROM t")[0].decode(0, as: Int.self) == 1)
        // The connection is ready for more work.
        try c.copyIn("COPY t FROM STDIN") { try $0.appendRow(["7"]) }
        #expect(try c.query("SELECT count(*) FROM t")[0].decode(0, as: Int.self) == 2)
    }

    @Test func badCopyDataIsAServerError() throws {
        let db = try TestCluster.database(migrated: false)
        let c = try db.connect()
        try c.execute("CREATE TABLE t (id int)")
        let error = try #require(throws: PostgresError.self) {
            try c.copyIn("COPY t FROM STDIN") { w in
                try w.appendRow(["1"])
                try w.appendRow(["not a number"])
            }
        }
        #expect(error.sqlState == "22P02")
        #expect(try c.query("SELECT count(*) FROM t")[0].decode(0, as: Int.self) == 0)
    }

    @Test func copyRefusesBoundParameters() throws {
        let db = try TestCluster.database(migrated: false)
        let c = try db.connect()
        #expect(throws: PostgresError.self) { try c.copyIn("COPY t FROM STDIN WHERE x = \(1)") { _ in } }
    }
}
