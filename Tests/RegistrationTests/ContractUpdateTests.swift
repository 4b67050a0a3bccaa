import Dates
import Registration
import Testing

/// a row naming an existing contract.
@Suite struct ContractUpdateTests {
    static let year = ContractPeriod(
        from: CalendarDate(parsing: "2026-03-02")!, to: CalendarDate(parsing: "2027-03-01")!)
    static let shorter = ContractPeriod(from: year.from, to: CalendarDate(parsing: "2026-12-31")!)

    @Test func sameValuesChangeNothingNewValuesUpdateAnActiveContract() throws {
        #expect(
            try FilingRules.updateContract(
                contractNo: "C", heldBySamePhysician: true, active: true, period: Self.year, scope: nil,
                newPeriod: Self.year, newScope: nil) == .unchanged)
        #expect(
            try FilingRules.updateContract(
                contractNo: "C", heldBySamePhysician: true, active: true, period: Self.year, scope: nil,
                newPeriod: Self.shorter, newScope: nil) == .update)
        // The same values of an ended contract change nothing either (a file sent again).
        #expect(
            try FilingRules.updateContract(
                contractNo: "C", heldBySamePhysician: true, active: false, period: Self.year, scope: nil,
                newPeriod: Self.year, newScope: nil) == .unchanged)
    }

    @Test func anotherPhysiciansOrAnEndedContractIsRefused() {
        for (same, active) in [(false, true), (true, false)] {
            #expect(throws: RuleViolation.self) {
                try FilingRules.updateContract(
                    contractNo: "C", heldBySamePhysician: same, active: active, period: Self.year, scope: nil,
                    newPeriod: Self.shorter, newScope: "外科")
            }
        }
    }
}
