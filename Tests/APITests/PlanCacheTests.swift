import Testing
import Postgres
import TestSupport

/// The database's look-up functions keep one plan a connection (migration 0015): PostgreSQL would otherwise
/// plan their `= ANY(ids)` statements anew on every call, two fifths of its time under the public look-up's
/// load. `CREATE OR REPLACE FUNCTION` drops a function's settings, so a later migration that rewrites one
/// of them must set it again: this test says which.
@Suite struct PlanCacheTests {
    /// Functions taking an array that plan per call on purpose, and why.
    static let plannedPerCall: Set<String> = [
        // Counts of holdings for a batch of subjects (imports' credit checks, up to thousands at once): the
        // plan for a thousand ids is not the plan for one.
        "regctl_holdings(uuid[],text[],text[])"
    ]

    @Test func everyLookUpByArrayKeepsItsPlan() throws {
        let db = try TestCluster.database()
        let c = try db.connect()
        let rows = try c.query(
            """
            SELECT p.oid::regprocedure::text AS signature,
                   coalesce('plan_cache_mode=force_generic_plan' = ANY (p.proconfig), false) AS generic
            FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
            WHERE p.pronamespace = 'public'::regnamespace AND p.proname LIKE 'regctl\\_%' AND l.lanname = 'plpgsql'
              AND EXISTS (SELECT FROM unnest(p.proargtypes) t JOIN pg_type ty ON ty.oid = t WHERE ty.typcategory = 'A')
            ORDER BY 1
            """)
        var generic = Set<String>(), perCall = Set<String>()
        for row in rows {
            let signature = try row.decode("signature", as: String.self)
            if try row.decode("generic", as: Bool.self) {
                generic.insert(signature)
            } else {
                perCall.insert(signature)
            }
        }
        #expect(perCall == PlanCacheTests.plannedPerCall)
        #expect(generic.contains("regctl_registrations(uuid[],uuid[])"))
        #expect(generic.contains("regctl_public_practice(uuid[])"))
        #expect(generic.count >= 10)
        // The public look-ups by name take no array, and keep their plans too.
        let named = try c.query(
            """
            SELECT count(*) FROM pg_proc p
            WHERE p.proname IN ('regctl_public_physicians', 'regctl_public_nurses', 'regctl_public_institutions')
              AND 'plan_cache_mode=force_generic_plan' = ANY (p.proconfig)
            """)[0].decode(0, as: Int.self)
        #expect(named == 3)
    }
}
