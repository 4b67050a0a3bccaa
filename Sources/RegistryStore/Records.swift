import Dates
import Foundation
import Postgres
import Registration

/// An institution as stored, with the facts the rules take.
public struct InstitutionRecord: Sendable {
    public let id: UUID
    public let uscc: String
    public let facts: InstitutionFacts
}

/// A physician as stored, with the facts the rules take.
public struct PhysicianRecord: Sendable {
    public let id: UUID
    public let idNumber: String
    public let name: String
    public let birthDate: CalendarDate
    public let certificateNo: String?
    public let facts: PhysicianFacts
}

/// A registration as stored, with the facts the rules take.
public struct RegistrationRecord: Sendable {
    public let id: UUID
    public let physician: UUID
    /// Its primary institution (`facts.institution` as an id).
    public let institution: UUID
    public let appliedOn: CalendarDate
    /// The registration's category (the physician's) and its primary institution's ownership: what a filing records of it.
    public let category: String
    public let institutionOwnership: String
    public let facts: RegistrationFacts

    public init(
        id: UUID, physician: UUID, institution: UUID, appliedOn: CalendarDate, category: String,
        institutionOwnership: String, facts: RegistrationFacts
    ) {
        self.id = id
        self.physician = physician
        self.institution = institution
        self.appliedOn = appliedOn
        self.category = category
        self.institutionOwnership = institutionOwnership
        self.facts = facts
    }
}

/// Loading the facts rules need, and resolving what users type (ids or natural keys) to records.
extension Store {
    /// R-60, decided by `CreditRules.isBlacklisted`: the subject's blacklist records, loaded.
    public func blacklisted(_ subject: UUID) throws -> Bool {
        CreditRules.isBlacklisted(try creditRecords(subject, kind: .blacklist), on: today)
    }

    /// A subject's credit records (of one kind when given), as the rules see them.
    public func creditRecords(_ subject: UUID, kind: CreditKind? = nil) throws
        -> [CreditFacts]
    {
        try connection.query(
            """
            SELECT kind, decided_on, until, lifted_on FROM regctl_credit(ARRAY[\(subject)]::uuid[], \(kind)::text)
            """
        ).map { row in
            CreditFacts(
                kind: try row.decode(0, as: CreditKind.self), decidedOn: try row.decode(1, as: CalendarDate.self),
                until: try row.decode(2, as: CalendarDate?.self), liftedOn: try row.decode(3, as: CalendarDate?.self))
        }
    }

    /// A person named by natural key: the key must be a valid resident ID number.
    public static func residentID(_ key: String, field: String, today: CalendarDate) throws -> String {
        do {
            return try ResidentID(key, today: today).value
        } catch {
            throw RegctlError(
                "input.id-number",
                "\(Quoted.value(quotedPersonKey(key))) is neither an id nor a valid resident ID number: \(error.explanation)",
                status: .usage, field: field)
        }
    }

    /// The shortest beginning of an id that names a record (`3fa8b2c1`, as a list's first column starts).
    public static let idPrefixLength = 8

    /// The ids that begin with `prefix` (8 to 32 hex digits, dashes where a UUID has them or none), as the
    /// first and last such UUID: a range the primary key's index reads. Nil when it is no such beginning.
    public static func idRange(prefix text: String) -> (low: UUID, high: UUID)? {
        let hex = text.lowercased().filter { $0 != "-" }
        guard (idPrefixLength...32).contains(hex.count), hex.allSatisfy(\.isHexDigit), hex.allSatisfy(\.isASCII)
        else { return nil }
        func uuid(_ fill: Character) -> UUID? {
            let d = Array(hex + String(repeating: fill, count: 32 - hex.count))
            let groups = [d[0..<8], d[8..<12], d[12..<16], d[16..<20], d[20..<32]].map { String($0) }
            return UUID(uuidString: groups.joined(separator: "-"))
        }
        guard let low = uuid("0"), let high = uuid("f") else { return nil }
        return (low, high)
    }

    /// A record of `table` named by its id or by a beginning of it (8 characters or more, as lists print
    /// ids): the one record the reader can see whose id begins so. None is `not-found`; several are
    /// `input.id`, asking for more characters. Row-level security bounds the search: a prefix never tells
    /// of records outside the reader's scope.
    public func recordID(
        _ ref: String, in table: RecordTable, of what: String, field: String? = nil, printedBy: String
    ) throws -> UUID {
        let key = ref.trimmedASCIIWhitespace
        if let id = UUID(uuidString: key) { return id }
        guard let range = Store.idRange(prefix: key) else {
            throw RegctlError(
                "input.id",
                "\(Quoted.value(ref)) is not a \(what) id: give its id (as printed by \(printedBy)) or its first \(Store.idPrefixLength) characters or more",
                status: .usage, field: field)
        }
        let found = try connection.query(
            """
            SELECT id FROM \(identifier: table.rawValue) WHERE id BETWEEN \(range.low) AND \(range.high)
            ORDER BY id LIMIT 2
            """
        ).map { try $0.decode(0, as: UUID.self) }
        switch found.count {
        case 1: return found[0]
        case 0: throw Store.notFound(what, ref, hint: "list them with \(printedBy)")
        default:
            throw RegctlError(
                "input.id",
                "\(Quoted.value(ref)) begins the ids of several \(what) records (\(found[0].text.prefix(13))…, \(found[1].text.prefix(13))…): give more of the id",
                status: .usage, field: field)
        }
    }

    /// A person (physician or nurse) named by id or resident ID number (lower-case x accepted): what to look
    /// up, one list of the two empty. A number that is no valid one is `input.id-number`.
    func personKey(_ ref: String, in table: RecordTable, field: String) throws -> (
        ids: [UUID], numbers: [String]
    ) {
        let key = ref.trimmedASCIIWhitespace
        if let id = UUID(uuidString: key) { return ([id], []) }
        // Digits, 15 or more (an X may end them): an ID number, even a mistyped one. Otherwise, shorter than
        // an ID number, perhaps the beginning of an id.
        let digits = key.count >= 15 && key.dropLast().allSatisfy { $0.isASCII && $0.isNumber }
        if !digits, key.count < 18, Store.idRange(prefix: key) != nil {
            return (
                [
                    try recordID(
                        key, in: table, of: table.rawValue, field: field, printedBy: "regctl \(table.rawValue) list")
                ], []
            )
        }
        return ([], [try Store.residentID(key, field: field, today: today)])
    }

    /// A person's key as a message quotes it back: an id as given, a number by `ResidentID.quotedBack`.
    static func quotedPersonKey(_ ref: String) -> String {
        let key = ref.trimmedASCIIWhitespace
        return UUID(uuidString: key) == nil ? ResidentID.quotedBack(key) : key
    }

    /// An institution named by natural key: the key must be a unified social credit code.
    public static func creditCode(_ key: String, field: String) throws -> String {
        do {
            return try CreditCode(key).value
        } catch {
            throw RegctlError(
                "input.uscc",
                "\(Quoted.value(key)) is neither an id nor a valid unified social credit code: \(error.explanation)",
                status: .usage, field: field)
        }
    }

    public static func notFound(_ what: String, _ ref: String, hint: String) -> RegctlError {
        RegctlError("not-found", "no \(what) \(Quoted.value(ref)); \(hint)")
    }

    /// Locks records before the rules decide on them (two registrars, two imports at once), through
    /// `regctl_lock`, whoever acts: the lock is not a permission, what is written next is checked.
    public func lock(_ what: String, _ ids: [UUID]) throws {
        guard !ids.isEmpty, actor.role != .analyst else { return }
        try connection.query("SELECT regctl_lock(\(what), \(ids)::uuid[])")
    }

    /// A record read by `read` (one query, by id or natural key), locked first when `lock`. By id the
    /// lock comes first and one read sees the locked row; by key the row is found, locked, read again
    /// with the same query (so a key's answer, such as a given ID number in full, stays the same).
    func readLocked(_ what: String, byID: UUID?, lock: Bool, _ read: () throws -> Row?)
        throws -> Row?
    {
        if lock, let byID { try self.lock(what, [byID]) }
        guard let row = try read() else { return nil }
        guard lock, byID == nil else { return row }
        try self.lock(what, [try row.decode("id", as: UUID.self)])
        return try read() ?? row
    }

    // MARK: institutions

    /// By id (UUID, or its first 8 characters or more) or unified social credit code.
    public func institution(_ ref: String, lock: Bool = false) throws -> InstitutionRecord {
        let key = ref.trimmedASCIIWhitespace
        // Under 18 characters: no credit code, perhaps the beginning of an id.
        let byID =
            key.count < 18 && Store.idRange(prefix: key) != nil
            ? try recordID(
                key, in: .institution, of: "institution", field: "institution", printedBy: "regctl institution list")
            : UUID(uuidString: key)
        let usccs = byID == nil ? [try Store.creditCode(key, field: "institution")] : []
        let ids = byID.map { [$0] } ?? []
        guard
            let row = try readLocked(
                "institution", byID: byID, lock: lock,
                {
                    try connection.query(
                        "SELECT \(Store.institutionColumns) FROM regctl_institutions(\(ids)::uuid[], \(usccs)::text[]) i"
                    ).first
                })
        else {
            throw Store.institutionNotFound(ref)
        }
        return try Store.institutionRecord(row, blacklisted: try blacklisted(try row.decode("id", as: UUID.self)))
    }

    public static func institutionNotFound(_ ref: String) -> RegctlError {
        Store.notFound(
            "institution", ref,
            hint: "give its id or its 18-character unified social credit code (regctl institution list)")
    }

    static let institutionColumns: SQL =
        "i.id, i.uscc::text, i.name, i.region::text, i.category, i.ownership, i.status"

    static func institutionRecord(_ row: Row, blacklisted: Bool) throws -> InstitutionRecord {
        let id = try row.decode("id", as: UUID.self)
        return InstitutionRecord(
            id: id, uscc: try row.decode("uscc", as: String.self),
            facts: InstitutionFacts(
                id: id, name: try row.decode("name", as: String.self),
                county: try row.decode("region", as: RegionCode.self),
                category: try row.decode("category", as: InstitutionCategory.self),
                ownership: try row.decode("ownership", as: Ownership.self),
                status: try row.decode("status", as: InstitutionStatus.self),
                blacklisted: blacklisted))
    }

    // MARK: physicians

    /// By id (UUID, or its first 8 characters or more) or resident ID number (lower-case x accepted).
    public func physician(_ ref: String, lock: Bool = false) throws -> PhysicianRecord {
        let (ids, numbers) = try personKey(ref, in: .physician, field: "physician")
        guard
            let row = try readLocked(
                "physician", byID: ids.first, lock: lock,
                {
                    try connection.query(
                        "SELECT \(Store.physicianColumns) FROM regctl_physicians(\(ids)::uuid[], \(numbers)::text[]) p"
                    ).first
                })
        else {
            throw Store.physicianNotFound(ref)
        }
        return try Store.physicianRecord(row, blacklisted: try blacklisted(try row.decode("id", as: UUID.self)))
    }

    public static func physicianNotFound(_ ref: String) -> RegctlError {
        Store.notFound(
            "physician", quotedPersonKey(ref),
            hint: "give the physician's id or 18-character resident ID number (regctl physician list)")
    }

    /// R-72 for reading a person: outside the reader's scope (the row-level policy on `physician` or
    /// `nurse`, which the application role of the reader's kind is bound by) the person is not found,
    /// with the very answer a number nobody holds gets, except for those `Access.findsAnyone` allows.
    public func requireInScope(_ table: String, _ id: UUID, else failure: RegctlError) throws {
        guard !Access.findsAnyone(actor) else { return }
        let visible: SQL =
            table == "nurse" ? "SELECT 1 FROM nurse WHERE id = \(id)" : "SELECT 1 FROM physician WHERE id = \(id)"
        guard try connection.query(visible).count == 1 else { throw failure }
    }

    /// A physician named to read about (a show, a list's filter): found as every command finds one, then,
    /// outside the reader's scope, not found: the one door by which shows and lists take a person.
    public func physicianToRead(_ ref: String) throws -> PhysicianRecord {
        let p = try physician(ref)
        try requireInScope("physician", p.id, else: Store.physicianNotFound(ref))
        return p
    }

    /// Columns of `regctl_physicians`: the ID number is the one the caller gave, else masked.
    static let physicianColumns: SQL =
        "p.id, p.id_number, p.name, p.birth_date, p.certificate_no, p.level, p.category, p.status"

    static func physicianRecord(_ row: Row, blacklisted: Bool) throws -> PhysicianRecord {
        let id = try row.decode("id", as: UUID.self)
        return PhysicianRecord(
            id: id, idNumber: try row.decode("id_number", as: String.self),
            name: try row.decode("name", as: String.self),
            birthDate: try row.decode("birth_date", as: CalendarDate.self),
            certificateNo: try row.decode("certificate_no", as: String?.self),
            facts: PhysicianFacts(
                id: id,
                level: try row.decode("level", as: PhysicianLevel.self),
                category: try row.decode("category", as: PracticeCategory.self),
                status: try row.decode("status", as: PersonStatus.self),
                blacklisted: blacklisted))
    }

    // MARK: registrations

    /// A physician's registrations (or some by id) with their institutions' facts, in every region: the rules
    /// need them whoever acts, so they come from `regctl_registrations`.
    static func registrationFacts(physicians: [UUID], ids: [UUID] = []) -> SQL {
        "SELECT * FROM regctl_registrations(\(physicians)::uuid[], \(ids)::uuid[])"
    }

    static func registrationRecord(_ row: Row) throws -> RegistrationRecord {
        let id = try row.decode("id", as: UUID.self)
        let institution = try row.decode("institution", as: UUID.self)
        return RegistrationRecord(
            id: id, physician: try row.decode("physician", as: UUID.self), institution: institution,
            appliedOn: try row.decode("applied_on", as: CalendarDate.self),
            category: try row.decode("category", as: String.self),
            institutionOwnership: try row.decode("institution_ownership", as: String.self),
            facts: RegistrationFacts(
                id: id, region: try row.decode("region", as: RegionCode.self),
                institution: institution,
                institutionCounty: try row.decode("institution_county", as: RegionCode.self),
                institutionCategory: try row.decode("institution_category", as: InstitutionCategory.self),
                status: try row.decode("status", as: RegistrationStatus.self),
                scopes: try row.decode("scopes", as: [String].self), isHome: try row.decode("is_home", as: Bool.self),
                effectiveOn: try row.decode("effective_on", as: CalendarDate?.self),
                leaveSince: try row.decode("leave_since", as: CalendarDate?.self),
                cancelledOn: try row.decode("cancelled_on", as: CalendarDate?.self),
                cancelReason: try row.decode("cancel_reason", as: String?.self).flatMap(
                    CancellationReason.init(rawValue:))))
    }

    /// One registration by id, locked for the rest of the transaction when `lock` (two registrars acting at once).
    public func registration(_ ref: String, lock: Bool = false) throws -> RegistrationRecord {
        let id = try recordID(
            ref, in: .registration, of: "registration", printedBy: "registration apply or registration list")
        if lock { try self.lock("registration", [id]) }
        guard let row = try connection.query(Store.registrationFacts(physicians: [], ids: [id])).first else {
            throw Store.notFound(
                "registration", ref, hint: "list registrations with regctl registration list --physician P")
        }
        return try Store.registrationRecord(row)
    }

    /// Every registration of a physician (for ).
    public func registrations(ofPhysician physician: UUID) throws -> [RegistrationRecord] {
        try connection.query(Store.registrationFacts(physicians: [physician])).map(Store.registrationRecord)
    }

    // MARK: in bulk (imports)

    /// Physicians by resident ID number, each locked as a command locks the one it acts on, with the
    /// blacklist as of today: the facts of an import's chunk in three statements.
    public func physicians(idNumbers: [String], lock: Bool) throws -> [PhysicianRecord] {
        if lock {
            let found = try connection.query("SELECT id FROM regctl_physicians('{}'::uuid[], \(idNumbers)::text[])")
                .map { try $0.decode(0, as: UUID.self) }
            try self.lock("physician", found)
        }
        let rows = try connection.query(
            "SELECT \(Store.physicianColumns) FROM regctl_physicians('{}'::uuid[], \(idNumbers)::text[]) p")
        let blacklisted = try blacklisted(try rows.map { try $0.decode("id", as: UUID.self) })
        return try rows.map {
            try Store.physicianRecord($0, blacklisted: blacklisted.contains(try $0.decode("id", as: UUID.self)))
        }
    }

    /// Institutions by unified social credit code, with the blacklist as of today.
    public func institutions(usccs: [String]) throws -> [InstitutionRecord] {
        let rows = try connection.query(
            "SELECT \(Store.institutionColumns) FROM regctl_institutions('{}'::uuid[], \(usccs)::text[]) i")
        let blacklisted = try blacklisted(try rows.map { try $0.decode("id", as: UUID.self) })
        return try rows.map {
            try Store.institutionRecord($0, blacklisted: blacklisted.contains(try $0.decode("id", as: UUID.self)))
        }
    }

    /// Which of `subjects` are on the blacklist today (R-60, `CreditRules.isBlacklisted`), in one statement.
    public func blacklisted(_ subjects: [UUID]) throws -> Set<UUID> {
        guard !subjects.isEmpty else { return [] }
        var records: [UUID: [CreditFacts]] = [:]
        for row in try connection.query(
            "SELECT subject, decided_on, until, lifted_on FROM regctl_credit(\(subjects)::uuid[], 'blacklist')")
        {
            records[try row.decode(0, as: UUID.self), default: []].append(
                CreditFacts(
                    kind: .blacklist, decidedOn: try row.decode(1, as: CalendarDate.self),
                    until: try row.decode(2, as: CalendarDate?.self),
                    liftedOn: try row.decode(3, as: CalendarDate?.self)))
        }
        return Set(records.filter { CreditRules.isBlacklisted($0.value, on: today) }.keys)
    }

    /// The registrations of many physicians, as `registrations(ofPhysician:)` gives one's.
    public func registrations(ofPhysicians physicians: [UUID]) throws -> [RegistrationRecord] {
        try connection.query(Store.registrationFacts(physicians: physicians)).map(Store.registrationRecord)
    }

    // MARK: calendar and policy

    /// the loaded holidays and adjusted working days.
    public func workingCalendar() throws -> WorkingCalendar {
        var calendar = WorkingCalendar()
        for row in try connection.query("SELECT day, kind FROM holiday_calendar") {
            let day = try row.decode(0, as: CalendarDate.self)
            if try row.decode(1, as: String.self) == "holiday" {
                calendar.holidays.insert(day)
            } else {
                calendar.workdays.insert(day)
            }
        }
        return calendar
    }

    /// the province's cap on active filings, nil for none.
    public func maxActiveFilings(province: RegionCode) throws -> Int? {
        try connection.query("SELECT max_active_filings FROM policy WHERE province = \(province.value)").first?
            .decode(0, as: Int?.self)
    }

    /// every province's cap on active filings (nil for none), for an import's whole run.
    public func maxActiveFilingsByProvince() throws -> [RegionCode: Int?] {
        var caps: [RegionCode: Int?] = [:]
        for row in try connection.query("SELECT province, max_active_filings FROM policy") {
            caps[try row.decode(0, as: RegionCode.self)] = try row.decode(1, as: Int?.self)
        }
        return caps
    }

    /// True when `error` is the connection lost (an import stops rather than rejecting every later row).
    public static func isConnectionFailure(_ error: Error) -> Bool {
        (error as? PostgresError)?.isConnectionFailure ?? false
    }

    /// the code must be in the region table.
    public func requireRegion(_ code: RegionCode, field: String) throws -> RegionLevel {
        guard let level = try regionLevels([code.value])[code.value] else {
            throw Store.noSuchRegion(code.value, field: field)
        }
        return level
    }

    /// The refusal of a code the region table does not hold.
    public static func noSuchRegion(_ code: String, field: String) -> RegctlError {
        RegctlError(
            "input.region", "no region has code \(code); codes are GB/T 2260 6-digit codes (regctl region list)",
            rule: "R-03", field: field)
    }

    /// The codes the region table holds, with their level and whether regions lie below them.
    public func regionLevels(_ codes: [String]) throws -> [String: RegionLevel] {
        var levels: [String: RegionLevel] = [:]
        for row in try connection.query(
            """
            SELECT r.code, r.level, EXISTS (SELECT 1 FROM region ch WHERE ch.parent = r.code) FROM region r
            WHERE r.code = ANY(\(Array(Set(codes)))::bpchar[])
            """)
        {
            levels[try row.decode(0, as: String.self)] = RegionLevel(
                level: try row.decode(1, as: String.self), hasChildren: try row.decode(2, as: Bool.self))
        }
        return levels
    }
}

/// A region's level (province, prefecture, county) and whether regions lie below it.
public struct RegionLevel: Sendable {
    public let level: String
    public let hasChildren: Bool
}

/// The tables whose records a command names by id: a fixed list, so that the table's name in a query is
/// never a user's text.
public enum RecordTable: String, Sendable {
    case physician, nurse, institution, registration, filing, studio, pilot
    case nurseRegistration = "nurse_registration"
    case creditRecord = "credit_record"
}
