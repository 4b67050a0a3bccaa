import Dates
import Foundation
import Postgres
import Registration

/// `pilot add --region CODE --from DATE [--to DATE]` (R-52).
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
        let id = UUID()
        try c.connection.execute(
            "INSERT INTO pilot (id, region, valid_from, valid_to) VALUES (\(id), \(region.value), \(from), \(to))")
        c.touch(id)
        return CommandOutput(id: id.text)
    }
}

/// `pilot end PILOT --on DATE` (R-54): regional filings outside any pilot end with it.
public struct PilotEnd: Command {
    public static let name = "pilot.end"
    let ref: String, on: CalendarDate

    public init(_ a: Arguments) throws {
        ref = try a.string("pilot")
        on = try a.date("on")
    }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        guard let id = UUID(uuidString: ref) else {
            throw RegctlError(
                "input.id", "\(Quoted.value(ref)) is not a pilot id (see regctl pilot list)", status: .usage)
        }
        guard
            let row = try c.connection.query(
                "SELECT region::text, valid_from, valid_to FROM pilot WHERE id = \(id) FOR UPDATE"
            ).first
        else {
            throw Store.notFound("pilot", ref, hint: "see regctl pilot list")
        }
        let region = try row.decode(0, as: RegionCode.self)
        try Access.requireRegion(c.actor, region, to: "end nurse pilots in \(region)")
        let from = try row.decode(1, as: CalendarDate.self)
        guard on >= from else {
            throw RegctlError("input.date", "the pilot started \(from); it cannot end before that", rule: "R-54")
        }
        if let to = try row.decode(2, as: CalendarDate?.self), to <= on {
            throw RegctlError("pilot.ended", "the pilot already ends on \(to)", rule: "R-54")
        }
        try c.connection.execute("UPDATE pilot SET valid_to = \(on) WHERE id = \(id)")
        c.touch(id)
        // Filings end now when the end is already past; otherwise the maintenance run ends them on the day.
        let ended = on < c.today ? try NurseStore.endUncoveredFilings(on: c.today, c) : 0
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
        let rows = try c.connection.query(
            """
            SELECT p.id, p.region::text, r.name, p.valid_from, p.valid_to,
                   (SELECT count(*) FROM nurse_registration nr JOIN institution i ON i.id = nr.institution
                    WHERE nr.regional AND nr.status = 'active' AND \(regionFilterDynamic("i.region", "p.region"))) AS regional_registrations
            FROM pilot p JOIN region r ON r.code = p.region ORDER BY p.valid_from, p.region
            """
        ).map { row -> [Cell] in
            let to = try row.decode(4, as: CalendarDate?.self)
            return [
                .text(try row.decode(0, as: UUID.self).text), .text(try row.decode(1, as: String.self)),
                .text(try row.decode(2, as: String.self)),
                .text(try row.decode(3, as: CalendarDate.self).description), Cell(to?.description),
                .bool(to.map { c.today <= $0 } ?? true), .int(try row.decode(5, as: Int.self))
            ]
        }
        return CommandOutput(
            table: ResultTable(
                columns: ["id", "region", "name", "from", "to", "open", "regional_registrations"], rows: rows))
    }
}
