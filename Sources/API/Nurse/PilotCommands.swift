import Dates
import Foundation
import Registration

/// `pilot add --region CODE --from DATE [--to DATE]`.
public struct PilotAdd: Command {
    public static let name = "pilot.add"
    let region: RegionCode, from: CalendarDate, to: CalendarDate?

    public init(_ a: Arguments) throws {
        region = try a.region("region")
        from = try a.date("from")
        to = try a.optionalDate("to")
        if let to, to < from {
            throw Arguments.usage("input.period", "to", "the pilot ends (\(to)) before it starts (\(from))")
        }
    }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        _ = try c.store.requireRegion(region, field: "region")
        try Access.requireRegion(c.actor, region, to: "run nurse pilots in \(region)")
        let id = UUID.random()
        try c.store.addPilot(id: id, region: region, from: from, to: to)
        c.touch(id)
        return CommandOutput(id: id.text)
    }
}

/// `pilot end PILOT --on DATE`: regional filings outside any pilot end with it.
public struct PilotEnd: Command {
    public static let name = "pilot.end"
    let ref: String, on: CalendarDate

    public init(_ a: Arguments) throws {
        ref = try a.string("pilot")
        on = try a.date("on")
    }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        let id = try c.store.recordID(ref, in: .pilot, of: "pilot", printedBy: "pilot list")
        guard let pilot = try c.store.pilotLocked(id) else {
            throw Store.notFound("pilot", ref, hint: "see regctl pilot list")
        }
        let region = pilot.region
        try Access.requireRegion(c.actor, region, to: "end nurse pilots in \(region)")
        let from = pilot.from
        guard on >= from else {
            throw RegctlError("input.date", "the pilot started \(from); it cannot end before that", rule: "R-54")
        }
        if let to = pilot.to, to <= on {
            throw RegctlError("pilot.ended", "the pilot already ends on \(to)", rule: "R-54")
        }
        try c.store.endPilot(id, on: on)
        c.touch(id)
        // Filings end now when the end is already past; otherwise the maintenance run ends them on the day.
        let ended = on < c.today ? try PilotEnds.endUncoveredFilings(on: c.today, c) : 0
        return CommandOutput(fields: [
            ("pilot", .text(id.text)), ("ends_on", .text(on.description)), ("filings_ended", .int(ended))
        ])
    }
}

/// `pilot list`.
public struct PilotList: Command {
    public static let name = "pilot.list"
    public init(_ a: Arguments) throws {}

    public func run(_ c: CommandContext) throws -> CommandOutput {
        let rows = try c.store.pilotListing().map { p -> [Cell] in
            [
                .text(p.id.text), .text(p.region.value), .text(p.name), .text(p.from.description),
                Cell(p.to?.description),
                .bool(p.to.map { c.today <= $0 } ?? true), .int(p.regionalRegistrations)
            ]
        }
        return CommandOutput(
            table: ResultTable(
                columns: ["id", "region", "name", "from", "to", "open", "regional_registrations"], rows: rows))
    }
}
