import Testing
import Foundation
@testable import API
import Postgres
import Registration
import TestSupport

/// Every constraint the migrations make answers with a rule's code, never the database's text.
@Suite struct ConstraintTests {
    /// The names the migration files give (`CONSTRAINT name`, `CREATE UNIQUE INDEX name`) and every
    /// check, unique and exclusion constraint and unique index of the migrated catalog (which includes
    /// the ones PostgreSQL named itself): each must be in ConstraintMeaning's table.
    @Test func everyConstraintIsMapped() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../sql/migrations"
        ).standardized
        var named = Set<String>()
        for file in try FileManager.default.contentsOfDirectory(atPath: directory.path) where file.hasSuffix(".sql") {
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            let pattern = try NSRegularExpression(
                pattern: #"(?:CONSTRAINT|UNIQUE INDEX)\s+(?:IF NOT EXISTS\s+)?([a-z_][a-z0-9_]*)"#)
            for m in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let name = String(text[Range(m.range(at: 1), in: text)!])
                // Foreign keys are answered by SQLSTATE (not-found); `DROP CONSTRAINT x` names one that is gone.
                if name.hasSuffix("_fkey")
                    || text.contains("DROP CONSTRAINT \(name)") && !text.contains("ADD CONSTRAINT \(name)")
                {
                    continue
                }
                named.insert(name)
            }
        }
        #expect(named.count > 10)
        let r = try Registry()
        var catalog = Set<String>()
        for row in try r.connection.query(
            """
            SELECT conname FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND contype IN ('c', 'u', 'x')
            UNION SELECT indexrelid::regclass::text FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
            WHERE i.indisunique AND t.relnamespace = 'public'::regnamespace
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            """)
        {
            catalog.insert(try row.decode(0, as: String.self))
        }
        #expect(catalog.count > 60)
        let unmapped = named.union(catalog).subtracting(ConstraintMeaning.table.keys)
        #expect(unmapped.isEmpty, "constraints with no meaning in ConstraintMeaning.table: \(unmapped.sorted())")
        // And nothing in the table that the database no longer has (a stale entry hides a rename).
        let primaryKeys = Set(
            try r.connection.query(
                "SELECT conname FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND contype = 'p'"
            ).map { try $0.decode(0, as: String.self) })
        let stale = Set(ConstraintMeaning.table.keys).subtracting(catalog).subtracting(primaryKeys)
        #expect(stale.isEmpty, "ConstraintMeaning.table names constraints the schema does not have: \(stale.sorted())")
    }

    /// A statement the database refuses on a constraint regctl does not know (here one added by hand)
    /// fails with exit 70, shows no value, and is still an event with the outcome `failed`.
    @Test func aFailedCommandIsAnEventAndShowsNoValue() throws {
        let r = try Registry()
        try r.connection.execute("ALTER TABLE institution ADD CONSTRAINT test_few_beds CHECK (beds < 100)")
        let uscc = Make.creditCode(region: "330106", serial: 77)
        let failure = try #require(throws: RegctlError.self) {
            try r.run(
                "institution.add",
                [
                    "name": "浙江省秘密医院", "uscc": uscc, "region": "330106", "ownership": "public",
                    "category": "general-hospital", "beds": 500
                ])
        }
        #expect(failure.status == .internalError)
        #expect(failure.code == "internal.database")
        #expect(failure.message.contains("test_few_beds"))
        #expect(!failure.message.contains(uscc) && !failure.message.contains("浙江省秘密医院"))
        #expect(
            try r.count(
                "SELECT count(*) FROM event WHERE command = 'institution.add' AND outcome = 'failed' AND error_code = 'internal.database'"
            ) == 1)
        #expect(try r.count("SELECT count(*) FROM institution") == 0)
    }

    /// A value the domain does not know (written around the checks) is a decoding error naming the
    /// column, an exit 70 recorded as `failed`: never a crash of the process.
    @Test func aValueOutsideItsEnumIsAnErrorNotACrash() throws {
        let r = try Registry()
        let w = try r.world()
        try r.connection.execute("ALTER TABLE institution DROP CONSTRAINT institution_category_check")
        try r.connection.execute("ALTER TABLE institution DISABLE TRIGGER USER")
        try r.connection.execute(
            "UPDATE institution SET category = 'spaceship' WHERE id = \(UUID(uuidString: w.clinic)!)")
        let failure = try #require(throws: RegctlError.self) {
            try r.run("institution.show", ["institution": w.clinic])
        }
        #expect(
            failure.status == .internalError && failure.message.contains("category")
                && failure.message.contains("InstitutionCategory"), "\(failure)")
        #expect(
            try r.count("SELECT count(*) FROM event WHERE command = 'institution.show' AND outcome = 'failed'") == 1)
    }

    /// A refusal whose event cannot be written is an error of its own, never silent (R-71).
    @Test func aRefusalThatCannotBeRecordedIsAnError() throws {
        let r = try Registry()
        try r.connection.execute(
            """
            CREATE FUNCTION test_refuse_event() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'log full'; END $$;
            """)
        try r.connection.execute(
            "CREATE TRIGGER test_refuse_event BEFORE INSERT ON event FOR EACH ROW WHEN (NEW.outcome = 'refused') EXECUTE FUNCTION test_refuse_event()"
        )
        let failure = try #require(throws: RegctlError.self) {
            try r.run("physician.show", ["physician": Make.residentID(sequence: 1)])
        }
        #expect(failure.code == "event.unrecorded")
        #expect(failure.status == .internalError)
        #expect(failure.message.contains("physician.not-found") || failure.message.contains("not-found"))
        #expect(!failure.message.contains("log full"))
    }

    /// A NUL character in an argument is refused, and the refusal is in the log (jsonb holds no NUL: it is shown as ␀).
    @Test func aRefusalOfANULIsRecorded() throws {
        let r = try Registry()
        #expect(r.refusal("staff.add", ["id": "a\u{0}b", "name": "x\u{0}y", "role": "admin"]) == "input.value")
        let row = try #require(
            try r.connection.query(
                "SELECT arguments->>'name' AS name FROM event WHERE command = 'staff.add' AND outcome = 'refused'"
            ).first)
        #expect(try row.decode("name", as: String.self) == "x\u{2400}y")
    }
}
