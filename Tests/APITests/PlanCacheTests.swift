import Testing
import Postgres
import TestSupport

/// The public look-up functions keep one plan a connection (migration 0015): PostgreSQL would otherwise plan
/// their `= ANY(ids)` statements anew on every call, two fifths of its time under the public look-up's load.
/// The functions commands and imports share do not: an import calls them with thousands of ids while it
/// fills the table they read, and a plan kept from the table's empty start scans it whole for each id.
/// `CREATE OR REPLACE FUNCTION` drops a function's settings, so a migration that rewrites one of these must
/// set it again: this test says so.
@Suite struct PlanCacheTests {
    static let keepTheirPlans: Set<String> = [
        "regctl_public_physicians(text,character,character,text,integer)", "regctl_public_practice(uuid[])",
        "regctl_public_credit(uuid[],text[])", "regctl_public_nurses(text,character,character,integer)",
        "regctl_public_institutions(text,character,character,text,integer)"
    ]

    @Test func onlyThePublicLookUpsKeepTheirPlans() throws {
        let db = try TestCluster.database()
        let c = try db.connect()
        let rows = try c.query(
            """
            SELECT p.oid::regprocedure::text AS signature FROM pg_proc p
            WHERE p.pronamespace = 'public'::regnamespace AND p.proname LIKE 'regctl\\_%'
              AND 'plan_cache_mode=force_generic_plan' = ANY (p.proconfig)
            """)
        let kept = Set(try rows.map { try $0.decode("signature", as: String.self) })
        #expect(kept == PlanCacheTests.keepTheirPlans)
    }
}
