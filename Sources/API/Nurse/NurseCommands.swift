import Dates
import Foundation
import Registration

/// `nurse add`.
public struct NurseAdd: Command {
    public static let name = "nurse.add"
    let arguments: Arguments

    public init(_ a: Arguments) throws {
        arguments = a
        _ = try PhysicianInput.residentID(a, today: CalendarDate.today().adding(days: 1))
        _ = try a.name("name")
        _ = try a.string("qualification_no")
    }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        let idNumber = try PhysicianInput.residentID(arguments, today: c.today)
        try Access.requireRegistrar(c.actor, to: "record nurses")
        let id = UUID.random()
        try c.store.addNurse(
            id: id, idNumber: idNumber, name: try arguments.name("name"),
            qualificationNo: try arguments.string("qualification_no"))
        c.touch(id)
        return CommandOutput(id: id.text)
    }
}

/// `nurse show N`.
public struct NurseShow: Command {
    public static let name = "nurse.show"
    let ref: String
    public init(_ a: Arguments) throws { ref = try a.string("nurse") }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        let n = try c.store.nurseToRead(ref)
        let regs = try c.store.nurseRegistrationLines(ofNurse: n.id)
        let regions = regs.map(\.county)
        let filings = try c.store.activeNurseFilings(ofNurse: n.id).count
        // R-72 twice: the database shows the number as the reader may see it, and so does the rule here.
        let shown = try c.store.nurseIDNumberAsShown(n.id) ?? ResidentID.mask(n.idNumber)
        return CommandOutput(fields: [
            ("id", .text(n.id.text)), ("name", .text(n.name)),
            (
                "id_number",
                .text(Access.seesFullIDNumber(c.actor, subjectRegions: regions) ? shown : ResidentID.mask(shown))
            ),
            ("status", .text(n.status.rawValue)), ("blacklisted", .bool(n.blacklisted)),
            (
                "registrations",
                .list(
                    regs.map { r in
                        "\(r.id.text):\(r.status)\(r.regional ? "(regional)" : "")@\(r.institutionName)"
                            + (r.expiresOn.map { " until \($0)" } ?? "")
                    })
            ),
            ("active_filings", .int(filings))
        ])
    }
}

/// `nurse list [--region]`.
public struct NurseList: Command {
    public static let name = "nurse.list"
    let region: RegionCode?, arguments: Arguments, limit: Int
    public init(_ a: Arguments) throws {
        region = try a.optionalRegion("region")
        arguments = a
        limit = try Listing.limit(a)
    }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        // R-72 by its one rule: in full when the reader sees the numbers of the region listed (every nurse listed is registered there).
        let full = Access.seesFullIDNumber(c.actor, subjectRegions: region.map { [$0] } ?? [])
        if let region { _ = try c.store.requireRegion(region, field: "region") }
        let page = try Listing.page(arguments, c, table: .nurse, of: "nurse")
        let rows = try c.store.nurses(registeredIn: Access.listRegion(c.actor, requested: region), page: page).map {
            n -> [Cell] in
            [
                .text(n.id.text), .text(n.name), .text(full ? n.idNumber : ResidentID.mask(n.idNumber)),
                .text(n.status.rawValue)
            ]
        }
        return Listing.page(
            ResultTable(columns: ["id", "name", "id_number", "status"], rows: rows, subject: "person"), limit: limit)
    }
}

/// `nurse register --nurse N --institution INST [--regional] [--on DATE]` (R-50, R-53).
public struct NurseRegister: Command {
    public static let name = "nurse.register"
    let nurse: String, institution: String, regional: Bool, on: CalendarDate?

    public init(_ a: Arguments) throws {
        nurse = try a.string("nurse")
        institution = try a.string("institution")
        regional = try a.bool("regional")
        on = try a.optionalDate("on")
    }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        let day = try c.decisionDay(on)
        let n = try c.store.nurse(nurse, lock: true)
        let inst = try c.store.institution(institution)
        try Access.requireInstitution(
            c.actor, institution: inst.facts.id, regions: [inst.facts.county],
            to: "register nurses at \(inst.facts.name)")
        try NurseRules.register(
            nurseStatus: n.status, nurseBlacklisted: n.blacklisted, institution: inst.facts, regional: regional,
            live: try c.store.nurseRegistrations(ofNurse: n.id).map(\.facts).filter(\.status.isLive),
            pilots: try c.store.pilots(), on: day)
        let id = UUID.random()
        try c.store.addNurseRegistration(id: id, nurse: n.id, institution: inst, regional: regional, appliedOn: day)
        c.touch(id, n.id, inst.id)
        let due = RegistrationRules.decisionDeadline(appliedOn: day, calendar: try c.store.workingCalendar())
        return CommandOutput(
            id: id.text,
            fields: [
                ("status", .text("pending")), ("regional", .bool(regional)), ("decision_due", .text(due.description))
            ])
    }
}

/// `nurse approve REG [--on DATE]`: valid five years (R-50).
public struct NurseApprove: Command {
    public static let name = "nurse.approve"
    let ref: String, on: CalendarDate?

    public init(_ a: Arguments) throws {
        ref = try a.string("registration")
        on = try a.optionalDate("on")
    }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        let day = try c.decisionDay(on)
        let r = try c.store.nurseRegistration(ref, lock: true)
        try Access.requireRegion(
            c.actor, r.facts.institutionCounty, to: "decide nurse registrations in \(r.facts.institutionCounty)")
        try NurseRules.checkDecision(status: r.facts.status, appliedOn: r.appliedOn, on: day)
        let n = try c.store.nurse(r.nurse.text)
        try NurseRules.checkApproval(
            nurseBlacklisted: n.blacklisted, institution: try c.store.institution(r.facts.institution.text).facts)
        let expires = NurseRules.expiry(approvedOn: day)
        try c.store.approveNurseRegistration(r.id, on: day, expires: expires)
        c.touch(r.id, r.nurse)
        return CommandOutput(fields: [
            ("registration", .text(r.id.text)), ("status", .text("active")), ("expires_on", .text(expires.description))
        ])
    }
}

/// `nurse reject REG --reason TEXT`.
public struct NurseReject: Command {
    public static let name = "nurse.reject"
    let ref: String, reason: String, on: CalendarDate?

    public init(_ a: Arguments) throws {
        ref = try a.string("registration")
        reason = try a.string("reason")
        on = try a.optionalDate("on")
    }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        let day = try c.decisionDay(on)
        let r = try c.store.nurseRegistration(ref, lock: true)
        try Access.requireRegion(
            c.actor, r.facts.institutionCounty, to: "decide nurse registrations in \(r.facts.institutionCounty)")
        try NurseRules.checkDecision(status: r.facts.status, appliedOn: r.appliedOn, on: day)
        try c.store.rejectNurseRegistration(r.id, on: day, reason: reason)
        c.touch(r.id)
        return CommandOutput(fields: [("registration", .text(r.id.text)), ("status", .text("rejected"))])
    }
}

/// `nurse renew REG [--on DATE]` (R-51).
public struct NurseRenew: Command {
    public static let name = "nurse.renew"
    let ref: String, on: CalendarDate?

    public init(_ a: Arguments) throws {
        ref = try a.string("registration")
        on = try a.optionalDate("on")
    }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        let day = try c.decisionDay(on)
        let r = try c.store.nurseRegistration(ref, lock: true)
        try Access.requireInstitution(
            c.actor, institution: r.facts.institution, regions: [r.facts.institutionCounty],
            to: "renew nurse registrations there")
        let n = try c.store.nurse(r.nurse.text)
        let expires = try NurseRules.renew(r.facts, nurseBlacklisted: n.blacklisted, on: day)
        try c.store.renewNurseRegistration(r.id, on: day, expires: expires)
        c.touch(r.id)
        return CommandOutput(fields: [("registration", .text(r.id.text)), ("expires_on", .text(expires.description))])
    }
}

/// `nurse file --nurse N --institution INST --contract-no NO --from DATE --to DATE` (R-53).
public struct NurseFile: Command {
    public static let name = "nurse.file"
    let nurse: String, institution: String, contractNo: String, period: ContractPeriod

    public init(_ a: Arguments) throws {
        nurse = try a.string("nurse")
        institution = try a.string("institution")
        contractNo = try a.string("contract_no")
        period = ContractPeriod(from: try a.date("from"), to: try a.date("to"))
    }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        let n = try c.store.nurse(nurse, lock: true)
        let inst = try c.store.institution(institution)
        guard
            let reg = try c.store.nurseRegistrations(ofNurse: n.id).first(where: { $0.facts.status == .active })
                ?? c.store.nurseRegistrations(ofNurse: n.id).last
        else {
            throw RegctlError(
                "registration.not-active", "the nurse has no registration; register first (nurse register)",
                rule: "R-53")
        }
        try Access.requireInstitution(
            c.actor, institution: inst.facts.id, regions: [inst.facts.county, reg.facts.institutionCounty],
            to: "file nurses at \(inst.facts.name)")
        let atInstitution = try c.store.activeNurseFilings(ofNurse: n.id, at: inst.id)
        try NurseRules.file(
            reg.facts, nurseBlacklisted: n.blacklisted, institution: inst.facts, period: period,
            pilots: try c.store.pilots(), activeAtInstitution: atInstitution, on: c.today)
        let id = UUID.random()
        try c.store.addNurseFiling(
            id: id, registration: reg.id, nurse: n.id, institution: inst, contractNo: contractNo, period: period)
        c.touch(id, n.id, inst.id, reg.id)
        return CommandOutput(id: id.text)
    }
}
