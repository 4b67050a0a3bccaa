import Postgres
import Registration

// The domain's values bind and decode themselves (the domain module knows no SQL, so its conformances
// live here): an enum as its raw text, a region, an ID number, a credit code as their codes. A value
// the type does not know is a decoding error naming the column (exit 70, an event `failed`), never a crash.
extension InstitutionCategory: PostgresDecodable, PostgresEncodable {}
extension Ownership: PostgresDecodable, PostgresEncodable {}
extension InstitutionStatus: PostgresDecodable, PostgresEncodable {}
extension RegistrationStatus: PostgresDecodable, PostgresEncodable {}
extension PracticeCategory: PostgresDecodable, PostgresEncodable {}
extension PhysicianLevel: PostgresDecodable, PostgresEncodable {}
extension PersonStatus: PostgresDecodable, PostgresEncodable {}
extension StaffRole: PostgresDecodable, PostgresEncodable {}
extension CreditKind: PostgresDecodable, PostgresEncodable {}
extension NurseRegistrationStatus: PostgresDecodable, PostgresEncodable {}
extension LeaveReason: PostgresDecodable, PostgresEncodable {}
extension CancellationReason: PostgresDecodable, PostgresEncodable {}

extension RegionCode: PostgresEncodable {
    public static var postgresType: UInt32 { 0 }
    public var postgresText: String { value }
}

extension ResidentID: PostgresEncodable {
    public static var postgresType: UInt32 { 0 }
    public var postgresText: String { value }
}

extension CreditCode: PostgresEncodable {
    public static var postgresType: UInt32 { 0 }
    public var postgresText: String { value }
}

extension RegionCode: PostgresDecodable {
    public static func decode(_ value: PostgresValue) throws -> RegionCode {
        let text = try String.decode(value)
        guard let code = RegionCode(text) else {
            throw PostgresError(
                kind: .decoding, message: "column \(value.column) holds '\(text.prefix(40))', which is no region code")
        }
        return code
    }
}
