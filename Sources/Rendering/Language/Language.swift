/// The language of everything a person reads: headers, values, messages, pages. Codes and JSON keys never
/// change with it.
public enum Language: String, CaseIterable, Sendable {
    case zh, en

    /// `REGCTL_LANG`, else the locale: the first of `LC_ALL`, `LC_MESSAGES`, `LANG` that is set (POSIX's
    /// order) decides, `zh*` being Chinese; English when none is set or it names another language.
    public static func from(environment env: [String: String]) -> Language {
        if let chosen = env["REGCTL_LANG"], !chosen.isEmpty, let language = Language(tag: chosen) { return language }
        for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            guard let value = env[name], !value.isEmpty else { continue }
            return value.lowercased().hasPrefix("zh") ? .zh : .en
        }
        return .en
    }

    /// `zh`, `zh_CN.UTF-8`, `zh-Hans`, `en`, `en_US` …: the language part of a locale name or language tag.
    public init?(tag: String) {
        let t = tag.lowercased()
        if t.hasPrefix("zh") || t == "中文" {
            self = .zh
        } else if t.hasPrefix("en") || t == "c" || t == "posix" {
            self = .en
        } else {
            return nil
        }
    }
}

/// A text for people in both languages (a report's title, a section's heading). A literal is the same in
/// both (a name, or a text that is already bilingual).
public struct Phrase: Sendable, Equatable, ExpressibleByStringInterpolation, CustomStringConvertible {
    public var en: String
    public var zh: String

    public init(en: String, zh: String) {
        self.en = en
        self.zh = zh
    }

    public init(stringLiteral value: String) { self.init(en: value, zh: value) }
    public init(stringInterpolation: DefaultStringInterpolation) {
        let s = String(stringInterpolation: stringInterpolation)
        self.init(en: s, zh: s)
    }

    public func text(_ language: Language) -> String { language == .zh ? zh : en }
    public var description: String { en }
}

extension Phrase {
    /// A section's note when it shows only the first rows: "first 200 of 1234" (nil when it shows all).
    public static func firstOf(_ shown: Int, _ all: Int) -> Phrase? {
        shown < all ? Phrase(en: "first \(shown) of \(all)", zh: "前 \(shown) 条，共 \(all) 条") : nil
    }
}
