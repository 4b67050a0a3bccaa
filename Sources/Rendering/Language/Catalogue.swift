/// What a person reads, in their language: headers, the domain's words, yes and no, the messages of
/// refusals, the few words of the printers. Output is translated just before it is printed (`localize`); JSON
/// is never translated (its keys, codes and values are the machine interface).
public struct Catalogue: Sendable {
    public let language: Language
    /// The domain's words in Chinese by column: column key → code → name (given by the API, which knows the
    /// domain's vocabulary; Rendering knows no command).
    let terms: [String: [String: String]]
    /// Words that differ by what a table's rows are (`ResultTable.subject`): subject → column → code → name (a
    /// studio `closed` is 已关闭, an institution `closed` 已注销).
    let subjectTerms: [String: [String: [String: String]]]

    public init(
        language: Language, terms: [String: [String: String]] = [:],
        subjectTerms: [String: [String: [String: String]]] = [:]
    ) {
        self.language = language
        self.terms = terms
        self.subjectTerms = subjectTerms
    }

    public static let english = Catalogue(language: .en)

    /// A column's or figure's name.
    public func header(_ key: String) -> String {
        language == .zh ? ChineseHeaders.table[key] ?? key : key
    }

    /// A value under a column: the domain's words and yes/no translated, everything else as it is.
    public func value(_ cell: Cell, column: String) -> Cell {
        guard language == .zh else { return cell }
        switch cell {
        case .bool(let b): return .text(b ? "是" : "否")
        case .text(let s): return .text(terms[column]?[s] ?? s)
        case .list(let l): return .list(l.map { terms[column]?[$0] ?? $0 })
        default: return cell
        }
    }

    /// The message of a refusal: the command's own in English; in Chinese the catalogue's sentence for its
    /// code, followed by the values the English one quotes (`'…'`), so that the person still sees which.
    /// A message written in Chinese where it is raised (`chinese`) is used as it is.
    public func message(code: String, english: String, chinese: String? = nil) -> String {
        guard language == .zh else { return english }
        if let chinese { return chinese }
        guard let sentence = Self.chineseMessage(code) else { return english }
        let quoted = Self.quotedValues(english)
        return quoted.isEmpty ? sentence : sentence + "（" + quoted.joined(separator: "，") + "）"
    }

    /// The Chinese sentence for a code: its own, or for a value outside its choices (`input.sex`, …) the
    /// common one.
    static func chineseMessage(_ code: String) -> String? {
        if let own = ChineseMessages.table[code] { return own }
        if code.hasPrefix("input.") { return ChineseMessages.table["input.choice"] }
        return nil
    }

    /// Whether a code has its own Chinese sentence (the test of completeness asks).
    public static func hasChineseMessage(_ code: String) -> Bool { ChineseMessages.table[code] != nil }

    /// The `'…'` values a message quotes (`Quoted.value` writes them so).
    static func quotedValues(_ message: String) -> [String] {
        var out: [String] = []
        var current: String?
        var previous: Character = " "
        for c in message {
            if c == "'" {
                if let open = current {
                    // A closing quote ends a word; an apostrophe inside one (physician's) does not open one.
                    out.append("'" + open + "'")
                    current = nil
                } else if !previous.isLetter {
                    current = ""
                }
            } else if current != nil {
                current!.append(c)
            }
            previous = c
        }
        return Array(out.prefix(3))
    }

    /// The printers' own words.
    public func word(_ word: Word) -> String {
        switch (word, language) {
        case (.none, .en): "(none)"
        case (.none, .zh): "（无）"
        case (.field, .en): "field"
        case (.field, .zh): "项目"
        case (.value, .en): "value"
        case (.value, .zh): "值"
        }
    }

    public enum Word: CaseIterable, Sendable { case none, field, value }

    /// A table with its headers and values in this language.
    public func localize(_ t: ResultTable) -> ResultTable {
        guard language == .zh else { return t }
        var shown = t
        let headers = t.subject.flatMap { ChineseHeaders.bySubject[$0] } ?? [:]
        shown.columns = t.columns.map { headers[$0] ?? header($0) }
        let own = t.subject.flatMap { subjectTerms[$0] } ?? [:]
        shown.rows = t.rows.map { row in
            row.enumerated().map { i, c in
                let column = i < t.columns.count ? t.columns[i] : ""
                if case .text(let s) = c, let name = own[column]?[s] { return .text(name) }
                return value(c, column: column)
            }
        }
        return shown
    }

    func localize(_ fields: [(String, Cell)]) -> [(String, Cell)] {
        fields.map { (header($0.0), value($0.1, column: $0.0)) }
    }

    /// A report in this language: its title and headings, figures, tables and chart.
    public func localize(_ r: Report) -> Report {
        var out = r
        out.language = language
        guard language == .zh else { return out }
        out.summary = localize(r.summary)
        out.sections = r.sections.map {
            var s = $0
            s.table = localize($0.table)
            return s
        }
        return out
    }

    /// A command's output in this language (JSON is never translated: render JSON from the original).
    public func localize(_ o: CommandOutput) -> CommandOutput {
        guard language == .zh else { return o }
        var out = o
        switch o.body {
        case .created(let id, let fields, let shownOnce):
            out.body = .created(id: id, fields: localize(fields), shownOnce: shownOnce)
        case .record(let fields): out.body = .record(localize(fields))
        case .rows(let t): out.body = .rows(localize(t))
        case .summary(let fields, let t): out.body = .summary(localize(fields), localize(t))
        case .report(let r): out.body = .report(localize(r))
        }
        out.language = language
        return out
    }
}

extension Catalogue {
    /// Every refusal code with its Chinese sentence, in order: what `regctl codes` lists and docs/errors.md
    /// holds.
    public static var chineseMessages: [(code: String, message: String)] {
        ChineseMessages.table.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// Every refusal code with what it means in this catalogue's language.
    public var codeReference: [(code: String, meaning: String)] {
        let table = language == .zh ? ChineseMessages.table : EnglishMessages.table
        return table.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// The codes of the English reference (held to the Chinese table's by a test).
    public static var englishCodes: Set<String> { Set(EnglishMessages.table.keys) }
}
