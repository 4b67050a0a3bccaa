import Testing
import Foundation
import Dates
@testable import Postgres
import TestSupport

@Suite struct RoundTripTests {
    /// Arrays are bound as literals built byte by byte, UUIDs written from their bytes: both read back as sent.
    @Test func arraysAndUUIDsAsBound() throws {
        let db = try TestCluster.database(migrated: false)
        let c = try db.connect()
        for _ in 0..<100 {
            let u = UUID()
            #expect(u.postgresText == u.uuidString.lowercased())
        }
        let texts: [String?] = ["a\"b", "c\\d", nil, "中文, {x}", "", "NULL", " lead and trail "]
        let back = try c.query("SELECT \(texts)::text[]")[0].decode(0, as: [String?].self)
        #expect(back == texts)
        let ids = (0..<1000).map { _ in UUID() }
        #expect(try c.query("SELECT \(ids)::uuid[]")[0].decode(0, as: [UUID].self) == ids)
    }

    @Test func textNullAndEmptyStayApart() throws {
        let db = try TestCluster.database(migrated: false)
        let c = try db.connect()
        try c.execute("CREATE TABLE t (id int PRIMARY KEY, s text)")
        let empty = ""
        let none: String? = nil
        try c.execute(
            "INSERT INTO t VALUES (1, \(empty)), (2, \(none)), (3, \("二〇二六 ✓ \u{0}".replacingOccurrences(of: "\u{0}", with: "")))"
        )
        let rows = try c.query("SELECT s FROM t ORDER BY id")
        #expect(try rows[0].decode(0, as: String?.self) == "")
        #expect(try rows[1].decode(0, as: String?.self) == nil)
        #expect(try rows[2].decode(0, as: String.self) == "二〇二六 ✓ ")
        #expect(throws: PostgresError.self) { try rows[1].decode(0, as: String.self) }
        #expect(try c.query("SELECT count(*) FROM t WHERE s IS NULL")[0].decode(0, as: Int.self) == 1)
        #expect(try c.query("SELECT count(*) FROM t WHERE s = ''")[0].decode(0, as: Int.self) == 1)
    }

    @Test func integersBooleansDoublesUUIDs() throws {
        let db = try TestCluster.database(migrated: false)
        let c = try db.connect()
        let id = UUID()
        let row = try c.query(
            """
            SELECT \(Int.max)::int8 AS big, \(Int32.min)::int4 AS small, \(Int64(-7))::int2 AS tiny,
                   \(true) AS yes, \(false) AS no, \(0.1 + 0.2) AS d, \(-1e-300) AS tiny_d, \(id) AS id
            """)[0]
        #expect(try row.decode("big", as: Int.self) == Int.max)
        #expect(try row.decode("small", as: Int32.self) == Int32.min)
        #expect(try row.decode("tiny", as: Int64.self) == -7)
        #expect(try row.decode("yes", as: Bool.self) == true)
        #expect(try row.decode("no", as: Bool.self) == false)
        #expect(try row.decode("d", as: Double.self) == 0.1 + 0.2)
        #expect(try row.decode("tiny_d", as: Double.self) == -1e-300)
        #expect(try row.decode("id", as: UUID.self) == id)
        #expect(throws: PostgresError.self) { try row.decode("yes", as: Int.self) }
    }

    @Test(arguments: [
        "600", "10000", "0.00001", "-1.5", "1234567890123456789012345678", "-0.000000000000000000000000000001", "0",
        "1e-3"
    ])
    func numericsAreLossless(text: String) throws {
        let db = try TestCluster.database(migrated: false)
        let c = try db.connect()
        let value = try #require(PostgresNumeric(text == "1e-3" ? "0.001" : text))
        let back = try c.query("SELECT \(value)::numeric AS n, \(value)::numeric(40,10) AS scaled")[0]
        let n = try back.decode("n", as: PostgresNumeric.self)
        #expect(n == value)
        // The server's own text agrees with ours.
        #expect(try c.query("SELECT (\(value)::numeric)::text")[0].decode(0, as: String.self) == n.description)
        let scaled = try back.decode("scaled", as: PostgresNumeric.self)
        #expect(
            try c.query("SELECT (\(value)::numeric(40,10))::text")[0].decode(0, as: String.self) == scaled.description)
    }

    @Test func decimalsRoundTrip() throws {
        let db = try TestCluster.database(migrated: false)
        let c = try db.connect()
        for text in ["600", "10000", "0.00001", "-1.5", "1234567890123456789012345678"] {
            let d = try #require(Decimal(string: text))
            let back = try c.query("SELECT \(d)::numeric")[0].decode(0, as: Decimal.self)
            #expect(back == d, "\(text)")
        }
    }

    @Test func timestampsKeepMicrosecondsInAnyZone() throws {
        let db = try TestCluster.database(migrated: false)
        let c = try db.connect()
        try c.execute("CREATE TABLE t (at timestamptz)")
        try c.execute("INSERT INTO t VALUES ('2026-03-01 08:30:15.123456+08')")
        // 2026-03-01 00:30:15.123456 UTC
        let expected = Date(timeIntervalSince1970: 1_772_325_015).addingTimeInterval(0.123456)
        var seen: [String] = []
        for zone in ["Asia/Shanghai", "America/New_York"] {
            try c.execute("SELECT set_config('TimeZone', \(zone), false)")
            let d = try c.query("SELECT at FROM t")[0].decode(0, as: Date.self)
            #expect(abs(d.timeIntervalSince(expected)) < 0.000_000_5)
            seen.append(try c.query("SELECT at::text FROM t")[0].decode(0, as: String.self))
            // Written back as a parameter, it is the same instant to the microsecond.
            #expect(try c.query("SELECT at = \(d) FROM t")[0].decode(0, as: Bool.self))
        }
        #expect(seen == ["2026-03-01 08:30:15.123456+08", "2026-02-28 19:30:15.123456-05"])
    }

    @Test(arguments: ["1900-02-28", "1969-12-31", "1970-01-01", "2038-01-20", "2100-02-28", "9999-12-31", "0001-01-01"])
    func calendarDates(text: String) throws {
        let db = try TestCluster.database(migrated: false)
        let c = try db.connect()
        let d = try #require(CalendarDate(parsing: text))
        let row = try c.query("SELECT \(d) AS d, \(d)::text AS t")[0]
        #expect(try row.decode("d", as: CalendarDate.self) == d)
        #expect(try row.decode("t", as: String.self) == text)
    }

    @Test func timestampsBeforeAndAfterTheEpochs() throws {
        let db = try TestCluster.database(migrated: false)
        let c = try db.connect()
        for seconds in [-2_208_988_800.25, -1.000001, 0, 2_147_483_648.5, 4_102_444_800.000001] {
            let d = Date(timeIntervalSince1970: seconds)
            let back = try c.query("SELECT \(d)")[0].decode(0, as: Date.self)
            #expect(abs(back.timeIntervalSince1970 - seconds) < 0.000_001, "\(seconds)")
        }
    }

    @Test func arrays() throws {
        let db = try TestCluster.database(migrated: false)
        let c = try db.connect()
        let texts = ["内科", "a,b", "q\"uote", "back\\slash", "", "{braces}"]
        #expect(try c.query("SELECT \(texts)")[0].decode(0, as: [String].self) == texts)
        let withNull: [String?] = ["x", nil, "NULL"]
        #expect(try c.query("SELECT \(withNull)")[0].decode(0, as: [String?].self) == withNull)
        #expect(try c.query("SELECT \([3, -1, Int.max])")[0].decode(0, as: [Int].self) == [3, -1, Int.max])
        #expect(try c.query("SELECT ARRAY[1,2]::int4[]")[0].decode(0, as: [Int32].self) == [1, 2])
        #expect(try c.query("SELECT '{}'::text[]")[0].decode(0, as: [String].self) == [])
        #expect(try c.query("SELECT 'b' = ANY(\(["a", "b"]))")[0].decode(0, as: Bool.self))
    }

    struct Person: Decodable, Equatable {
        let id: Int
        let fullName: String
        let nickname: String?
        let born: CalendarDate
        let scopes: [String]
    }

    @Test func rowsDecodeIntoStructs() throws {
        let db = try TestCluster.database(migrated: false)
        let c = try db.connect()
        let people = try c.query(
            """
            SELECT 1 AS id, '张三' AS full_name, NULL::text AS nickname, DATE '1980-05-06' AS born, ARRAY['内科','外科'] AS scopes
            UNION ALL SELECT 2, '李四', '', DATE '1990-01-01', '{}'
            """
        ).decode(Person.self)
        #expect(
            people == [
                Person(
                    id: 1, fullName: "张三", nickname: nil, born: CalendarDate(year: 1980, month: 5, day: 6)!,
                    scopes: ["内科", "外科"]),
                Person(
                    id: 2, fullName: "李四", nickname: "", born: CalendarDate(year: 1990, month: 1, day: 1)!, scopes: [])
            ])
    }

    @Test func injectionIsStoredVerbatim() throws {
        let db = try TestCluster.database(migrated: false)
        let c = try db.connect()
        try c.execute("CREATE TABLE t (s text)")
        let evil = "x'); DROP TABLE t; --"
        try c.execute("INSERT INTO t VALUES (\(evil))")
        #expect(try c.query("SELECT s FROM t")[0].decode(0, as: String.self) == evil)
        // An identifier with a quote is escaped, not executed.
        let weird = "we\"ird; DROP TABLE t"
        try c.execute("CREATE TABLE \(identifier: weird) (v int)")
        try c.execute("INSERT INTO \(identifier: weird) VALUES (\(1))")
        #expect(try c.query("SELECT count(*) FROM t")[0].decode(0, as: Int.self) == 1)
        #expect(try c.escapeIdentifier(weird) == "\"we\"\"ird; DROP TABLE t\"")
    }
}
