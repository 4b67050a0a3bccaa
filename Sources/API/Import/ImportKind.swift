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
        switch self {
        case .institutions:
            return [
                Column("uscc", "统一社会信用代码"), Column("name", "机构名称"), Column("region", "区划代码", others: ["行政区划代码"]),
                Column("ownership", "举办主体"), Column("for_profit", "营利性"), Column("category", "机构类别"),
                Column("beds", "核定床位", others: ["床位数"]), Column("license_no", "执业许可证登记号", required: false)
            ]
        case .physicians:
            return [
                Column("id_number", "身份证号", others: ["身份证号码", "公民身份号码"]), Column("name", "姓名"),
                Column("qualification_no", "资格证书编码", others: ["资格证书编号"]), Column("level", "级别"),
                Column("category", "类别")
            ]
        case .registrations:
            return [
                Column("id_number", "身份证号", others: ["身份证号码", "公民身份号码"]), Column("institution", "机构统一社会信用代码"),
                Column("scope", "执业范围"), Column("applied_on", "申请日期", required: false)
            ]
        case .contracts:
            return [
                Column("contract_no", "合同编号"), Column("id_number", "身份证号", others: ["身份证号码", "公民身份号码"]),
                Column("institution", "机构统一社会信用代码"), Column("from", "开始日期"), Column("to", "结束日期"),
                Column("scope", "执业范围", required: false), Column("action", "操作", required: false)
            ]
        case .leaves:
            return [
                Column("id_number", "身份证号", others: ["身份证号码", "公民身份号码"]), Column("institution", "机构统一社会信用代码"),
                Column("reason", "原因"), Column("on", "日期")
            ]
        }
    }

    /// The expected columns, for error messages.
    public var columnList: String {
        columns.map { "\($0.name) (\($0.alias))\($0.required ? "" : ", optional")" }.joined(separator: ", ")
    }

    /// Maps a header row to column names by position; refuses unknown and missing columns (`import.header`).
    public func map(header: [String]) throws -> [String] {
        var mapped: [String] = []
        for raw in header {
            let h = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            guard
                let column = columns.first(where: {
                    $0.name == h.lowercased() || $0.alias == h || $0.others.contains(h)
                })
            else {
                throw RegctlError(
                    "import.header",
                    "unknown column \(Quoted.value(h)); the columns of a \(rawValue) file are: \(columnList)")
            }
            guard !mapped.contains(column.name) else {
                throw RegctlError(
                    "import.header", "column \(Quoted.value(h)) appears twice; each column once: \(columnList)")
            }
            mapped.append(column.name)
        }
        let missing = columns.filter { $0.required && !mapped.contains($0.name) }
        guard missing.isEmpty else {
            throw RegctlError(
                "import.header",
                "missing column\(missing.count > 1 ? "s" : "") \(missing.map { "\($0.name) (\($0.alias))" }.joined(separator: ", ")); the columns of a \(rawValue) file are: \(columnList)"
            )
        }
        return mapped
    }
}
