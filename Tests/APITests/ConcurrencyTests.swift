import Testing
import Foundation
@testable import API
import Postgres
import TestSupport

/// Results gathered from threads.
final class Outcomes: @unchecked Sendable {
    // @unchecked: every access holds the lock.
    private let lock = NSLock()
    private var values: [String] = []
    func add(_ v: String) {
        lock.lock()
        values.append(v)
        lock.unlock()
    }
    var all: [String] {
        lock.lock()
        defer { lock.unlock() }
        return values.sorted()
    }
}

@Suite struct ConcurrencyTests {
    @Test func twoRegistrarsFilingTheSameSiteAtOnce() throws {
        let r = try Registry()
        let w = try r.world()
        var physicians: [String] = []
        for i in 0..<8 { physicians.append(try r.registeredPhysician(100 + i, at: w.provincial).physician) }
        let url = r.db.url
        let clinic = w.clinic
        for (round, p) in physicians.enumerated() {
            let outcomes = Outcomes()
            let group = DispatchGroup()
            for side in 0..<2 {
                DispatchQueue.global().async(group: group) {
                    do {
                        let c = try Connection(url)
                        var a = Arguments()
                        a["physician"] = .string(p)
                        a["institution"] = .string(clinic)
                        a["contract_no"] = .string("R\(round)-\(side)")
                        a["from"] = .string(side == 0 ? "2026-04-01" : "2026-06-01")
                        a["to"] = .string("2026-12-31")
                        _ = try Handler(store: Store(connection: c), today: .init(parsing: "2026-03-02")!).execute(
                            "filing.add", a, as: "zj-reg")
                        outcomes.add("accepted")
                    } catch let e as RegctlError {
                        outcomes.add(e.code)
                    } catch {
                        outcomes.add("unexpected: \(error)")
                    }
                }
            }
            group.wait()
            #expect(outcomes.all == ["accepted", "filing.overlap"], "round \(round)")
        }
        #expect(try r.count("SELECT count(*) FROM filing WHERE status = 'active'") == physicians.count)
    }

    /// The exclusion constraint holds even when the rule is bypassed, and its violation reads as the rule's code.
    @Test func exclusionConstraintIsTheLastLine() throws {
        let r = try Registry()
        let w = try r.world()
        let (p, reg) = try r.registeredPhysician(120, at: w.provincial)
        func insert(_ c: Connection, _ contract: String) throws {
            try c.execute(
                """
                INSERT INTO filing (id, province, registration, physician, institution, contract_no, valid_from, valid_to,
                                    host_county, host_ownership, home_ownership, category)
                VALUES (\(UUID()), '330000', \(UUID(uuidString: reg)!), \(UUID(uuidString: p)!), \(UUID(uuidString: w.clinic)!), \(contract), '2026-04-01', '2026-12-31',
                        '330106', 'social', 'public', 'clinical')
                """)
        }
        let a = try r.db.connect()
        try a.execute("BEGIN")
        try insert(a, "A")
        let url = r.db.url
        let outcome = Outcomes()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) {
            do {
                let b = try Connection(url)
                try b.transaction {
                    try b.execute(
                        """
                        INSERT INTO filing (id, province, registration, physician, institution, contract_no, valid_from, valid_to,
                                            host_county, host_ownership, home_ownership, category)
                        VALUES (\(UUID()), '330000', \(UUID(uuidString: reg)!), \(UUID(uuidString: p)!), \(UUID(uuidString: w.clinic)!), 'B', '2026-06-01', '2027-05-31',
                                '330106', 'social', 'public', 'clinical')
                        """)
                }
                outcome.add("inserted")
            } catch {
                outcome.add(Handler.translate(error).code)
            }
        }
        Thread.sleep(forTimeInterval: 0.3)  // B now waits on A's uncommitted row
        try a.execute("COMMIT")
        group.wait()
        #expect(outcome.all == ["filing.overlap"])
    }
}
