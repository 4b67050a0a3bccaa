import Dates
import Foundation
import Registration

/// `regctl exec`: one JSON command per line in, one compact JSON answer per line out,
/// each line its own transaction; a bad line never stops the stream.
public struct ExecStream {
    public let handler: Handler
    /// `--as` / `REGCTL_AS`, used when a line names no `as`.
    public let defaultActor: String?

    /// Set for a stream over the network: every line acts for this account (the session's) and none other,
    /// and nothing that reads a file on the server's machine runs.
    public let sessionAccount: String?

    /// The language of an answer's notes (`--lang`; over the network, the request's).
    public let language: Language

    public init(handler: Handler, defaultActor: String?, sessionAccount: String? = nil, language: Language = .en) {
        self.handler = handler
        self.defaultActor = sessionAccount ?? defaultActor
        self.sessionAccount = sessionAccount
        self.language = language
    }

    /// Commands the network door does not run: they read a file on the machine that runs them (imports and
    /// the calendar, which the door takes as uploads instead) or rebuild the database (seed).
    public static func refusedOverNetwork(_ name: String) -> RegctlError? {
        if name.hasPrefix("import.") || name == CalendarImport.name {
            return RegctlError(
                "http.upload",
                "\(name) reads a file on the machine that runs it; over the network, upload the file: POST /api/v1/imports/{kind} (regctl import does it for you)",
                status: .usage)
        }
        if name == Seed.name {
            return RegctlError(
                "permission.denied", "seed rebuilds the database: run it on the database host, not over the network",
                rule: "R-70")
        }
        return nil
    }

    /// Seals the events of the lines answered so far into the chain: the reader calls it when no more
    /// input is waiting (and at the end), so that one sealer call serves a burst of lines, and a line
    /// typed alone is sealed as soon as it is answered.
    public func seal() { handler.sealEvents() }

    /// The answer for one input line (without its newline); nil for a blank line.
    public func run(line: String) -> String? {
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return nil }
        let parsed: ExecLine
        do {
            parsed = try ExecLine(parsing: trimmed)
        } catch let e as RegctlError {
            return ExecStream.failure(e)
        } catch {
            return ExecStream.failure(RegctlError("exec.malformed", "the line could not be read", status: .usage))
        }
        do {
            if let account = sessionAccount {
                if let refusal = ExecStream.refusedOverNetwork(parsed.command) { throw refusal }
                if let other = parsed.actor, other != account {
                    throw RegctlError(
                        "permission.denied",
                        "this session acts for \(account) only; a line may not name another account (\(Quoted.value(other)))",
                        rule: "R-70")
                }
            }
            if let kind = parsed.importKind {
                return ExecStream.success(try runImport(kind, parsed), language: language)
            }
            let output = try handler.execute(
                parsed.command, parsed.arguments, as: parsed.actor ?? defaultActor, seal: false)
            return ExecStream.success(output, language: language)
        } catch {
            return ExecStream.failure(RegctlError.from(error))
        }
    }

    /// The answer for a line longer than `LineSplitter.maximum`: its bytes were dropped unread.
    public static func oversized(bytes: Int) -> String {
        failure(
            RegctlError(
                "exec.malformed",
                "the line is \(bytes) bytes, over the limit of \(LineSplitter.maximum) bytes (1 MiB); it was not run. Send large data as a file (regctl import)",
                status: .usage))
    }

    /// An import as a line: `{"command": "import.contracts", "args": {"file": "…", "dry_run": true}}`.
    func runImport(_ kind: ImportKind, _ line: ExecLine) throws -> CommandOutput {
        var options = ImportOptions(kind: kind, path: try line.arguments.string("file"))
        if let e = try line.arguments.optionalString("encoding") {
            guard let encoding = ImportEncoding(rawValue: e) else {
                throw Arguments.usage("input.encoding", "encoding", "\(Quoted.value(e)) is not auto, utf-8 or gbk")
            }
            options.encoding = encoding
        }
        options.dryRun = try line.arguments.bool("dry_run")
        options.allOrNothing = try line.arguments.bool("all_or_nothing")
        let report = try Importer.run(handler.store, as: line.actor ?? defaultActor, today: handler.today, options)
        return report.output(file: options.path, kind: kind, dryRun: options.dryRun, rejections: 1000)
    }

    /// The answer for a command that ran: `{"ok":true,"result":…}`, then `extra` (an upload's `errors_report`), then
    /// `notes` when the command has lines for people (what the CLI prints on stderr: a standby's "data as of …", a
    /// warning that did not stop it), in `language`. exec's lines and the network door's JSON answers alike.
    public static func success(_ output: CommandOutput, language: Language, extra: String = "") -> String {
        var json = "{\"ok\":true,\"result\":\(output.json)" + extra
        if !output.notes.isEmpty {
            json += ",\"notes\":[" + output.notes.map { JSONText.quote($0.text(language)) }.joined(separator: ",") + "]"
        }
        return json + "}"
    }

    public static func failure(_ e: RegctlError) -> String {
        "{\"ok\":false,\"error\":\(e.json)}"
    }
}

/// One exec line, parsed: `{"command": "filing.add", "as": "zj-reg-01", "args": {...}}`.
public struct ExecLine: Sendable {
    public let command: String
    public let actor: String?
    public let arguments: Arguments

    /// `import.<kind>` lines run the importer (its own batches of transactions), not a command.
    var importKind: ImportKind? {
        command.hasPrefix("import.") ? ImportKind(rawValue: String(command.dropFirst("import.".count))) : nil
    }

    /// Every exec name: the commands of the API, and the imports (computed once: every line is checked against it).
    public static let names: Set<String> = Set(
        CommandRegistry.all.map { $0.name } + ImportKind.allCases.map { "import." + $0.rawValue })

    public init(parsing line: String) throws {
        func malformed(_ why: String) -> RegctlError {
            RegctlError(
                "exec.malformed",
                "\(why); each line is {\"command\": \"filing.add\", \"as\": \"staff-id\", \"args\": {…}}",
                status: .usage)
        }
        // A key given twice would be silently the last one's: refused before anything runs.
        if let key = try JSONKeys.duplicate(in: Data(line.utf8)) {
            throw malformed("the key \(JSONText.quote(String(key.prefix(64)))) is given twice in one object")
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)), let dict = object as? [String: Any]
        else {
            throw malformed("the line is not a JSON object")
        }
        let unknown = Set(dict.keys).subtracting(["command", "as", "args"])
        guard unknown.isEmpty else {
            throw malformed("unknown key \(JSONText.quote(String(unknown.sorted()[0].prefix(64))))")
        }
        guard let name = dict["command"] as? String else { throw malformed("the line names no \"command\"") }
        guard ExecLine.names.contains(name) else {
            throw malformed("no command is called \(JSONText.quote(String(name.prefix(64))))")
        }
        if dict["as"] != nil && !(dict["as"] is String) { throw malformed("\"as\" must be a staff id (text)") }
        let arguments = try ExecLine.arguments(dict["args"], malformed)
        self.command = name
        self.actor = dict["as"] as? String
        self.arguments = arguments
    }

    /// A command's arguments from the JSON an exec line's `args` (or an HTTP request's body) holds: the same
    /// checks whichever door they came through.
    static func arguments(_ raw: Any?, _ malformed: (String) -> RegctlError) throws -> Arguments {
        var arguments = Arguments()
        if let raw {
            guard let args = raw as? [String: Any] else { throw malformed("\"args\" must be an object") }
            for (key, value) in args {
                let shownKey = JSONText.quote(String(key.prefix(64)))
                switch value {
                case let n as NSNumber where String(cString: n.objCType) == "c":
                    arguments[key] = .bool(n.boolValue)
                case let n as NSNumber:
                    // A whole number a command can take, or a refusal (never NSNumber.intValue's wrapped value).
                    if let whole = Int(exactly: n.doubleValue), n.doubleValue.magnitude < 9.0e15 {
                        arguments[key] = .int(whole)
                    } else {
                        throw RegctlError(
                            "input.number",
                            "argument \(shownKey) is a number no command takes; numbers are whole and below 9 × 10^15",
                            status: .usage, field: key)
                    }
                case let s as String:
                    arguments[key] = .string(s)
                case let l as [Any]:
                    guard let strings = l as? [String] else {
                        throw malformed("argument \(shownKey) must be a list of text")
                    }
                    arguments[key] = .list(strings)
                case is NSNull:
                    continue
                default:
                    throw malformed("argument \(shownKey) has a value of a kind commands do not take")
                }
            }
        }
        return arguments
    }

    /// A command named by the URL with its arguments as a JSON object (the network door's
    /// `POST /api/v1/commands/{name}`), checked as an exec line is: duplicate keys, kinds of values.
    public init(command name: String, actor: String?, argumentsJSON data: Data) throws {
        func malformed(_ why: String) -> RegctlError {
            RegctlError(
                "exec.malformed",
                "\(why); the body is a JSON object of the command's arguments, such as {\"id\": \"…\"}",
                status: .usage)
        }
        guard ExecLine.names.contains(name) else {
            throw RegctlError(
                "http.not-found", "no command is called \(JSONText.quote(String(name.prefix(64))))", status: .usage)
        }
        var raw: Any? = nil
        if !data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            if let key = try JSONKeys.duplicate(in: data) {
                throw malformed("the key \(JSONText.quote(String(key.prefix(64)))) is given twice in one object")
            }
            guard let object = try? JSONSerialization.jsonObject(with: data), object is [String: Any] else {
                throw malformed("the body is not a JSON object")
            }
            raw = object
        }
        self.command = name
        self.actor = actor
        self.arguments = try ExecLine.arguments(raw, malformed)
    }
}

/// Splits a byte stream into lines in linear time, each at most `maximum` bytes: a longer line is
/// dropped as it streams (never held whole) and reported by its length.
public struct LineSplitter {
    public static let maximum = 1 << 20

    public enum Piece: Equatable, Sendable {
        case line([UInt8])
        case oversized(bytes: Int)
    }

    let maximum: Int
    var buffer: [UInt8] = []
    /// Bytes of the current line dropped so far, when it went over the limit.
    var dropped: Int?

    public init(maximum: Int = LineSplitter.maximum) {
        self.maximum = maximum
    }

    /// Feeds a chunk; calls `emit` for each line it completes, in order.
    public mutating func feed(_ chunk: [UInt8], _ emit: (Piece) -> Void) {
        var cursor = 0
        while cursor < chunk.count {
            guard let newline = chunk[cursor...].firstIndex(of: 0x0A) else {
                take(chunk[cursor...])
                return
            }
            take(chunk[cursor..<newline])
            emit(end())
            cursor = newline + 1
        }
    }

    /// Ends the input: the last line, when it had no newline.
    public mutating func finish(_ emit: (Piece) -> Void) {
        if !buffer.isEmpty || dropped != nil { emit(end()) }
    }

    private mutating func take(_ bytes: ArraySlice<UInt8>) {
        if let d = dropped {
            dropped = d + bytes.count
        } else if buffer.count + bytes.count > maximum {
            dropped = buffer.count + bytes.count
            buffer = []
        } else {
            buffer += bytes
        }
    }

    private mutating func end() -> Piece {
        defer {
            buffer.removeAll(keepingCapacity: buffer.count <= 1 << 16)
            dropped = nil
        }
        if let d = dropped { return .oversized(bytes: d) }
        return .line(buffer)
    }
}

/// Finds a key given twice in one JSON object (JSONSerialization keeps the last silently). A scanner of
/// JSON's string and structure tokens only, linear in the text; values are not interpreted.
enum JSONKeys {
    static func duplicate(in data: Data) throws -> String? {
        let bytes = [UInt8](data)
        var stack: [Set<[UInt8]>?] = []  // per open container: the keys seen, nil for an array
        var expectingKey = false
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            switch b {
            case UInt8(ascii: "{"):
                stack.append([])
                expectingKey = true
            case UInt8(ascii: "["):
                stack.append(nil)
                expectingKey = false
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if !stack.isEmpty { stack.removeLast() }
                expectingKey = false
            case UInt8(ascii: ","):
                expectingKey = stack.last.map { $0 != nil } ?? false
            case UInt8(ascii: "\""):
                var j = i + 1
                var raw: [UInt8] = []
                while j < bytes.count && bytes[j] != UInt8(ascii: "\"") {
                    if bytes[j] == UInt8(ascii: "\\") && j + 1 < bytes.count {
                        raw.append(bytes[j])
                        j += 1
                    }
                    raw.append(bytes[j])
                    j += 1
                }
                if expectingKey, case var keys?? = stack.last {
                    // Compare decoded keys: "a" and "\u0061" are the same key. Only a key with an escape needs
                    // decoding; the others are their bytes.
                    let key =
                        raw.contains(UInt8(ascii: "\\"))
                        ? (try? JSONSerialization.jsonObject(
                            with: Data([UInt8(ascii: "\"")] + raw + [UInt8(ascii: "\"")]), options: .fragmentsAllowed)
                            as? String) ?? String(decoding: raw, as: UTF8.self)
                        : String(decoding: raw, as: UTF8.self)
                    let canonical = Array(key.utf8)
                    if keys.contains(canonical) { return key }
                    keys.insert(canonical)
                    stack[stack.count - 1] = keys
                    expectingKey = false
                }
                i = j
            default:
                break
            }
            i += 1
        }
        return nil
    }
}
