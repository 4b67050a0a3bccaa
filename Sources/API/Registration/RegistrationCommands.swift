import Dates
import Foundation
import Registration

/// `registration apply` (R-10 … ): a pending application at a primary institution.
public struct RegistrationApply: Command {
    public static let name = "registration.apply"
    let physician: String, institution: String, scopes: [String], on: CalendarDate?

    public init(_ a: Arguments) throws {
        physician = try a.string("physician")
        institution = try a.string("institution")
        scopes = try a.optionalList("scope") ?? []
        on = try a.optionalDate("on")
    }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        let day = try c.decisionDay(on)
        // One application at a time per physician: hold against racing registrars.
        let p = try c.store.physician(physician, lock: true)
        let inst = try c.store.institution(institution)
        let application = try RegistrationDecision.apply(
            actor: c.actor, physician: p, institution: inst, scopes: scopes,
            existing: try c.store.registrations(ofPhysician: p.id), on: day)
        let registration = NewRegistration(
            physician: p, institution: inst.id, application: application, scopes: scopes, appliedOn: day)
        try c.store.addRegistration(registration)
        let id = registration.id
        c.touch(id, p.id, inst.id)
        let deadline = RegistrationRules.decisionDeadline(
            appliedOn: day, calendar: try c.store.workingCalendar())
        return CommandOutput(
            id: id.text,
            fields: [
                ("region", .text(application.region.value)), ("status", .text("pending")),
                ("decision_due", .text(deadline.description))
            ])
    }
}

/// `registration approve REG`: active from the decision date; a first approval issues the certificate number.
public struct RegistrationApprove: Command {
    public static let name = "registration.approve"
    let ref: String, on: CalendarDate?

    public init(_ a: Arguments) throws {
        ref = try a.string("registration")
        on = try a.optionalDate("on")
    }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        let day = try c.decisionDay(on)
        let reg = try c.store.registration(ref, lock: true)
        try Access.requireRegion(c.actor, reg.facts.region, to: "decide applications in \(reg.facts.region)")
        try RegistrationRules.checkDecision(status: reg.facts.status, appliedOn: reg.appliedOn, on: day)
        let p = try c.store.physician(reg.physician.text, lock: true)
        let inst = try c.store.institution(reg.facts.institution.text)
        try RegistrationRules.checkEligible(physician: p.facts, institution: inst.facts)
        try c.store.approveRegistration(reg.id, on: day)
        var certificate = p.certificateNo
        if certificate == nil {
            let prefix = RegistrationRules.certificatePrefix(
                level: p.facts.level, category: p.facts.category, region: reg.facts.region)
            let serial = try c.store.nextCertificateSerial(prefix: prefix)
            let number = RegistrationRules.certificateNumber(
                level: p.facts.level, category: p.facts.category, region: reg.facts.region, serial: serial)
            try c.store.setCertificateNumber(p.id, number)
            certificate = number
        }
        c.touch(reg.id, p.id)
        return CommandOutput(fields: [
            ("registration", .text(reg.id.text)), ("status", .text("active")),
            ("effective_on", .text(day.description)), ("certificate_no", Cell(certificate))
        ])
    }
}

/// `registration reject REG --reason TEXT`.
public struct RegistrationReject: Command {
    public static let name = "registration.reject"
    let ref: String, reason: String, on: CalendarDate?

    public init(_ a: Arguments) throws {
        ref = try a.string("registration")
        reason = try a.string("reason")
        on = try a.optionalDate("on")
    }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        let day = try c.decisionDay(on)
        let reg = try c.store.registration(ref, lock: true)
        try Access.requireRegion(c.actor, reg.facts.region, to: "decide applications in \(reg.facts.region)")
        try RegistrationRules.checkDecision(status: reg.facts.status, appliedOn: reg.appliedOn, on: day)
        try c.store.rejectRegistration(reg.id, on: day, reason: reason)
        c.touch(reg.id, reg.physician)
        return CommandOutput(fields: [
            ("registration", .text(reg.id.text)), ("status", .text("rejected")), ("decided_on", .text(day.description))
        ])
    }
}

/// `registration change REG [--institution] [--scope]`: in place, recorded with before and after.
public struct RegistrationChange: Command {
    public static let name = "registration.change"
    let ref: String, institution: String?, scopes: [String]?, on: CalendarDate?

    public init(_ a: Arguments) throws {
        ref = try a.string("registration")
        institution = try a.optionalString("institution")
        scopes = try a.optionalList("scope")
        on = try a.optionalDate("on")
    }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        let day = try c.decisionDay(on)
        let reg = try c.store.registration(ref, lock: true)
        let p = try c.store.physician(reg.physician.text, lock: true)
        try Access.requireInstitution(
            c.actor, institution: reg.facts.institution, regions: [reg.facts.region, reg.facts.institutionCounty],
            to: "change registrations in \(reg.facts.region)")
        let newInst = try institution.map { try c.store.institution($0) }
        if let newInst {
            try Access.requireInstitution(
                c.actor, institution: newInst.facts.id, regions: [reg.facts.region, newInst.facts.county],
                to: "move registrations to \(newInst.facts.name)")
        }
        let change = try RegistrationRules.change(
            registration: reg.facts, physician: p.facts, newInstitution: newInst?.facts,
            newScopes: scopes, on: day)
        let institution = newInst?.id ?? reg.institution
        try c.store.changeRegistration(reg.id, institution: institution, scopes: change.scopes)
        // The new primary institution is no longer an additional site (R-24's end day, as every end).
        let ended = try c.store.endActiveFilings(
            .registrationAt(reg.id, institution: institution), on: day, reason: EndReason.becamePrimary.rawValue)
        c.touch(reg.id, p.id)
        c.touched += ended
        c.details = """
            {"before": {"institution": \(JSONText.quote(reg.facts.institution.text)), "scopes": \(Arguments.listJSON(reg.facts.scopes)), "status": \(JSONText.quote(reg.facts.status.rawValue))}, \
            "after": {"institution": \(JSONText.quote(change.institution.text)), "scopes": \(Arguments.listJSON(change.scopes)), "status": "active"}, \
            "on": \(JSONText.quote(day.description))}
            """
        return CommandOutput(fields: [
            ("registration", .text(reg.id.text)), ("institution", .text(change.institution.text)),
            ("scopes", .list(change.scopes)), ("status", .text("active")),
            ("returned_from_leave", .bool(change.returnsFromLeave)), ("filings_ended", .int(ended.count))
        ])
    }
}

/// `registration leave REG --reason … --on DATE`: on leave from that date; its filings end.
public struct RegistrationLeave: Command {
    public static let name = "registration.leave"
    let ref: String, reason: LeaveReason, on: CalendarDate

    public init(_ a: Arguments) throws {
        ref = try a.string("registration")
        reason = try a.choice("reason", LeaveReason.self)
        on = try a.date("on")
    }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        let on = try c.decisionDay(on)
        let reg = try c.store.registration(ref, lock: true)
        try RegistrationDecision.leave(actor: c.actor, registration: reg, on: on)
        let endedIDs =
            try c.store.startLeaves([NewLeave(registration: reg.id, physician: reg.physician, on: on, reason: reason)])[
                reg.id] ?? []
        c.touched += endedIDs
        let ended = endedIDs.count
        c.touch(reg.id, reg.physician)
        return CommandOutput(fields: [
            ("registration", .text(reg.id.text)), ("status", .text("on-leave")), ("since", .text(on.description)),
            ("lapses_on", .text(RegistrationRules.leaveEnds(since: on).description)), ("filings_ended", .int(ended))
        ])
    }
}

/// `registration cancel REG --reason … --on DATE`: ends its filings; `death` cancels every registration.
public struct RegistrationCancel: Command {
    public static let name = "registration.cancel"
    let ref: String, reason: CancellationReason, on: CalendarDate

    public init(_ a: Arguments) throws {
        ref = try a.string("registration")
        reason = try a.choice("reason", CancellationReason.self)
        on = try a.date("on")
    }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        let on = try c.decisionDay(on)
        let reg = try c.store.registration(ref, lock: true)
        try Access.requireRegion(c.actor, reg.facts.region, to: "cancel registrations in \(reg.facts.region)")
        try RegistrationRules.cancel(registration: reg.facts)
        _ = try c.store.physician(reg.physician.text, lock: true)
        var targets = [reg]
        if reason == .death {
            targets += try c.store.registrations(ofPhysician: reg.physician).filter {
                $0.id != reg.id && $0.facts.status.isLive
            }
            try c.store.setPhysicianStatus(reg.physician, .deceased, on: on, onlyIfActive: false)
        }
        var ended = 0, closed = 0
        for t in targets {
            let effects = try RegistrationCancellation.cancel(t.id, physician: t.physician, reason: reason, on: on, c)
            ended += effects.filingsEnded
            closed += effects.studiosClosed
        }
        c.touch(reg.physician)
        return CommandOutput(fields: [
            ("registration", .text(reg.id.text)), ("status", .text("cancelled")), ("reason", .text(reason.rawValue)),
            ("registrations_cancelled", .int(targets.count)), ("filings_ended", .int(ended)),
            ("studios_closed", .int(closed))
        ])
    }
}

/// `registration show REG`.
public struct RegistrationShow: Command {
    public static let name = "registration.show"
    let ref: String
    public init(_ a: Arguments) throws { ref = try a.string("registration") }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        let reg = try c.store.registration(ref)
        let d = try c.store.registrationDetails(reg.id)
        let f = reg.facts
        let calendar = try c.store.workingCalendar()
        return CommandOutput(fields: [
            ("id", .text(reg.id.text)), ("physician", .text(reg.physician.text)),
            ("physician_name", .text(d.physicianName)),
            ("region", .text(f.region.value)), ("institution", .text(f.institution.text)),
            ("institution_name", .text(d.institutionName)),
            ("scopes", .list(f.scopes)), ("status", .text(f.status.rawValue)), ("home", .bool(f.isHome)),
            ("applied_on", .text(reg.appliedOn.description)),
            (
                "decision_due",
                .text(RegistrationRules.decisionDeadline(appliedOn: reg.appliedOn, calendar: calendar).description)
            ),
            (
                "overdue",
                .bool(
                    RegistrationRules.isOverdue(
                        status: f.status, appliedOn: reg.appliedOn, today: c.today, calendar: calendar))
            ),
            ("decided_on", Cell(d.decidedOn?.description)), ("decided_by", Cell(d.decidedBy)),
            ("rejection_reason", Cell(d.rejectionReason)),
            ("effective_on", Cell(f.effectiveOn?.description)), ("leave_since", Cell(f.leaveSince?.description)),
            ("leave_reason", Cell(d.leaveReason)),
            ("cancelled_on", Cell(f.cancelledOn?.description)), ("cancel_reason", Cell(f.cancelReason?.rawValue)),
            ("certificate_no", Cell(d.certificateNo))
        ])
    }
}

/// `registration list [--physician] [--region] [--status]`.
public struct RegistrationList: Command {
    public static let name = "registration.list"
    let physician: String?, region: RegionCode?, status: RegistrationStatus?, limit: Int
    /// Only applications past their 20-working-day deadline.
    let overdue: Bool

    public init(_ a: Arguments) throws {
        physician = try a.optionalString("physician")
        region = try a.optionalRegion("region")
        overdue = try a.bool("overdue")
        let asked = try a.optionalChoice("status", RegistrationStatus.self)
        if overdue, let asked, asked != .pending {
            throw Arguments.usage(
                "input.status", "status",
                "--overdue lists pending applications past their deadline; leave out --status \(asked.rawValue)")
        }
        status = overdue ? .pending : asked
        limit = try Listing.limit(a)
    }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        let pid = try physician.map { try c.store.physicianToRead($0).id }
        if let region { _ = try c.store.requireRegion(region, field: "region") }
        // The reader's own scope, said in the query as well as by row-level security (so the plan starts from it).
        let region = self.region ?? ((c.actor.role == .registrar || c.actor.role == .analyst) ? c.actor.region : nil)
        let hr = c.actor.role == .hr ? c.actor.institution : nil
        // A pending application's deadline (R-15, working days of the calendar) and whether it has passed.
        let calendar = try c.store.workingCalendar()
        func due(_ applied: CalendarDate) -> CalendarDate {
            RegistrationRules.decisionDeadline(appliedOn: applied, calendar: calendar)
        }
        // `--overdue`: the deadline grows with the day applied, so the overdue ones are those applied on or
        // before the last day whose deadline is already past.
        var lastOverdue: CalendarDate?
        if overdue {
            var d = c.today.adding(days: -1)
            while due(d) >= c.today { d = d.adding(days: -1) }
            lastOverdue = d
        }
        let rows = try c.store.registrations(
            physician: pid, region: region, institution: hr, status: status, appliedOnOrBefore: lastOverdue,
            limit: limit + 1
        ).map { r -> [Cell] in
            let deadline = r.status == .pending ? due(r.appliedOn) : nil
            return [
                .text(r.id.text), .text(r.physicianName), .text(r.region.value), .text(r.institutionName),
                .list(r.scopes), .text(r.status.rawValue), .bool(r.isHome), .text(r.appliedOn.description),
                Cell(r.effectiveOn?.description), Cell(deadline?.description),
                deadline.map { .bool($0 < c.today) } ?? .null
            ]
        }
        return Listing.page(
            ResultTable(
                columns: [
                    "id", "physician", "region", "institution", "scopes", "status", "home", "applied_on",
                    "effective_on",
                    "decision_due", "overdue"
                ], rows: rows), limit: limit)
    }
}

extension Arguments {
    static func listJSON(_ l: [String]) -> String { "[" + l.map(JSONText.quote).joined(separator: ", ") + "]" }
}
