import Dates
import Foundation
import Registration

/// `inspect draw --region CODE --institutions N --inspectors M --seed SEED` (R-62, 双随机).
public struct InspectDraw: Command {
    public static let name = "inspect.draw"
    let region: RegionCode, institutions: Int, inspectors: Int, seed: String

    public init(_ a: Arguments) throws {
        region = try a.region("region")
        institutions = try a.int("institutions")
        inspectors = try a.int("inspectors")
        seed = try a.string("seed")
        guard institutions >= 0, inspectors >= 0 else {
            throw Arguments.usage("input.number", institutions < 0 ? "institutions" : "inspectors", "give 0 or more")
        }
    }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        _ = try c.store.requireRegion(region, field: "region")
        try Access.requireRegion(c.actor, region, to: "draw spot checks in \(region)")
        // Candidates in a fixed order (credit code; staff id), so the draw depends only on seed and data.
        let candidates = try c.store.activeInstitutions(in: region)
        let staff = try c.store.inspectors(in: region)
        var draw = SeededDraw(seed: "institutions:" + seed)
        let chosen = draw.sample(candidates, count: institutions)
        var inspectorDraw = SeededDraw(seed: "inspectors:" + seed)
        let team = inspectorDraw.sample(staff, count: inspectors)
        c.touched += chosen.map(\.0)
        c.details = """
            {"seed": \(JSONText.quote(seed)), "region": "\(region)", "candidates": {"institutions": \(candidates.count), "inspectors": \(staff.count)}, \
            "institutions": [\(chosen.map { JSONText.quote($0.1) }.joined(separator: ", "))], "inspectors": [\(team.map { JSONText.quote($0.0) }.joined(separator: ", "))]}
            """
        var rows: [[Cell]] = chosen.enumerated().map {
            [.text("institution"), .int($0.offset + 1), .text($0.element.1), .text($0.element.2)]
        }
        rows += team.enumerated().map {
            [.text("inspector"), .int($0.offset + 1), .text($0.element.0), .text($0.element.1)]
        }
        var notes: [Phrase] = []
        if chosen.count < institutions {
            notes.append(
                Phrase(
                    en: "note: only \(candidates.count) active institutions in \(region); all are drawn",
                    zh: "提示：\(region) 只有 \(candidates.count) 家正常执业的机构，全部抽取"))
        }
        if team.count < inspectors {
            notes.append(
                Phrase(
                    en: "note: only \(staff.count) staff of \(region) to draw inspectors from; all are drawn",
                    zh: "提示：\(region) 只有 \(staff.count) 名可抽取的检查人员，全部抽取"))
        }
        return CommandOutput(table: ResultTable(columns: ["draw", "order", "key", "name"], rows: rows), notes: notes)
    }
}
