/// A refusal by a rule: the stable code of CLI.md, the rule id of DOMAIN.md,
/// and a message saying what was wrong and what to do.
public struct RuleViolation: Error, Equatable, Sendable, CustomStringConvertible {
    public let code: String
    public let rule: String?
    public let message: String
    /// The value the refusal is about (`from`, `institution`), named as the domain names it: each front end
    /// shows it its own way (`--from` on the command line, 开始日期 in an import's errors report, the JSON key
    /// in exec). The message itself names no flag.
    public let field: String?

    public init(_ code: String, rule: String?, field: String? = nil, _ message: String) {
        self.code = code
        self.rule = rule
        self.field = field
        self.message = message
    }

    public var description: String { "error[\(code)]: \(message)" }
}

/// A value as an error message quotes it: at most 40 characters, control characters escaped, in
/// quotes. An error never echoes a megabyte back, nor a terminal escape sequence.
public enum Quoted {
    public static func value(_ value: String) -> String {
        var out = ""
        for (i, ch) in value.enumerated() {
            if i == 40 {
                out += "…(\(value.count) characters)"
                break
            }
            for scalar in String(ch).unicodeScalars {
                if scalar.properties.generalCategory == .control || scalar == "\u{2028}" || scalar == "\u{2029}" {
                    out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return "'" + out + "'"
    }
}
