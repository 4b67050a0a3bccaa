import API
import Foundation
import Registration
import Testing

/// The two catalogues: every refusal any source file can throw has its Chinese sentence, every word of the
/// domain its Chinese name, and the language follows `--lang`, `REGCTL_LANG`, then the locale.
@Suite struct CatalogueTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources")

    /// The codes thrown in the sources: the first argument of every error, refusal and usage error, and every
    /// `code:`.
    static func thrownCodes() throws -> Set<String> {
        let pattern = try NSRegularExpression(
            pattern:
                #"(?:RegctlError|RuleViolation|usage|refusal|backstop|usageError|notFound|reject)\(\s*"([a-z]+(?:\.[a-z0-9-]+)+|not-found)"|code:\s*"([a-z]+(?:\.[a-z0-9-]+)+)""#
        )
        var codes = Set<String>()
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)!
        for case let file as URL in files where file.pathExtension == "swift" {
            let text = try String(contentsOf: file, encoding: .utf8)
            for m in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                for group in 1...2 {
                    if let r = Range(m.range(at: group), in: text) { codes.insert(String(text[r])) }
                }
            }
        }
        return codes
    }

    @Test func everyThrownCodeHasAChineseSentence() throws {
        let codes = try Self.thrownCodes()
        #expect(codes.count > 80, "the scan finds the codes: \(codes.count)")
        let missing = codes.filter { !Catalogue.hasChineseMessage($0) }.sorted()
        #expect(missing.isEmpty, "no Chinese message for: \(missing)")
        // The English reference has the same codes as the Chinese one.
        #expect(Catalogue.englishCodes == Set(Catalogue.chineseMessages.map(\.code)))
        // Blacklist codes are built from the subject's kind (Eligibility.person).
        for kind in ["physician", "nurse", "institution"] {
            #expect(Catalogue.hasChineseMessage("\(kind).blacklisted"))
        }
    }

    @Test func everyDomainWordHasAChineseName() throws {
        func check<T: DomainTerm>(_ type: T.Type) {
            let names = T.allCases.map(\.chineseName)
            #expect(!names.contains(""), "\(T.self)")
            #expect(Set(names).count == names.count, "\(T.self) names two codes alike: \(names)")
            // What Chinese output shows reads back in, at every door (code in any case, Chinese name).
            for term in T.allCases {
                #expect(
                    T(text: term.chineseName)?.rawValue == term.rawValue
                        && T(text: " \(term.rawValue.uppercased()) ")?.rawValue == term.rawValue, "\(term)")
            }
        }
        check(InstitutionCategory.self)
        check(PracticeCategory.self)
        check(PhysicianLevel.self)
        check(Ownership.self)
        check(Sex.self)
        check(PersonStatus.self)
        check(RegistrationStatus.self)
        check(NurseRegistrationStatus.self)
        check(InstitutionStatus.self)
        check(CancellationReason.self)
        check(LeaveReason.self)
        check(CreditKind.self)
        check(StaffRole.self)
        check(EndReason.self)
        check(RecordWord.self)
        // The synonyms offices write, through the arguments every door reads.
        for (word, reason) in [
            ("辞退或解聘", LeaveReason.dismissed), ("辞退", .dismissed), ("调离", .transferred), ("离职", .resigned)
        ] {
            #expect(try Arguments(["reason": .string(word)]).choice("reason", LeaveReason.self) == reason)
        }
        #expect(try Arguments(["ownership": .string("民营")]).choice("ownership", Ownership.self) == .social)
        do {
            _ = try Arguments(["level": .string("主任医师")]).choice("level", PhysicianLevel.self)
            Issue.record("主任医师 is no level")
        } catch let e as RegctlError {
            #expect(e.code == "input.level" && e.message == "'主任医师' is not one of: physician, assistant")
            #expect(
                Vocabulary.catalogue(.zh).message(code: e.code, english: e.message, chinese: e.chinese)
                    == "'主任医师' 不在可选范围内，可选：执业医师、执业助理医师")
        }
        let zh = Vocabulary.catalogue(.zh)
        #expect(zh.value(.text("on-leave"), column: "status") == .text("已离岗"))
        #expect(zh.value(.text("public-health"), column: "category") == .text("公共卫生"))
        #expect(zh.value(.text("clinic"), column: "category") == .text("诊所"))
        #expect(zh.value(.text("active"), column: "name") == .text("active"), "only the columns that hold words")
        #expect(zh.value(.bool(true), column: "meets_25pct") == .text("是"))
        #expect(Vocabulary.catalogue(.en).value(.bool(true), column: "x") == .bool(true))
    }

    @Test(arguments: [
        ([:], Language.en), (["LANG": "zh_CN.UTF-8"], .zh), (["LANG": "en_US.UTF-8"], .en),
        (["LC_ALL": "zh_TW.UTF-8", "LANG": "en_US.UTF-8"], .zh), (["LC_ALL": "C", "LANG": "zh_CN.UTF-8"], .en),
        (["LC_MESSAGES": "zh_CN.GB18030", "LANG": "en"], .zh), (["REGCTL_LANG": "en", "LANG": "zh_CN.UTF-8"], .en),
        (["REGCTL_LANG": "zh"], .zh), (["REGCTL_LANG": "", "LANG": "zh_CN"], .zh), (["LC_ALL": "", "LANG": "zh"], .zh)
    ])
    func languageFromTheEnvironment(environment: [String: String], expected: Language) {
        #expect(Language.from(environment: environment) == expected)
    }

    @Test func chineseMessagesKeepTheQuotedValues() {
        let zh = Vocabulary.catalogue(.zh)
        #expect(
            zh.message(code: "input.date", english: "'2026-13-01' is not a date: write YYYY-MM-DD")
                == "日期格式不正确：请写成 YYYY-MM-DD（如 2026-03-01），也可写作 2026/3/1（'2026-13-01'）")
        #expect(zh.message(code: "input.sex", english: "'X' is not one of: M, F").hasPrefix("取值不在可选范围内"))
        #expect(
            zh.message(code: "physician.retired", english: "the physician's registration is closed")
                == "该医师已退休：退休医师可在基层医疗机构执业或开办工作室", "an apostrophe is no quote")
        #expect(Vocabulary.catalogue(.en).message(code: "input.date", english: "as is") == "as is")
    }
}

/// The documents that ship: every accepted column name is in docs/imports.md, every error code in
/// docs/errors.md with its sentence (what `regctl codes` prints).
/// A word that means one thing for one kind of row and another for another.
@Suite struct SubjectWordTests {
    @Test func aStudioClosesAnInstitutionIsDeregistered() {
        let zh = Vocabulary.catalogue(.zh)
        var studios = ResultTable(columns: ["name", "status"], rows: [[.text("名医工作室"), .text("closed")]])
        studios.subject = "studio"
        #expect(zh.localize(studios).rows[0][1] == .text("已关闭"))
        let institutions = ResultTable(columns: ["name", "status"], rows: [[.text("西湖医院"), .text("closed")]])
        #expect(zh.localize(institutions).rows[0][1] == .text("已注销"))
        var people = ResultTable(columns: ["name"], rows: [[.text("陈明")]], subject: "person")
        #expect(zh.localize(people).columns == ["姓名"])
        people.subject = nil
        #expect(zh.localize(people).columns == ["名称"])
    }
}

@Suite struct ShippedDocumentTests {
    static let docs = CatalogueTests.sources.deletingLastPathComponent().appendingPathComponent("docs")

    @Test func importsDocumentListsEveryColumnName() throws {
        let text = try String(contentsOf: Self.docs.appendingPathComponent("imports.md"), encoding: .utf8)
        for kind in ImportKind.allCases {
            #expect(text.contains("### \(kind.rawValue)"), "\(kind)")
            for column in kind.columns {
                for name in [column.name, column.alias] + column.others {
                    #expect(text.contains(name), "\(kind).\(column.name): \(name) is not in docs/imports.md")
                }
            }
        }
    }

    /// docs/rules.md states every rule the code cites, and cites only codes that exist.
    @Test func rulesDocumentHasEveryRuleTheCodeCites() throws {
        let text = try String(contentsOf: Self.docs.appendingPathComponent("rules.md"), encoding: .utf8)
        let sources = CatalogueTests.sources.deletingLastPathComponent().appendingPathComponent("Sources")
        var cited: Set<String> = []
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
        while let file = files?.nextObject() as? URL {
            guard file.pathExtension == "swift" else { continue }
            let source = try String(contentsOf: file, encoding: .utf8)
            for match in source.matches(of: /R-[0-9]{2}/) { cited.insert(String(match.output)) }
        }
        #expect(cited.count > 30)
        for rule in cited.sorted() { #expect(text.contains("- **\(rule) "), "\(rule) is not stated in docs/rules.md") }
        let codes = Set(Catalogue.chineseMessages.map(\.code))
        for match in text.matches(of: /`([a-z]+\.[a-z0-9-]+)`/) where !String(match.output.1).hasPrefix("docs.") {
            let code = String(match.output.1)
            guard !code.hasSuffix(".md") else { continue }
            #expect(codes.contains(code), "docs/rules.md cites \(code), which is no error code")
        }
    }

    /// Every command docs/guide.md tells a user to type is a command docs/commands.md documents, with options it
    /// lists.
    @Test func guideNamesOnlyCommandsThatExist() throws {
        let guide = try String(contentsOf: Self.docs.appendingPathComponent("guide.md"), encoding: .utf8)
        let reference = try String(contentsOf: Self.docs.appendingPathComponent("commands.md"), encoding: .utf8)
        var sections: [String: String] = [:]
        for part in reference.components(separatedBy: "### `regctl ").dropFirst() {
            let path = String(part.prefix { $0 != "`" })
            sections[path] = part
        }
        var checked = 0
        for match in guide.matches(of: #/regctl (--as \S+ )?([a-z][a-z-]*(?: [a-z][a-z-]*){0,2})([^`\n]*)/#) {
            let words = String(match.output.2).split(separator: " ").map(String.init)
            // `import KIND FILE` runs `import file`; `report NAME` with a placeholder names the group; a third word
            // may be a command's (`db standby status`) or a value.
            let candidates = [
                words.joined(separator: " "), words.prefix(2).joined(separator: " "), words[0], words[0] + " file"
            ]
            if words.count == 1, sections.keys.contains(where: { $0.hasPrefix(words[0] + " ") }) { continue }
            guard let path = candidates.first(where: { sections[$0] != nil }) else {
                Issue.record("docs/guide.md names `regctl \(match.output.2)`, which is no command")
                continue
            }
            for option in String(match.output.3).matches(of: #/--[a-z-]+/#) {
                let name = String(option.output)
                guard !["--as", "--format", "--output", "--lang", "--encoding", "--help"].contains(name) else {
                    continue
                }
                #expect(
                    sections[path]!.contains("`\(name)"), "docs/guide.md gives \(path) \(name), which it does not take")
            }
            checked += 1
        }
        #expect(checked > 20)
    }

    @Test func errorsDocumentListsEveryCode() throws {
        let text = try String(contentsOf: Self.docs.appendingPathComponent("errors.md"), encoding: .utf8)
        let english = Dictionary(
            uniqueKeysWithValues: Catalogue(language: .en).codeReference.map { ($0.code, $0.meaning) })
        for (code, message) in Catalogue.chineseMessages {
            #expect(
                text.contains("| `\(code)` | \(message) | \(english[code] ?? "") |"),
                "\(code) is not in docs/errors.md as the catalogues have it: run python3 scripts/dev/errors-doc.py")
        }
    }
}
