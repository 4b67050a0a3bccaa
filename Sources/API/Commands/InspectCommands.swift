import Dates
import Foundation
import Postgres
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
        let candidates = try c.connection.query(
            """
            SELECT id, uscc::text, name FROM institution WHERE status = 'active' AND \(regionFilter("region", region)) ORDER BY uscc
            """
        ).map {
            (try $0.decode(0, as: UUID.self), try $0.decode(1, as: String.self), try $0.decode(2, as: String.self))
        }
        let staff = try c.connection.query(
            """
            SELECT id, name FROM staff WHERE active AND role IN ('registrar', 'analyst') AND region IS NOT NULL AND \(regionFilter("region", region)) ORDER BY id
            """
        ).map { (try $0.decode(0, as: String.self), try $0.decode(1, as: String.self)) }
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
        var notes: [String] = []
        if chosen.count < institutions {
            notes.append("note: only \(candidates.count) active institutions in \(region); all are drawn")
        }
        if team.count < inspectors {
            notes.append("note: only \(staff.count) staff of \(region) to draw inspectors from; all are drawn")
        }
        return CommandOutput(table: ResultTable(columns: ["draw", "order", "key", "name"], rows: rows), notes: notes)
    }
}
