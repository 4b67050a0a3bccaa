import Dates
import Foundation
import Registration

/// Resolving what import rows name, for a chunk at once: physicians by resident ID number, institutions
/// by id or credit code, with the refusals the commands give for a name that finds nothing.
struct ChunkPeople {
    var physicians: [String: PhysicianRecord] = [:]
    var institutions: [String: InstitutionRecord] = [:]
    var registrations: [UUID: [RegistrationRecord]] = [:]

    /// Reads the physicians (locked when `lock`), institutions and the physicians' registrations of `rows`.
    init(_ store: Store, idNumbers: [String], institutions refs: [String], lock: Bool) throws {
        for p in try store.physicians(idNumbers: Array(Set(idNumbers)), lock: lock) { physicians[p.idNumber] = p }
        let keys = refs.map(\.trimmedASCIIWhitespace)
        let ids = keys.compactMap(UUID.init(uuidString:))
        let usccs = keys.filter { UUID(uuidString: $0) == nil }.compactMap { try? CreditCode($0).value }
        for i in try store.institutions(ids: Array(Set(ids)), usccs: Array(Set(usccs))) {
            institutions[i.uscc] = i
            institutions[i.id.text] = i
        }
        registrations = Dictionary(
            grouping: try store.registrations(ofPhysicians: physicians.values.map(\.id)), by: \.physician)
    }

    /// The physician a row names (its ID number checked for form first), as `Store.physician` finds one.
    func physician(_ ref: String, today: CalendarDate) throws -> PhysicianRecord {
        let number = try Store.residentID(ref.trimmedASCIIWhitespace, field: "physician", today: today)
        guard let p = physicians[number] else { throw Store.physicianNotFound(ref) }
        return p
    }

    /// The institution a row names, as `Store.institution` finds one.
    func institution(_ ref: String) throws -> InstitutionRecord {
        let key = ref.trimmedASCIIWhitespace
        if let id = UUID(uuidString: key) {
            guard let found = institutions[id.text] else { throw Store.institutionNotFound(ref) }
            return found
        }
        guard let found = institutions[try Store.creditCode(key, field: "institution")] else {
            throw Store.institutionNotFound(ref)
        }
        return found
    }
}

extension ChunkPeople {
    /// A leave accepted earlier in the chunk, as the rules see it for the rows after.
    mutating func markOnLeave(_ registration: UUID, of physician: UUID, since day: CalendarDate) {
        guard var regs = registrations[physician], let i = regs.firstIndex(where: { $0.id == registration }) else {
            return
        }
        var f = regs[i].facts
        f.status = .onLeave
        f.leaveSince = day
        let r = regs[i]
        regs[i] = RegistrationRecord(
            id: r.id, physician: r.physician, institution: r.institution, appliedOn: r.appliedOn, category: r.category,
            institutionOwnership: r.institutionOwnership, facts: f)
        registrations[physician] = regs
    }
}
