import Foundation

import Dates

/// A resident identity number (GB 11643, R-01): 17 digits and a check character.
/// One that exists is valid; lower-case `x` is stored as `X`.
public struct ResidentID: Hashable, Sendable, CustomStringConvertible {
    /// The 18 characters, check character upper-case.
    public let value: String

    /// Why a number is not a resident ID.
    public enum Problem: Error, Equatable, Sendable {
        case length(Int)
        case character(position: Int, Character)
        case birthDate(String)
        case futureBirthDate(String)
        case checkDigit(expected: Character, found: Character)
        /// A spreadsheet's number (`4.40106E+17`): the cell was a number, and its last digits are lost.
        case spreadsheetNumber(String)

        public var explanation: String {
            switch self {
            case .spreadsheetNumber(let s):
                return
                    "\(s) is how a spreadsheet shows a long number, and its last digits are lost: format the column as text (设置为文本格式) and type the number again"
            case .length(let n):
                return "it has \(n) characters; a resident ID number has 18 (17 digits and a check digit or X)"
            case .character(let p, let c):
                return "character \(p) is '\(c)'; the first 17 must be digits and the 18th a digit or X"
            case .birthDate(let d): return "characters 7–14 (\(d)) are not a real date of birth (YYYYMMDD)"
            case .futureBirthDate(let d): return "characters 7–14 give a date of birth in the future (\(d))"
            case .checkDigit(let e, let f):
                return
                    "the check digit is '\(f)' but the first 17 digits give '\(e)'; check the number for a typing error"
            }
        }
    }

    /// `4.40106E+17`, `3.3010619750312E+17`: digits, a point, E and an exponent.
    static func looksLikeSpreadsheetNumber(_ s: String) -> Bool {
        let parts = s.uppercased().split(separator: "E", omittingEmptySubsequences: false)
        guard parts.count == 2, let exponent = Int(parts[1]), exponent > 0 else { return false }
        return !parts[0].isEmpty && parts[0].allSatisfy { $0.isASCII && ($0.isNumber || $0 == ".") }
    }

    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    static let checkCharacters: [Character] = ["1", "0", "X", "9", "8", "7", "6", "5", "4", "3", "2"]

    /// Validates `text`; `today` bounds the birth date.
    public init(_ text: String, today: CalendarDate) throws(Problem) {
        let trimmed = text.trimmedASCIIWhitespace
        var bytes = Array(trimmed.utf8)
        guard bytes.count == 18, bytes.allSatisfy({ $0 < 0x80 }) else {
            if Self.looksLikeSpreadsheetNumber(trimmed) { throw .spreadsheetNumber(trimmed) }
            // Not 18 ASCII characters: say which, in characters (the slow path, for errors only).
            // Counted in Unicode scalars, not Characters: "\r\n" is one Character of two ASCII bytes
            // (a fuzz find: 18 Characters, 19 bytes, none of them non-ASCII, and a crash).
            let scalars = Array(trimmed.unicodeScalars)
            guard scalars.count == 18, let bad = scalars.firstIndex(where: { !$0.isASCII }) else {
                throw .length(scalars.count)
            }
            throw .character(position: bad + 1, Character(scalars[bad]))
        }
        for i in 0..<18 {
            let b = bytes[i]
            let ok = (0x30...0x39).contains(b) || (i == 17 && (b == 0x58 || b == 0x78))
            if !ok { throw .character(position: i + 1, Character(Unicode.Scalar(b))) }
        }
        func number(_ r: Range<Int>) -> Int { r.reduce(0) { $0 * 10 + Int(bytes[$1] - 0x30) } }
        let y = number(6..<10), m = number(10..<12), d = number(12..<14)
        guard y >= 1900, let birth = CalendarDate(year: y, month: m, day: d) else {
            throw .birthDate(String(decoding: bytes[6..<14], as: UTF8.self))
        }
        guard birth <= today else { throw .futureBirthDate(birth.description) }
        var sum = 0
        for i in 0..<17 { sum += Int(bytes[i] - 0x30) * ResidentID.weights[i] }
        let expected = ResidentID.checkCharacters[sum % 11]
        if bytes[17] == 0x78 { bytes[17] = 0x58 }
        let found = Character(Unicode.Scalar(bytes[17]))
        guard found == expected else {
            throw .checkDigit(expected: expected, found: Character(Unicode.Scalar(Array(trimmed.utf8)[17])))
        }
        value = String(decoding: bytes, as: UTF8.self)
    }

    /// The code of the region where the number was issued (possibly retired since).
    public var issuingRegion: String { String(value.prefix(6)) }

    public var birthDate: CalendarDate {
        let c = Array(value)
        return CalendarDate(
            year: Int(String(c[6..<10]))!, month: Int(String(c[10..<12]))!, day: Int(String(c[12..<14]))!)!
    }

    /// `M` when the sequence (characters 15–17) is odd, else `F`.
    public var sex: Sex {
        Int(String(Array(value)[16]))! % 2 == 1 ? .male : .female
    }

    /// The form shown to readers with no need for the whole number: first 6 and last 4.
    public var masked: String { ResidentID.mask(value) }

    /// Masks any stored ID number: `330106********123X`.
    ///
    /// The database keeps a deliberate copy for readers in SQL: the generated column `id_number_masked` of
    /// `physician` and `nurse` (0007_app_role.sql), `left(id_number, 6) || '********' || right(id_number, 4)`.
    /// `MaskingTests` holds both (and the event log's masking) to one table of cases.
    /// A number someone typed, as a message says it back: masked when it has a number's 18 characters,
    /// as typed otherwise (no one's number, and the typist needs to see the mistake).
    public static func quotedBack(_ typed: String) -> String {
        let t = typed.trimmedASCIIWhitespace
        return t.count == 18 ? mask(t.uppercased()) : t
    }

    public static func mask(_ value: String) -> String {
        guard value.count == 18 else { return String(repeating: "*", count: value.count) }
        return String(value.prefix(6)) + String(repeating: "*", count: 8) + String(value.suffix(4))
    }

    /// The check character for 17 digits (used to make valid numbers for demos and tests).
    public static func checkCharacter(for first17: String) -> Character {
        let sum = zip(first17, weights).reduce(0) { $0 + Int(String($1.0))! * $1.1 }
        return checkCharacters[sum % 11]
    }

    public var description: String { masked }
}

public enum Sex: String, Sendable, Codable {
    case male = "M"
    case female = "F"
}
