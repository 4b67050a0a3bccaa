import Dates
import Foundation
import Registration

/// The form checks of an institution's fields, shared by `institution add` and the institutions import.
public struct InstitutionInput: Sendable {
    public let uscc: CreditCode
    public let name: String
    public let county: RegionCode
    public let ownership: Ownership
    public let forProfit: Bool
    public let category: InstitutionCategory
    public let beds: Int
    public let licenseNo: String?
    /// `--accept-check-failure REASON`: the recorder's reason for recording a code whose check character fails (R-02).
    public let acceptedCheckFailure: String?

    public init(_ a: Arguments) throws {
        do { uscc = try CreditCode(try a.string("uscc")) } catch let p as CreditCode.Problem {
            throw Arguments.usage(
                "input.uscc", "uscc",
                "\(Quoted.value(try a.string("uscc"))) is not a valid unified social credit code: \(p.explanation)")
        }
        acceptedCheckFailure = try a.optionalString("accept_check_failure")
        if let reason = acceptedCheckFailure, reason.count < 4 {
            throw Arguments.usage(
                "input.value", "accept_check_failure",
                "give the reason for accepting the code (at least 4 characters), such as: 2015年前发证, 与执业许可证核对一致")
        }
        // R-02: a failed check character is a typo until someone says otherwise (a typo recorded a second institution).
        if !uscc.checkCharacterValid && acceptedCheckFailure == nil {
            let expected =
                CreditCode.checkCharacter(for: String(uscc.value.prefix(17))).map { " (the first 17 give '\($0)')" }
                ?? ""
            throw RegctlError(
                "institution.uscc-check",
                "the check character of \(uscc.value) is '\(uscc.value.last!)'\(expected); check the code against the licence for a typing error. If the code is right (some early codes fail the check), record it with --accept-check-failure REASON",
                rule: "R-02", field: "uscc")
        }
        name = try a.name("name")
        county = try a.region("region")
        ownership = try a.choice("ownership", Ownership.self)
        forProfit = try a.bool("for_profit")
        category = try a.choice("category", InstitutionCategory.self)
        beds = try a.int("beds")
        licenseNo = try a.optionalString("license_no").flatMap { $0.isEmpty ? nil : $0 }
        guard (0...1_000_000).contains(beds) else {
            throw Arguments.usage("input.beds", "beds", "\(beds) approved beds; give 0 to 1000000")
        }
        if ownership == .public && forProfit {
            throw Arguments.usage(
                "input.for-profit", "for_profit",
                "a public (政府办) institution is non-profit; drop --for-profit or give --ownership social")
        }
    }
}

/// `institution add`.
public struct InstitutionAdd: Command {
    public static let name = "institution.add"
    let input: InstitutionInput

    public init(_ a: Arguments) throws { input = try InstitutionInput(a) }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        var notes = try InstitutionDecision.add(
            actor: c.actor, input: input, regions: try c.store.regionLevels(InstitutionDecision.regionsToKnow(input)))
        let id = UUID.random()
        try c.store.addInstitution(input.record(id: id))
        c.touch(id)
        if let reason = input.acceptedCheckFailure {
            c.details = "{\"accepted_check_failure\": \(JSONText.quote(reason))}"
            notes.append(
                Phrase(
                    en:
                        "warning[institution.uscc-check]: recorded with a check character that fails (R-02), accepted because: \(reason)",
                    zh: "提示[institution.uscc-check]：统一社会信用代码校验位不符（R-02），已按所述理由登记：\(reason)"))
        }
        // The same name in the same county is usually the same institution under a mistyped code.
        for other in try c.store.institutions(named: input.name, in: input.county, except: id) {
            notes.append(
                Phrase(
                    en:
                        "warning[institution.same-name]: \(input.name) is already recorded in \(input.county) with code \(other.uscc) (id \(other.id.text)); if it is the same institution, check the code",
                    zh:
                        "提示[institution.same-name]：\(input.county) 已登记同名机构 \(input.name)，代码 \(other.uscc)（编号 \(other.id.text)）；若为同一机构，请核对统一社会信用代码"
                ))
        }
        return CommandOutput(id: id.text, notes: notes)
    }
}

/// `institution show INST`.
public struct InstitutionShow: Command {
    public static let name = "institution.show"
    let ref: String
    public init(_ a: Arguments) throws { ref = try a.string("institution") }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        let inst = try c.store.institution(ref)
        // The facts are found for every reader (the rules need them); the record itself is shown only to
        // a reader whose scope reads it: to anyone else it is not found, as if it did not exist (R-72).
        guard let d = try c.store.institutionDetails(inst.id) else {
            throw Store.notFound(
                "institution", ref,
                hint: "give its id or its 18-character unified social credit code (regctl institution list)")
        }
        let f = inst.facts
        return CommandOutput(fields: [
            ("id", .text(inst.id.text)), ("uscc", .text(inst.uscc)), ("name", .text(f.name)),
            ("region", .text(f.county.value)), ("region_name", .text(d.regionName)),
            ("ownership", .text(f.ownership.rawValue)),
            ("for_profit", .bool(d.forProfit)),
            ("category", .text(f.category.rawValue)), ("grassroots", .bool(f.category.isGrassroots)),
            ("beds", .int(d.beds)), ("license_no", Cell(d.licenseNo)),
            ("status", .text(f.status.rawValue)),
            ("status_on", Cell(d.statusOn?.description)),
            ("blacklisted", .bool(f.blacklisted)),
            ("primary_registrations", .int(d.primaryRegistrations)), ("active_filings", .int(d.activeFilings))
        ])
    }
}

/// `institution list [--region] [--category] [--ownership]`.
public struct InstitutionList: Command {
    public static let name = "institution.list"
    let region: RegionCode?, category: InstitutionCategory?, ownership: Ownership?, arguments: Arguments, limit: Int

    public init(_ a: Arguments) throws {
        region = try a.optionalRegion("region")
        arguments = a
        limit = try Listing.limit(a)
        category =
            a["category"] == nil
            ? nil : try a.choice("category", InstitutionCategory.self)
        ownership =
            a["ownership"] == nil ? nil : try a.choice("ownership", Ownership.self)
    }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        if let region { _ = try c.store.requireRegion(region, field: "region") }
        let page = try Listing.page(arguments, c, table: .institution, of: "institution")
        let found = try c.store.institutions(region: region, category: category, ownership: ownership, page: page)
        let places = try c.store.regionFullNames(found.map(\.county.value))
        let rows = found.map { i -> [Cell] in
            [
                .text(i.id.text), .text(i.uscc), .text(i.name), .text(i.county.value), Cell(places[i.county.value]),
                .text(i.ownership.rawValue),
                .bool(i.forProfit), .text(i.category.rawValue), .int(i.beds), .text(i.status.rawValue)
            ]
        }
        return Listing.page(
            ResultTable(
                columns: [
                    "id", "uscc", "name", "region", "region_name", "ownership", "for_profit", "category", "beds",
                    "status"
                ],
                rows: rows),
            limit: limit)
    }
}

/// `institution close|suspend|reinstate INST --on DATE`.
struct InstitutionStatusChange {
    let ref: String
    let on: CalendarDate?

    init(_ a: Arguments) throws {
        ref = try a.string("institution")
        on = try a.optionalDate("on")
    }

    func run(_ c: CommandContext, to status: InstitutionStatus) throws -> CommandOutput {
        let inst = try c.store.institution(ref, lock: true)
        let day = on ?? c.today
        try Access.requireRegion(
            c.actor, inst.facts.county, to: "change the status of institutions in \(inst.facts.county)")
        switch (inst.facts.status, status) {
        case (.closed, _):
            throw RegctlError(
                "institution.inactive",
                "\(inst.facts.name) is closed (for good); a reopened institution is recorded anew")
        case (let from, let to) where from == to:
            throw RegctlError("institution.unchanged", "\(inst.facts.name) is already \(to.rawValue)")
        case (.active, .active):
            break
        default:
            break
        }
        try c.store.setInstitutionStatus(inst.id, status, on: day)
        c.touch(inst.id)
        var ended = 0, closed = 0
        if status == .closed {
            // R-24: a filing ends when its institution closes.
            let endedIDs = try c.store.endActiveFilings(
                .institution(inst.id), on: day, reason: EndReason.institutionClosed.rawValue)
            c.touched += endedIDs
            ended = endedIDs.count
            // R-44: its studios close with it.
            let closedIDs = try c.store.closeStudios(.host(inst.id), on: day, reason: EndReason.hostClosed.rawValue)
            c.touched += closedIDs
            closed = closedIDs.count
        }
        return CommandOutput(fields: [
            ("institution", .text(inst.id.text)), ("status", .text(status.rawValue)),
            ("on", .text(day.description)), ("filings_ended", .int(ended)), ("studios_closed", .int(closed))
        ])
    }
}

public struct InstitutionClose: Command {
    public static let name = "institution.close"
    let change: InstitutionStatusChange
    public init(_ a: Arguments) throws { change = try InstitutionStatusChange(a) }
    public func run(_ c: CommandContext) throws -> CommandOutput { try change.run(c, to: .closed) }
}

public struct InstitutionSuspend: Command {
    public static let name = "institution.suspend"
    let change: InstitutionStatusChange
    public init(_ a: Arguments) throws { change = try InstitutionStatusChange(a) }
    public func run(_ c: CommandContext) throws -> CommandOutput { try change.run(c, to: .suspended) }
}

public struct InstitutionReinstate: Command {
    public static let name = "institution.reinstate"
    let change: InstitutionStatusChange
    public init(_ a: Arguments) throws { change = try InstitutionStatusChange(a) }
    public func run(_ c: CommandContext) throws -> CommandOutput { try change.run(c, to: .active) }
}
