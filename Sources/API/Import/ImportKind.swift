import Registration

/// The five kinds of import file and their columns (CLI.md "Import files").
public enum ImportKind: String, CaseIterable, Sendable {
    case institutions, physicians, registrations, contracts, leaves

    /// A column: its English name (also the command's argument), Chinese alias, whether required.
    public struct Column: Sendable {
        public let name: String
        public let alias: String
        public let required: Bool
        /// Other spellings seen in the wild.
        public let others: [String]

        init(_ name: String, _ alias: String, required: Bool = true, others: [String] = []) {
            self.name = name
            self.alias = alias
            self.required = required
            self.others = others
        }
    }

    public var columns: [Column] {
        let idNumber = Column(
            "id_number", "身份证号", others: ["身份证号码", "公民身份号码", "居民身份证号码", "证件号码", "身份证件号码"])
        let institution = Column(
            "institution", "机构统一社会信用代码",
            others: ["统一社会信用代码", "机构代码", "医疗机构统一社会信用代码", "执业机构统一社会信用代码", "机构"])
        switch self {
        case .institutions:
            return [
                Column("uscc", "统一社会信用代码", others: ["社会信用代码", "机构统一社会信用代码"]),
                Column("name", "机构名称", others: ["医疗机构名称", "名称"]),
                Column("region", "区划代码", others: ["行政区划代码", "所在地区划代码", "县区代码"]),
                Column("ownership", "举办主体", others: ["所有制", "经济类型", "举办性质"]),
                Column("for_profit", "营利性", others: ["经营性质", "是否营利", "营利性质"]),
                Column("category", "机构类别", others: ["机构类型", "类别"]),
                Column("beds", "核定床位", others: ["床位数", "核定床位数", "编制床位"]),
                Column("license_no", "执业许可证登记号", required: false, others: ["执业许可证号", "登记号"])
            ]
        case .physicians:
            return [
                idNumber, Column("name", "姓名", others: ["医师姓名"]),
                Column(
                    "qualification_no", "资格证书编码",
                    others: ["医师资格证书编码", "资格证书编号", "医师资格证书编号", "资格证书号", "医师资格证号"]),
                Column("level", "级别", others: ["医师级别", "医师类型"]),
                Column("category", "类别", others: ["执业类别", "医师执业类别"])
            ]
        case .registrations:
            return [
                idNumber, institution, Column("scope", "执业范围", others: ["注册执业范围"]),
                Column("applied_on", "申请日期", required: false, others: ["申请时间"])
            ]
        case .contracts:
            return [
                Column("contract_no", "合同编号", others: ["合同号", "协议编号"]), idNumber, institution,
                Column("from", "开始日期", others: ["合同起始日期", "合同开始日期", "起始日期", "聘用开始日期"]),
                Column("to", "结束日期", others: ["合同终止日期", "合同结束日期", "终止日期", "截止日期", "聘用结束日期"]),
                Column("scope", "执业范围", required: false, others: ["备案执业范围"]),
                Column("action", "操作", required: false, others: ["操作类型", "动作"])
            ]
        case .leaves:
            return [
                idNumber, institution, Column("reason", "原因", others: ["离岗原因"]),
                Column("on", "日期", others: ["离岗日期"])
            ]
        }
    }

    /// The expected columns, laid out for a message: `scope (执业范围, optional)`.
    public var columnList: String {
        columns.map { "\($0.name) (\($0.alias)\($0.required ? "" : ", optional"))" }.joined(separator: ", ")
    }

    /// The same in Chinese: `合同编号（contract_no）、…、执业范围（scope，可省略）`.
    public var chineseColumnList: String {
        columns.map { "\($0.alias)（\($0.name)\($0.required ? "" : "，可省略")）" }.joined(separator: "、")
    }

    /// What a file of this kind holds, in Chinese.
    public var chineseName: String {
        switch self {
        case .institutions: "医疗机构"
        case .physicians: "医师"
        case .registrations: "注册申请"
        case .contracts: "多点执业合同"
        case .leaves: "离岗"
        }
    }

    /// A header cell as offices write it, made comparable: no white space of any width, no `*` marking a
    /// required column, no trailing `(必填)`/`（选填）`, full-width letters folded, lower case.
    static func normalized(_ header: String) -> String {
        var h = header.replacingOccurrences(of: "\u{FEFF}", with: "")
        for suffix in ["(必填)", "（必填）", "(选填)", "（选填）", "(可选)", "（可选）", "(非必填)", "（非必填）"] {
            h = h.replacingOccurrences(of: suffix, with: "")
        }
        let kept = h.unicodeScalars.filter { !$0.properties.isWhitespace && $0 != "*" && $0 != "＊" }
        var out = String(String.UnicodeScalarView(kept))
        out = out.applyingTransform(.fullwidthToHalfwidth, reverse: false) ?? out
        return out.lowercased()
    }

    /// A header row read against the kind's columns: each position's column, or nil for a column regctl
    /// does not know (序号, 备注 …: ignored, and listed in the summary).
    public struct Header: Sendable {
        public let columns: [String?]
        public let ignored: [String]
    }

    /// Maps a header row to column names by position. Unknown columns are ignored; a column named twice or
    /// a required column missing refuses the file (`import.header`), with every problem of the header at once
    /// and the columns expected.
    public func map(header: [String]) throws -> Header {
        var mapped: [String?] = []
        var ignored: [String] = []
        var problems: [String] = [], chineseProblems: [String] = []
        // Every accepted spelling, normalized once.
        let spellings = Dictionary(
            columns.flatMap { c in ([c.name, c.alias] + c.others).map { (Self.normalized($0), c) } },
            uniquingKeysWith: { first, _ in first })
        for raw in header {
            let h = Self.normalized(raw)
            guard let column = spellings[h] else {
                mapped.append(nil)
                // A header cell is the file's text, up to a megabyte: kept to a name's length.
                if !h.isEmpty { ignored.append(String(raw.trimmedASCIIWhitespace.prefix(100))) }
                continue
            }
            if mapped.contains(column.name) {
                problems.append("column \(column.name) (\(column.alias)) appears twice (\(Quoted.value(raw)))")
                chineseProblems.append("列“\(column.alias)”出现了两次（\(Quoted.value(raw))）")
                mapped.append(nil)
            } else {
                mapped.append(column.name)
            }
        }
        let missing = columns.filter { $0.required && !mapped.contains($0.name) }
        if !missing.isEmpty {
            problems.append(
                "missing column\(missing.count > 1 ? "s" : "") \(missing.map { "\($0.name) (\($0.alias))" }.joined(separator: ", "))"
            )
            chineseProblems.append("缺少列 " + missing.map { "\($0.alias)（\($0.name)）" }.joined(separator: "、"))
        }
        // At most 20 ignored names in a message, each quoted at most 40 characters.
        let named = ignored.prefix(20).map(Quoted.value) + (ignored.count > 20 ? ["… (\(ignored.count))"] : [])
        guard problems.isEmpty else {
            throw RegctlError(
                "import.header",
                problems.joined(separator: "; ") + "; the columns of a \(rawValue) file are: \(columnList)"
                    + (ignored.isEmpty ? "" : "; ignored: \(named.joined(separator: ", "))"),
                chinese: "表头有误：" + chineseProblems.joined(separator: "；") + "。\(chineseName)文件的列为："
                    + chineseColumnList + (ignored.isEmpty ? "" : "；已忽略：\(named.joined(separator: "、"))"))
        }
        return Header(columns: mapped, ignored: ignored)
    }
}

extension ImportKind {
    /// A file to start from (`regctl import template KIND`): the columns under their Chinese names, and one
    /// row of made-up values that the import accepts in form.
    public var template: [[String]] {
        let idNumber = "330106197503120023"
        let first17 = "92330106MA2B00001"
        let uscc = first17 + String(CreditCode.checkCharacter(for: first17) ?? "0")
        let example: [String: String] = [
            "uscc": uscc, "name": self == .institutions ? "杭州市西湖区示例诊所" : "张伟", "region": "330106",
            "ownership": "社会办", "for_profit": "否", "category": self == .institutions ? "诊所" : "临床", "beds": "0",
            "license_no": "", "id_number": idNumber, "qualification_no": "199833110330106197503120023",
            "level": "执业医师", "institution": uscc, "scope": "内科", "applied_on": "2026-03-02",
            "contract_no": "HT-2026-001", "from": "2026-03-01", "to": "2027-02-28", "action": "A",
            "reason": "退休", "on": "2026-03-31"
        ]
        return [columns.map(\.alias), columns.map { example[$0.name] ?? "" }]
    }
}
