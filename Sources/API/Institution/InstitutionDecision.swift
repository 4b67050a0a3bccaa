import Dates
import Foundation
import Registration

extension InstitutionInput {
    /// The institution to write, under `id`.
    func record(id: UUID) -> NewInstitution {
        NewInstitution(
            id: id, uscc: uscc, name: name, county: county, ownership: ownership, forProfit: forProfit,
            category: category, beds: beds, licenseNo: licenseNo)
    }
}

/// `institution add`'s decision, shared by the command and the institutions import: the county,
/// the recorder's scope and the code's issuing region. Returns the warnings to show.
enum InstitutionDecision {
    /// The region codes the decision looks up: the county, and the code's issuing region and its province.
    static func regionsToKnow(_ input: InstitutionInput) -> [String] {
        let issuedIn = input.uscc.region
        return [input.county.value, issuedIn] + (RegionCode(issuedIn).map { [$0.province.value] } ?? [])
    }

    static func add(actor: Actor, input: InstitutionInput, regions: [String: RegionLevel]) throws -> [Phrase] {
        guard let region = regions[input.county.value] else {
            throw Store.noSuchRegion(input.county.value, field: "region")
        }
        guard !region.hasChildren else {
            throw RegctlError(
                "input.region",
                "\(input.county) is a \(region.level) with counties below it; an institution is recorded in its county (regctl region list --parent \(input.county))",
                rule: "R-03", field: "region")
        }
        try Access.requireRegion(actor, input.county, to: "record institutions in \(input.county)")
        var notes: [Phrase] = []
        // The code's region (characters 3–8) is where it was issued: a region of the table, 100000 for the
        // central authorities, or a county since renamed whose province exists (codes outlive boundary changes).
        let issuedIn = input.uscc.region
        if issuedIn != "100000", regions[issuedIn] == nil {
            guard let province = RegionCode(issuedIn)?.province, regions[province.value] != nil else {
                throw RegctlError(
                    "input.uscc",
                    "characters 3–8 of \(input.uscc.value) (\(issuedIn)) are no region of GB/T 2260; check the code against the licence",
                    rule: "R-02", status: .usage, field: "uscc")
            }
            notes.append(
                Phrase(
                    en:
                        "warning[input.uscc-region]: the code was issued in \(issuedIn), which is no longer a region of GB/T 2260 (renamed or merged); recorded, since codes outlive boundary changes",
                    zh: "提示[input.uscc-region]：该代码的登记管理机关区划 \(issuedIn) 已不在 GB/T 2260 中（已更名或合并）；代码不随区划调整而变，已登记"
                ))
        }
        return notes
    }
}
