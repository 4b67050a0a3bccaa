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

/// A value as an error message quotes it: at most 40 characters, in quotes, so that an error never
/// echoes a megabyte back. Control characters are the printer's business: the CLI escapes every line it
/// writes to a terminal (`TerminalWidth.visible`), JSON escapes them, HTML has no use for them.
public enum Quoted {
    public static func value(_ value: String) -> String {
        guard value.utf8.count > 40, value.count > 40 else { return "'" + value + "'" }
        return "'" + String(value.prefix(40)) + "…(\(value.count) characters)'"
    }
}
