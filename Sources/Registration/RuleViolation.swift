/// A refusal by a rule: the stable code of CLI.md, the rule id of DOMAIN.md,
/// and a message saying what was wrong and what to do.
public struct RuleViolation: Error, Equatable, Sendable, CustomStringConvertible {
    public let code: String
    public let rule: String?
    public let message: String

    public init(_ code: String, rule: String?, _ message: String) {
        self.code = code
        self.rule = rule
        self.message = message
    }

    public var description: String { "error[\(code)]: \(message)" }
}
