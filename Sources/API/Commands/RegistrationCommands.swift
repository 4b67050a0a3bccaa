import Dates
import Foundation
import Postgres
import Registration

/// `registration apply` (R-10 … R-13, R-20, R-21): a pending application at a primary institution.
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
        // One application at a time per physician: R-11 and R-21 hold against racing registrars.
        let p = try c.store.physician(physician, lock: true)
        let inst = try c.store.institution(institution)
        let region = RegistrationRules.practiceRegion(level: p.facts.level, institutionCounty: inst.facts.county)
        try Access.requireInstitution(
            c.actor, institution: inst.facts.id, regions: [region, inst.facts.county],
            to: "apply for registrations at \(inst.facts.name)")
        let existing = try c.store.registrations(ofPhysician: p.id)
        let application = try RegistrationRules.apply(
            physician: p.facts, institution: inst.facts, scopes: scopes,
            existing: existing.map(\.facts), on: day)
        let id = UUID()
        try c.connection.execute(
            """
            INSERT INTO registration (id, province, physician, region, institution, category, scopes, status, is_home, applied_on)
            VALUES (\(id), \(application.region.province.value), \(p.id), \(application.region.value), \(inst.id),
                    \(p.facts.category.rawValue), \(scopes), 'pending', \(application.isHome), \(day))
            """)
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

/// `registration approve REG` (R-14): active from the decision date; a first approval issues the certificate number.
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
        let inst = try c.store.institution(reg.facts.institution)
        try RegistrationRules.checkEligible(physician: p.facts, institution: inst.facts)
        try c.connection.execute(
            """
            UPDATE registration SET status = 'active', decided_on = \(day), effective_on = \(day), decided_by = \(c.actor.id)
            WHERE id = \(reg.id)
            """)
        var certificate = p.certificateNo
        if certificate == nil {
            let prefix = RegistrationRules.certificatePrefix(
                level: p.facts.level, category: p.facts.category, region: reg.facts.region)
            // The row lock on the prefix's counter serialises concurrent approvals.
            let serial = try c.connection.query(
                """
                INSERT INTO certificate_serial (prefix, last) VALUES (\(prefix), 1)
                ON CONFLICT (prefix) DO UPDATE SET last = certificate_serial.last + 1 RETURNING last
                """)[0].decode(0, as: Int.self)
            let number = RegistrationRules.certificateNumber(
                level: p.facts.level, category: p.facts.category, region: reg.facts.region, serial: serial)
            try c.connection.execute("UPDATE physician SET certificate_no = \(number) WHERE id = \(p.id)")
            certificate = number
        }
        c.touch(reg.id, p.id)
        return CommandOutput(fields: [
            ("registration", .text(reg.id.text)), ("status", .text("active")),
            ("effective_on", .text(day.description)), ("certificate_no", Cell(certificate))
        ])
    }
}

/// `registration reject REG --reason TEXT` (R-14).
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
        try c.connection.execute(
            """
            UPDATE registration SET status = 'rejected', decided_on = \(day), decided_by = \(c.actor.id), rejection_reason = \(reason), is_home = false
            WHERE id = \(reg.id)
            """)
        c.touch(reg.id, reg.physician)
        return CommandOutput(fields: [
            ("registration", .text(reg.id.text)), ("status", .text("rejected")), ("decided_on", .text(day.description))
        ])
    }
}

/// `registration change REG [--institution] [--scope]` (R-16, R-17): in place, recorded with before and after.
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
        try c.connection.execute(
            """
            UPDATE registration SET institution = \(UUID(uuidString: change.institution)!), scopes = \(change.scopes),
                   status = 'active', leave_since = NULL, leave_reason = NULL
            WHERE id = \(reg.id)
            """)
        // The new primary institution is no longer an additional site.
        let ended = try c.connection.query(
            """
            UPDATE filing SET status = 'ended', ended_on = GREATEST(LEAST(\(day), valid_to), valid_from - 1), end_reason = 'became-primary'
            WHERE registration = \(reg.id) AND institution = \(UUID(uuidString: change.institution)!) AND status = 'active' RETURNING id
            """
        ).map { try $0.decode(0, as: UUID.self) }
        c.touch(reg.id, p.id)
        c.touched += ended
        c.details = """
            {"before": {"institution": \(JSONText.quote(reg.facts.institution)), "scopes": \(Arguments.listJSON(reg.facts.scopes)), "status": \(JSONText.quote(reg.facts.status.rawValue))}, \
            "after": {"institution": \(JSONText.quote(change.institution)), "scopes": \(Arguments.listJSON(change.scopes)), "status": "active"}, \
            "on": \(JSONText.quote(day.description))}
            """
        return CommandOutput(fields: [
            ("registration", .text(reg.id.text)), ("institution", .text(change.institution)),
            ("scopes", .list(change.scopes)), ("status", .text("active")),
            ("returned_from_leave", .bool(change.returnsFromLeave)), ("filings_ended", .int(ended.count))
        ])
    }
}

/// `registration leave REG --reason … --on DATE` (R-17): on leave from that date; its filings end.
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
        try Access.requireInstitution(
            c.actor, institution: reg.facts.institution, regions: [reg.facts.region, reg.facts.institutionCounty],
            to: "record leaves in \(reg.facts.region)")
        try RegistrationRules.leave(registration: reg.facts, on: on)
        try c.connection.execute(
            """
            UPDATE registration SET status = 'on-leave', leave_since = \(on), leave_reason = \(reason.rawValue) WHERE id = \(reg.id)
            """)
        let ended = try FilingStore.endAll(registration: reg.id, on: on, reason: "leave", c)
        if reason == .retired {
            try c.connection.execute(
                "UPDATE physician SET status = 'retired', status_on = \(on) WHERE id = \(reg.physician) AND status = 'active'"
            )
        }
        c.touch(reg.id, reg.physician)
        return CommandOutput(fields: [
            ("registration", .text(reg.id.text)), ("status", .text("on-leave")), ("since", .text(on.description)),
            ("lapses_on", .text(RegistrationRules.leaveEnds(since: on).description)), ("filings_ended", .int(ended))
        ])
    }
}

/// `registration cancel REG --reason … --on DATE` (R-19): ends its filings; `death` cancels every registration.
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
            try c.connection.execute(
                "UPDATE physician SET status = 'deceased', status_on = \(on) WHERE id = \(reg.physician)")
        }
        var ended = 0, closed = 0
        for t in targets {
            let effects = try RegistrationStore.cancel(t.id, physician: t.physician, reason: reason, on: on, c)
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
        let row = try c.connection.query(
            """
            SELECT p.name AS physician_name, i.name AS institution_name, r.decided_on, r.decided_by, r.rejection_reason,
                   r.leave_reason, r.cancel_reason, p.certificate_no::text AS certificate_no
            FROM registration r JOIN physician p ON p.id = r.physician JOIN institution i ON i.id = r.institution WHERE r.id = \(reg.id)
            """)[0]
        let f = reg.facts
        let calendar = try c.store.workingCalendar()
        return CommandOutput(fields: [
            ("id", .text(reg.id.text)), ("physician", .text(reg.physician.text)),
            ("physician_name", .text(try row.decode("physician_name", as: String.self))),
            ("region", .text(f.region.value)), ("institution", .text(f.institution)),
            ("institution_name", .text(try row.decode("institution_name", as: String.self))),
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
            ("decided_on", Cell(try row.decode("decided_on", as: CalendarDate?.self)?.description)),
            ("decided_by", Cell(try row.decode("decided_by", as: String?.self))),
            ("rejection_reason", Cell(try row.decode("rejection_reason", as: String?.self))),
            ("effective_on", Cell(f.effectiveOn?.description)), ("leave_since", Cell(f.leaveSince?.description)),
            ("leave_reason", Cell(try row.decode("leave_reason", as: String?.self))),
            ("cancelled_on", Cell(f.cancelledOn?.description)), ("cancel_reason", Cell(f.cancelReason?.rawValue)),
            ("certificate_no", Cell(try row.decode("certificate_no", as: String?.self)))
        ])
    }
}

/// `registration list [--physician] [--region] [--status]`.
public struct RegistrationList: Command {
    public static let name = "registration.list"
    let physician: String?, region: RegionCode?, status: RegistrationStatus?, limit: Int

    public init(_ a: Arguments) throws {
        physician = try a.optionalString("physician")
        region = try a.optionalRegion("region")
        status = try a.optionalChoice("status", RegistrationStatus.self)
        limit = try Listing.limit(a)
    }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        let pid = try physician.map { try c.store.physicianToRead($0).id }
        if let region { _ = try c.store.requireRegion(region, field: "region") }
        // The reader's own scope, said in the query as well as by row-level security (so the plan starts from it).
        let region = self.region ?? ((c.actor.role == .registrar || c.actor.role == .analyst) ? c.actor.region : nil)
        let hr = c.actor.role == .hr ? c.actor.institution.flatMap(UUID.init(uuidString:)) : nil
        let rows = try c.connection.query(
            """
            SELECT r.id, p.name, r.region::text, i.name AS institution, r.scopes, r.status, r.is_home, r.applied_on, r.effective_on
            FROM registration r JOIN physician p ON p.id = r.physician JOIN institution i ON i.id = r.institution
            WHERE (\(pid)::uuid IS NULL OR r.physician = \(pid))
              AND (\(region == nil) OR \(regionFilter("r.region", region)) OR \(regionFilter("i.region", region)))
              AND (\(region == nil) OR r.province = \(region?.province.value)::bpchar)  -- a registration lies in its institution's province (0007)
              AND (\(hr)::uuid IS NULL OR r.institution = \(hr))
              AND (\(status?.rawValue)::text IS NULL OR r.status = \(status?.rawValue))
            ORDER BY r.applied_on, r.id LIMIT \(limit + 1)
            """
        ).map { row -> [Cell] in
            [
                .text(try row.decode("id", as: UUID.self).text), .text(try row.decode("name", as: String.self)),
                .text(try row.decode("region", as: String.self)), .text(try row.decode("institution", as: String.self)),
                .list(try row.decode("scopes", as: [String].self)), .text(try row.decode("status", as: String.self)),
                .bool(try row.decode("is_home", as: Bool.self)),
                .text(try row.decode("applied_on", as: CalendarDate.self).description),
                Cell(try row.decode("effective_on", as: CalendarDate?.self)?.description)
            ]
        }
        return Listing.page(
            ResultTable(
                columns: [
                    "id", "physician", "region", "institution", "scopes", "status", "home", "applied_on", "effective_on"
                ], rows: rows), limit: limit)
    }
}

/// Writes shared by the commands that cancel registrations (R-19) and the maintenance run (R-18).
enum RegistrationStore {
    /// Cancels one registration as `CancellationPlan` (R-19) decides: the physician's other live registrations
    /// are read and locked, the plan says what becomes of them, and the writes carry it out.
    static func cancel(
        _ id: UUID, physician: UUID, reason: CancellationReason, on day: CalendarDate, _ c: CommandContext
    ) throws -> (filingsEnded: Int, studiosClosed: Int) {
        let remaining = try c.connection.query(
            """
            SELECT id, applied_on, is_home FROM registration
            WHERE physician = \(physician) AND id <> \(id) AND status NOT IN ('cancelled', 'rejected') ORDER BY id FOR UPDATE
            """
        ).map { row in
            CancellationPlan.Remaining(
                id: try row.decode(0, as: UUID.self).text, appliedOn: try row.decode(1, as: CalendarDate.self),
                isHome: try row.decode(2, as: Bool.self))
        }
        let plan = CancellationPlan(reason: reason, on: day, remaining: remaining)
        try c.connection.execute(
            """
            UPDATE registration SET status = 'cancelled', cancelled_on = \(plan.day), cancel_reason = \(plan.reason.rawValue),
                   leave_since = NULL, is_home = false
            WHERE id = \(id)
            """)
        let ended = try FilingStore.endAll(registration: id, on: plan.day, reason: "registration-cancelled", c)
        let closed = try StudioStore.closeAll(registration: id, on: plan.day, reason: "registration-cancelled", c)
        if let home = plan.newHome.flatMap(UUID.init(uuidString:)) {
            try c.connection.execute("UPDATE registration SET is_home = true WHERE id = \(home)")
        }
        c.touch(id, physician)
        return (ended, closed)
    }
}

extension Arguments {
    static func listJSON(_ l: [String]) -> String { "[" + l.map(JSONText.quote).joined(separator: ", ") + "]" }
}
