import Postgres
import Registration

// The domain's values decode themselves from a column (the domain module knows no SQL, so its
// conformances live here): an enum from its raw text, a region from its code. A value the type does not
// know is a decoding error naming the column (exit 70, an event `failed`), never a crash.
extension InstitutionCategory: PostgresDecodable {}
extension Ownership: PostgresDecodable {}
extension InstitutionStatus: PostgresDecodable {}
extension RegistrationStatus: PostgresDecodable {}
extension PracticeCategory: PostgresDecodable {}
extension PhysicianLevel: PostgresDecodable {}
extension PersonStatus: PostgresDecodable {}
extension StaffRole: PostgresDecodable {}
extension CreditKind: PostgresDecodable {}
extension NurseRegistrationStatus: PostgresDecodable {}

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
