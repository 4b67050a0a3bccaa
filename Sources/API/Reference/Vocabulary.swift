import Registration
import Rendering

/// The domain's words by the columns that carry them, for Chinese output: which codes a column holds and
/// their names (each name is the term's own `chineseName`, in Registration).
public enum Vocabulary {
    static func names<T: DomainTerm>(_ type: T.Type) -> [String: String] {
        Dictionary(uniqueKeysWithValues: T.allCases.map { ($0.rawValue, $0.chineseName) })
    }

    /// Several enums' names under one column; where two give one code a name, the first wins.
    static func merged(_ tables: [String: String]...) -> [String: String] {
        tables.reduce(into: [:]) { out, t in out.merge(t) { first, _ in first } }
    }

    /// How a person practises at an institution (the roster's roles).
    static let rosterRoles = [
        "primary": "主要执业机构", "filed": "备案执业", "studio": "工作室", "starting": "即将开始"
    ]

    public static let byColumn: [String: [String: String]] = {
        let statuses = merged(
            names(PersonStatus.self), names(RegistrationStatus.self), names(NurseRegistrationStatus.self),
            names(InstitutionStatus.self), names(RecordWord.self))
        let reasons = merged(names(CancellationReason.self), names(LeaveReason.self), names(EndReason.self))
        let ownership = names(Ownership.self)
        return [
            "level": names(PhysicianLevel.self),
            "category": merged(names(PracticeCategory.self), names(InstitutionCategory.self)),
            "ownership": ownership, "host_ownership": ownership, "home_ownership": ownership,
            "sex": names(Sex.self),
            "status": statuses, "physician_status": statuses,
            "reason": reasons, "end_reason": reasons, "cancel_reason": reasons, "leave_reason": reasons,
            "kind": merged(
                names(CreditKind.self), names(RecordWord.self),
                Dictionary(uniqueKeysWithValues: ImportKind.allCases.map { ($0.rawValue, $0.chineseName) })),
            "result": [
                "committed": "已提交", "dry run: nothing committed": "试运行：未提交",
                "nothing committed (--all-or-nothing and rows were rejected)": "未提交（指定了 --all-or-nothing，且有行被拒绝）"
            ],
            "subject_kind": names(RecordWord.self),
            "role": merged(names(StaffRole.self), rosterRoles),
            "standing": merged(
                rosterRoles,
                [
                    "stable": "稳定执业（满一年）", "part-time": "兼职（多点执业）", "on-leave": "离岗",
                    "primary-regional": "主要执业机构（区域注册）", "filed-regional": "备案执业（区域注册）"
                ]),
            "outcome": names(RecordWord.self),
            "breakdown": ["province": "省份", "prefecture": "地市", "county": "县（市、区）"],
            "region": ["all": "全国", "total": "合计"],
            "computed": ["live": "实时计算"],
            "note": [
                LookupPhysician.moreNamesakes:
                    "同名者超过 \(LookupPhysician.limit) 人，只列出前 \(LookupPhysician.limit) 人；请按地区缩小范围",
                LookupPhysician.moreFound: "找到的超过 \(LookupPhysician.limit) 条，只列出前 \(LookupPhysician.limit) 条；请按地区缩小范围"
            ],
            "computed_by": ["live": "实时计算", "daily-run": "每日维护任务预先计算（--live 重新计算）"],
            "weekday": [
                "Mon": "周一", "Tue": "周二", "Wed": "周三", "Thu": "周四", "Fri": "周五", "Sat": "周六", "Sun": "周日"
            ]
        ]
    }()

    /// Words that differ by what the rows are: a studio's status is a studio's (开办中, 已关闭).
    public static let bySubject: [String: [String: [String: String]]] = [
        "studio": ["status": names(RecordWord.self)]
    ]

    /// The catalogue of a language, with the domain's words.
    public static func catalogue(_ language: Language) -> Catalogue {
        Catalogue(language: language, terms: byColumn, subjectTerms: bySubject)
    }
}
