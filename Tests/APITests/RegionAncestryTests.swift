import Foundation
import Postgres
import Registration
import RegistryStore
import Testing
import TestSupport

/// What lies inside a region has one Swift definition (`RegionCode.covers`) and deliberate copies: the
/// store's range of codes (`RegionRange`, which `regionFilter` puts in queries so an index serves them)
/// and the database's `regctl_scope`, which row-level security reads. One table of cases holds all three
/// to the same answer.
@Suite struct RegionAncestryTests {
    /// (region, county, inside?)
    static let cases: [(String, String, Bool)] = [
        ("330000", "330106", true), ("330100", "330106", true), ("330106", "330106", true),
        ("330100", "330206", false), ("330000", "320106", false), ("330106", "330102", false),
        ("110000", "110101", true), ("330100", "331002", false), ("330200", "330281", true),
        ("650000", "659001", true), ("659000", "659001", true), ("320000", "330000", false)
    ]

    @Test func swiftRangeAndScopeAgree() throws {
        let db = try TestCluster.database()
        let c = try db.connect()
        for (n, (region, county, inside)) in Self.cases.enumerated() {
            let r = try #require(RegionCode(region)), k = try #require(RegionCode(county))
            #expect(r.covers(k) == inside, "RegionCode.covers: \(region) ∋ \(county)")
            let range = RegionRange(r)
            #expect((range.low <= county && county <= range.high) == inside, "RegionRange: \(region) ∋ \(county)")
            // The filter the store puts in its queries, run by the database.
            let filtered = try c.query("SELECT \(regionFilter("x.c", r)) FROM (SELECT \(county)::bpchar AS c) x")[0]
                .decode(0, as: Bool.self)
            #expect(filtered == inside, "regionFilter: \(region) ∋ \(county)")
            // Row-level security's copy: the range regctl_scope computes for a registrar of the region.
            try c.execute(
                "INSERT INTO staff (id, name, role, region) VALUES (\("anc-\(n)"), 'x', 'registrar', \(region))")
            try c.query("SELECT set_config('regctl.actor', \("anc-\(n)"), false)")
            let scope = try c.query("SELECT low, high FROM regctl_scope()")[0]
            let low = try scope.decode(0, as: String.self), high = try scope.decode(1, as: String.self)
            #expect((low <= county && county <= high) == inside, "regctl_scope: \(region) ∋ \(county) (\(low)…\(high))")
        }
    }
}
