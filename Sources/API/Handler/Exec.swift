import Foundation
import Registration

/// `regctl exec`: one JSON command per line in, one JSON result per line out,
/// each line its own transaction; a bad line never stops the stream.
public struct ExecStream {
    public let handler: Handler
    /// `--as` / `REGCTL_AS`, used when a line names no `as`.
    public let defaultActor: String?

    public init(handler: Handler, defaultActor: String?) {
        self.handler = handler
        self.defaultActor = defaultActor
    }

    /// Seals the events of the lines answered so far into the chain: the reader calls it after each
    /// chunk of input it has answered (and at the end), so that one sealer call serves a batch of
    /// lines, and a line typed alone is sealed as soon as it is answered.
    public func seal() { handler.sealEvents() }

    /// The result line for one input line (without its newline); nil for a blank line.
    public func run(line: String) -> String? {
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return nil }
        let parsed: (name: String, actor: String?, arguments: Arguments)
        do {
            parsed = try ExecStream.parse(trimmed)
        } catch let e as RegctlError {
            return ExecStream.failure(e)
        } catch {
            return ExecStream.failure(RegctlError("exec.malformed", "\(error)", status: .usage))
        }
        do {
            let output = try handler.execute(parsed.name, parsed.arguments, as: parsed.actor ?? defaultActor, seal: false)
            return "{\"ok\": true, \"result\": \(output.json)}"
        } catch {
            return ExecStream.failure(RegctlError.from(error))
        }
    }

    static func failure(_ e: RegctlError) -> String {
        var fields = ["\"code\": \(JSONText.quote(e.code))", "\"message\": \(JSONText.quote(e.message))"]
        if let rule = e.rule { fields.append("\"rule\": \(JSONText.quote(rule))") }
        return "{\"ok\": false, \"error\": {\(fields.joined(separator: ", "))}}"
    }

    /// `{"command": "filing.add", "as": "zj-reg-01", "args": {...}}`.
    static func parse(_ line: String) throws -> (name: String, actor: String?, arguments: Arguments) {
        func malformed(_ why: String) -> RegctlError {
            RegctlError("exec.malformed", "\(why); each line is {\"command\": \"filing.add\", \"as\": \"staff-id\", \"args\": {…}}", status: .usage)
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)), let dict = object as? [String: Any] else {
            throw malformed("the line is not a JSON object")
        }
        guard let name = dict["command"] as? String else { throw malformed("the line names no \"command\"") }
        guard CommandRegistry.type(named: name) != nil else { throw malformed("no command is called '\(name)'") }
        if dict["as"] != nil && !(dict["as"] is String) { throw malformed("\"as\" must be a staff id (text)") }
        var arguments = Arguments()
        if let raw = dict["args"] {
            guard let args = raw as? [String: Any] else { throw malformed("\"args\" must be an object") }
            for (key, value) in args {
                switch value {
                case let n as NSNumber where String(cString: n.objCType) == "c":
                    arguments[key] = .bool(n.boolValue)
                case let n as NSNumber:
                    // A whole number a command can take, or its text (never NSNumber.intValue's wrapped value).
                    if let whole = Int(exactly: n.doubleValue), n.doubleValue.magnitude < 9.0e15 {
                        arguments[key] = .int(whole)
                    } else {
                        throw malformed("argument \"\(key)\" is the number \(n.stringValue), which no command takes; numbers are whole and below 9 × 10^15")
                    }
                case let s as String:
                    arguments[key] = .string(s)
                case let l as [Any]:
                    guard let strings = l as? [String] else { throw malformed("argument \"\(key)\" must be a list of text") }
                    arguments[key] = .list(strings)
                case is NSNull:
                    continue
                default:
                    throw malformed("argument \"\(key)\" has a value of a kind commands do not take")
                }
            }
        }
        return (name, dict["as"] as? String, arguments)
    }
}
