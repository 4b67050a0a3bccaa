import Foundation

/// A unified social credit code (统一社会信用代码, GB 32100-2015, R-02).
///
/// Length, alphabet, the registration authority and type (characters 1–2) and the
/// form of the region part are enforced here; `checkCharacterValid` says whether
/// character 18 is what the first 17 give. A failed check is refused by the command
/// (`institution.uscc-check`) unless the recorder accepts it with a reason, since
/// some early codes fail it and are still legal.
public struct CreditCode: Hashable, Sendable, CustomStringConvertible {
    public let value: String
    /// False when character 18 is not what the first 17 give: warn, do not refuse.
    public let checkCharacterValid: Bool

    /// GB 32100-2015 table 1 and 2: each registration authority (character 1) and its organisation
    /// types (character 2). 1 机构编制, 2 外交, 3 司法行政, 4 文化, 5 民政, 6 旅游, 7 宗教, 8 工会,
    /// 9 市场监管(工商), A 中央军委改革和编制办公室, N 农业, Y 其他. Hospitals are mostly 12 (事业单位),
    /// 52 (民办非企业单位), 91 (企业) and 92 (个体工商户).
    public static let types: [Character: Set<Character>] = [
        "1": ["1", "2", "3", "9"], "2": ["1", "9"], "3": ["1", "2", "3", "4", "5", "9"], "4": ["1", "9"],
        "5": ["1", "2", "3", "9"], "6": ["1", "2", "9"], "7": ["1", "2", "9"], "8": ["1", "9"],
        "9": ["1", "2", "3"], "A": ["1", "9"], "N": ["1", "2", "3", "9"], "Y": ["1"]
    ]

    static let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
    static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    public enum Problem: Error, Equatable, Sendable {
        case length(Int)
        case character(position: Int, Character)
        case region(String)
        case authority(Character)
        case type(authority: Character, Character)
        /// A spreadsheet's number (`9.13301E+17`): an all-digit code typed into a number cell.
        case spreadsheetNumber(String)

        public var explanation: String {
            switch self {
            case .spreadsheetNumber(let s):
                return
                    "\(s) is how a spreadsheet shows a long number, and its last digits are lost: format the column as text (设置为文本格式) and type the code again"
            case .length(let n): return "it has \(n) characters; a unified social credit code has 18"
            case .character(let p, let c):
                return "character \(p) is '\(c)'; codes use only 0-9 and the capitals A-Y without I, O, S, V and Z"
            case .region(let r): return "characters 3–8 (\(r)) are not a region code (6 digits)"
            case .authority(let a):
                return
                    "character 1 is '\(a)', which is no registration authority; it is 1 (机构编制), 5 (民政), 9 (市场监管) or another of GB 32100-2015 (2, 3, 4, 6, 7, 8, A, N, Y)"
            case .type(let a, let t):
                return
                    "character 2 is '\(t)', which is no type of organisation registered by authority '\(a)' (it takes \(String((CreditCode.types[a] ?? []).sorted())))"
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
            if ResidentID.looksLikeSpreadsheetNumber(trimmed) { throw .spreadsheetNumber(trimmed) }
            // Counted in Unicode scalars, not Characters: "\r\n" is one Character of two ASCII bytes
            // (a fuzz find: 18 Characters, 19 bytes, none of them non-ASCII, and a crash).
            let scalars = Array(trimmed.unicodeScalars)
            guard scalars.count == 18, let bad = scalars.firstIndex(where: { !$0.isASCII }) else {
                throw .length(scalars.count)
            }
            throw .character(position: bad + 1, Character(scalars[bad]))
        }
        var values: [Int] = []
        values.reserveCapacity(18)
        for i in 0..<18 {
            let v = CreditCode.byteValues[Int(bytes[i])]
            guard v >= 0 else { throw .character(position: i + 1, Character(Unicode.Scalar(bytes[i]))) }
            values.append(v)
            if bytes[i] >= 0x61 { bytes[i] -= 0x20 }  // upper case
        }
        let authority = Character(Unicode.Scalar(bytes[0])), type = Character(Unicode.Scalar(bytes[1]))
        guard let types = CreditCode.types[authority] else { throw .authority(authority) }
        guard types.contains(type) else { throw .type(authority: authority, type) }
        guard bytes[2..<8].allSatisfy({ (0x30...0x39).contains($0) }) else {
            throw .region(String(decoding: bytes[2..<8], as: UTF8.self))
        }
        value = String(decoding: bytes, as: UTF8.self)
        checkCharacterValid =
            CreditCode.checkCharacter(forValues: Array(values.prefix(17))) == CreditCode.alphabet[values[17]]
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
