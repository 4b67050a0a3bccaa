import API
import ArgumentParser
import Foundation

// The CLI's options are declared once, typed: each subcommand's properties are its command's arguments,
// named as the API names them (`contractNo` is `contract_no`, `--contract-no` on the command line), and
// read into `Arguments` by reflection (`arguments`), so that the CLI, exec and the imports share one set
// of names and one parser (the command's own `init(_ arguments:)`), and help and shell completion list
// an enum's values from the enum itself.
//
// A typed option accepts any text on the command line: the command's own check refuses a bad value with
// regctl's error (`error[input.date]: --on: …`, exit 64), the contract of CLI.md, where
// ArgumentParser's would print its own message.

/// An option's value as a command argument.
protocol CommandArgumentValue {
    var argumentValue: ArgumentValue? { get }
}

extension String: CommandArgumentValue {
    var argumentValue: ArgumentValue? { .string(self) }
}

extension Int: CommandArgumentValue {
    var argumentValue: ArgumentValue? { .int(self) }
}

extension Optional: CommandArgumentValue where Wrapped: CommandArgumentValue {
    var argumentValue: ArgumentValue? { self?.argumentValue }
}

/// A value of an enum of the domain: help and completion list `E.allCases`; the command parses it.
struct Choice<E: CaseIterable & RawRepresentable>: ExpressibleByArgument, CommandArgumentValue
where E.RawValue == String {
    let text: String
    init?(argument: String) { text = argument }
    static var allValueStrings: [String] { E.allCases.map(\.rawValue) }
    var argumentValue: ArgumentValue? { .string(text) }
}

/// A calendar day, `YYYY-MM-DD`; the command parses it.
struct Day: ExpressibleByArgument, CommandArgumentValue {
    let text: String
    init?(argument: String) { text = argument }
    var argumentValue: ArgumentValue? { .string(text) }
}

/// A region code of GB/T 2260; the command checks it.
struct Region: ExpressibleByArgument, CommandArgumentValue {
    let text: String
    init?(argument: String) { text = argument }
    var argumentValue: ArgumentValue? { .string(text) }
}

/// A property of a subcommand that carries a command argument.
private protocol ArgumentCarrying {
    var carried: ArgumentValue? { get }
}

extension Option: ArgumentCarrying where Value: CommandArgumentValue {
    fileprivate var carried: ArgumentValue? { wrappedValue.argumentValue }
}

extension Argument: ArgumentCarrying where Value: CommandArgumentValue {
    fileprivate var carried: ArgumentValue? { wrappedValue.argumentValue }
}

extension Flag: ArgumentCarrying where Value == Bool {
    fileprivate var carried: ArgumentValue? { wrappedValue ? .bool(true) : nil }
}

/// Options shared by several subcommands (a report's region and period), carried like their own.
protocol CommandArgumentGroup: ParsableArguments {}

private protocol ArgumentGroupCarrying {
    func collect(into a: inout Arguments)
}

extension OptionGroup: ArgumentGroupCarrying where Value: CommandArgumentGroup {
    fileprivate func collect(into a: inout Arguments) { a.collect(from: wrappedValue) }
}

extension Arguments {
    /// The arguments a subcommand's properties carry, named in snake_case (`contractNo` → `contract_no`).
    /// Properties that carry none (the global options, a flag read another way) are left out.
    init(reflecting command: Any) {
        self.init()
        collect(from: command)
    }

    fileprivate mutating func collect(from command: Any) {
        for child in Mirror(reflecting: command).children {
            guard let label = child.label else { continue }
            if let group = child.value as? ArgumentGroupCarrying {
                group.collect(into: &self)
                continue
            }
            guard let carrying = child.value as? ArgumentCarrying, let value = carrying.carried else { continue }
            self[Self.snakeCase(label.hasPrefix("_") ? String(label.dropFirst()) : label)] = value
        }
    }

    static func snakeCase(_ name: String) -> String {
        var out = ""
        for c in name {
            if c.isUppercase {
                out += "_" + c.lowercased()
            } else {
                out.append(c)
            }
        }
        return out
    }
}

extension ParsableCommand {
    /// This subcommand's options as its command's arguments.
    var arguments: Arguments { Arguments(reflecting: self) }
}
