/// A statement with its parameters: built by string interpolation, where every
/// interpolated value becomes `$n` and a bound parameter.
///
/// A plain `String` is not a `SQL`; text that must go in verbatim needs the
/// explicit `SQL(unsafeSQL:)` or `\(unsafeSQL: …)`, and identifiers go through
/// `\(identifier: …)`, escaped by libpq's `PQescapeIdentifier` when sent.
public struct SQL: ExpressibleByStringInterpolation, Sendable {
    enum Fragment: Sendable {
        case text(String)
        case parameter(Int)  // index into `parameters`
        case identifier(String)
    }

    var fragments: [Fragment]
    public private(set) var parameters: [PostgresParameter]

    public init(stringLiteral value: String) {
        fragments = [.text(value)]
        parameters = []
    }

    public init(stringInterpolation: Interpolation) {
        fragments = stringInterpolation.fragments
        parameters = stringInterpolation.parameters
    }

    /// Raw SQL, taken as written. Never build one from user input.
    public init(unsafeSQL text: String) {
        fragments = [.text(text)]
        parameters = []
    }

    public struct Interpolation: StringInterpolationProtocol, Sendable {
        var fragments: [Fragment] = []
        var parameters: [PostgresParameter] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            fragments.reserveCapacity(interpolationCount * 2 + 1)
        }

        public mutating func appendLiteral(_ literal: String) {
            fragments.append(.text(literal))
        }

        /// A value: sent as a bound parameter.
        public mutating func appendInterpolation<T: PostgresEncodable>(_ value: T) {
            parameters.append(value.postgresParameter)
            fragments.append(.parameter(parameters.count - 1))
        }

        /// An optional value: NULL when nil, typed like the wrapped value.
        public mutating func appendInterpolation<T: PostgresEncodable>(_ value: T?) {
            parameters.append(value.postgresParameter)
            fragments.append(.parameter(parameters.count - 1))
        }

        /// An identifier (table, column, role): quoted with `PQescapeIdentifier`.
        public mutating func appendInterpolation(identifier: String) {
            fragments.append(.identifier(identifier))
        }

        /// Raw SQL text, taken as written. Never pass user input.
        public mutating func appendInterpolation(unsafeSQL text: String) {
            fragments.append(.text(text))
        }

        /// Another statement fragment; its parameters are renumbered.
        public mutating func appendInterpolation(_ sql: SQL) {
            let base = parameters.count
            parameters.append(contentsOf: sql.parameters)
            for f in sql.fragments {
                if case .parameter(let i) = f { fragments.append(.parameter(i + base)) } else { fragments.append(f) }
            }
        }
    }

    public mutating func append(_ other: SQL) {
        let base = parameters.count
        parameters.append(contentsOf: other.parameters)
        for f in other.fragments {
            if case .parameter(let i) = f { fragments.append(.parameter(i + base)) } else { fragments.append(f) }
        }
    }

    public static func + (a: SQL, b: SQL) -> SQL {
        var out = a
        out.append(b)
        return out
    }

    /// The text sent to the server, with `$n` placeholders; identifiers escaped by `escape`.
    func render(escapeIdentifier escape: (String) throws -> String) rethrows -> String {
        var s = ""
        for f in fragments {
            switch f {
            case .text(let t): s += t
            case .parameter(let i): s += "$\(i + 1)"
            case .identifier(let name): s += try escape(name)
            }
        }
        return s
    }

}
