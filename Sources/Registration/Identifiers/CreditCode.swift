import Foundation

/// A unified social credit code (统一社会信用代码, GB 32100-2015, R-02).
///
/// Length, alphabet and the region part are enforced; a failed check character
/// is only a warning (`checkCharacterValid == false`), since some early codes fail
/// it and are still legal.
public struct CreditCode: Hashable, Sendable, CustomStringConvertible {
    public let value: String
    /// False when character 18 is not what the first 17 give: warn, do not refuse.
    public let checkCharacterValid: Bool

    static let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
    static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    public enum Problem: Error, Equatable, Sendable {
        case length(Int)
        case character(position: Int, Character)
        case region(String)

        public var explanation: String {
            switch self {
            case .length(let n): return "it has \(n) characters; a unified social credit code has 18"
            case .character(let p, let c): return "character \(p) is '\(c)'; codes use only 0-9 and the capitals A-Y without I, O, S, V and Z"
            case .region(let r): return "characters 3–8 (\(r)) are not a region code (6 digits)"
            }
        }
    }

    /// Each ASCII byte's value in the code's alphabet (lower case folded), -1 when not in it.
    static let byteValues: [Int] = (0..<128).map { b in
        let c = Character(Unicode.Scalar(UInt8(b))).uppercased().first!
        return alphabet.firstIndex(of: c) ?? -1
    }

    public init(_ text: String) throws(Problem) {
        let trimmed = text.trimmedASCIIWhitespace
        var bytes = Array(trimmed.utf8)
        guard bytes.count == 18, bytes.allSatisfy({ $0 < 0x80 }) else {
            let chars = Array(trimmed)
            guard chars.count == 18 else { throw .length(chars.count) }
            let bad = chars.firstIndex { !$0.isASCII }!
            throw .character(position: bad + 1, chars[bad])
        }
        var values: [Int] = []
        values.reserveCapacity(18)
        for i in 0..<18 {
            let v = CreditCode.byteValues[Int(bytes[i])]
            guard v >= 0 else { throw .character(position: i + 1, Character(Unicode.Scalar(bytes[i]))) }
            values.append(v)
            if bytes[i] >= 0x61 { bytes[i] -= 0x20 } // upper case
        }
        guard bytes[2..<8].allSatisfy({ (0x30...0x39).contains($0) }) else { throw .region(String(decoding: bytes[2..<8], as: UTF8.self)) }
        value = String(decoding: bytes, as: UTF8.self)
        checkCharacterValid = CreditCode.checkCharacter(forValues: Array(values.prefix(17))) == CreditCode.alphabet[values[17]]
    }

    /// The region part (characters 3–8).
    public var region: String { String(Array(value)[2..<8]) }

    static func checkCharacter(forValues v: [Int]) -> Character {
        let sum = zip(v, weights).reduce(0) { $0 + $1.0 * $1.1 }
        let c = 31 - sum % 31
        return alphabet[c == 31 ? 0 : c]
    }

    /// The check character for the first 17 characters (for demos and tests).
    public static func checkCharacter(for first17: String) -> Character? {
        let v = first17.compactMap { alphabet.firstIndex(of: $0) }
        return v.count == 17 ? checkCharacter(forValues: v) : nil
    }

    public var description: String { value }
}
