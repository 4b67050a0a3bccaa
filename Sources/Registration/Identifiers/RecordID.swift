import Foundation

extension UUID {
    /// A record's id as PostgreSQL prints it and users type it: lower-case.
    public var text: String { uuidString.lowercased() }
}
