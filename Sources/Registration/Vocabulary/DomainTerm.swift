import Dates

/// A word of the registry's vocabulary: its code (what JSON, the database and English output carry, and what
/// scripts compare) and its name in Chinese, as the policy texts and the registration rules write it. Chinese
/// output shows the name; codes never change with the language.
public protocol DomainTerm: RawRepresentable, CaseIterable, Sendable where RawValue == String {
    var chineseName: String { get }
    /// Other words offices write for a term (民营 for 社会办, 辞退 for 辞退或解聘), read like its name.
    static var synonyms: [String: Self] { get }
}

extension DomainTerm {
    public static var synonyms: [String: Self] { [:] }

    /// A term as any door gives it (a flag, an exec argument, a cell of an import): its code in any case, its
    /// Chinese name (what Chinese output shows, so that it reads back in) or a synonym. Nil for anything else.
    public init?(text: String) {
        let t = text.trimmedASCIIWhitespace
        guard
            let term = Self(rawValue: t) ?? Self(rawValue: t.lowercased())
                ?? Self.allCases.first(where: { $0.chineseName == t }) ?? Self.synonyms[t]
        else { return nil }
        self = term
    }
}

extension InstitutionCategory: DomainTerm {
    public static let synonyms: [String: InstitutionCategory] = [
        "中医（中西医结合、民族医）医院": .tcmHospital, "中西医结合医院": .tcmHospital, "民族医医院": .tcmHospital,
        "诊所（含中医诊所、中医馆）": .clinic, "中医诊所": .clinic, "中医馆": .clinic, "卫生所": .medicalOffice,
        "卫生室": .medicalOffice, "医务室": .medicalOffice, "医养结合": .elderlyCareMedical,
        "独立医学检验、病理诊断": .independentLab, "病理诊断中心": .independentLab
    ]
}
extension PracticeCategory: DomainTerm {}

extension PhysicianLevel: DomainTerm {
    public static let synonyms: [String: PhysicianLevel] = ["助理医师": .assistant]
    public var chineseName: String {
        switch self {
        case .physician: "执业医师"
        case .assistant: "执业助理医师"
        }
    }
}

extension Ownership: DomainTerm {
    public static let synonyms: [String: Ownership] = [
        "政府办": .public, "公立医院": .public, "民营": .social, "社会资本": .social
    ]
    public var chineseName: String {
        switch self {
        case .public: "公立"
        case .social: "社会办"
        }
    }
}

extension Sex: CaseIterable, DomainTerm {
    public static let allCases: [Sex] = [.male, .female]
    public var chineseName: String {
        switch self {
        case .male: "男"
        case .female: "女"
        }
    }
}

extension PersonStatus: DomainTerm {
    public var chineseName: String {
        switch self {
        case .active: "正常"
        case .retired: "已退休"
        case .deceased: "已死亡"
        }
    }
}

extension RegistrationStatus: DomainTerm {
    public var chineseName: String {
        switch self {
        case .pending: "待审批"
        case .active: "正常"
        case .onLeave: "已离岗"
        case .cancelled: "已注销"
        case .rejected: "不予注册"
        }
    }
}

extension NurseRegistrationStatus: DomainTerm {
    public var chineseName: String {
        switch self {
        case .pending: "待审批"
        case .active: "正常"
        case .rejected: "不予注册"
        case .expired: "已过期"
        case .cancelled: "已注销"
        }
    }
}

extension InstitutionStatus: DomainTerm {
    public var chineseName: String {
        switch self {
        case .active: "正常"
        case .suspended: "暂停执业"
        case .closed: "已注销"
        }
    }
}

extension CancellationReason: DomainTerm {
    public var chineseName: String {
        switch self {
        case .death: "死亡"
        case .criminalPenalty: "受刑事处罚"
        case .certificateRevoked: "医师资格证书被吊销"
        case .assessmentFailed: "考核不合格"
        case .leaveTwoYears: "中止执业满二年"
        case .moved: "迁出本区域"
        case .ownApplication: "本人申请"
        case .other: "其他"
        }
    }
}

extension LeaveReason: DomainTerm {
    public static let synonyms: [String: LeaveReason] = [
        "离职": .resigned, "解聘": .dismissed, "辞退": .dismissed, "开除": .dismissed, "调动": .transferred,
        "调出": .transferred
    ]
    public var chineseName: String {
        switch self {
        case .retired: "退休"
        case .resigned: "辞职"
        case .dismissed: "辞退或解聘"
        case .transferred: "调离"
        }
    }
}

extension CreditKind: DomainTerm {
    public var chineseName: String {
        switch self {
        case .commendation: "表彰奖励"
        case .warning: "警示"
        case .penalty: "行政处罚"
        case .blacklist: "黑名单"
        }
    }
}

extension StaffRole: DomainTerm {
    public var chineseName: String {
        switch self {
        case .admin: "系统管理员"
        case .registrar: "注册审批人员"
        case .hr: "机构人事"
        case .analyst: "统计分析人员"
        }
    }
}

/// Why a filing ended or a studio closed, as the registry records it (a person's own words, given with
/// `filing end --reason`, are kept as written).
public enum EndReason: String, DomainTerm {
    case contractEnded = "contract-ended"
    case contractTerminated = "contract-terminated"
    case leave
    case registrationCancelled = "registration-cancelled"
    case institutionClosed = "institution-closed"
    case hostClosed = "host-closed"
    case becamePrimary = "became-primary"
    case pilotEnded = "pilot-ended"
    case onRequest = "on-request"

    public var chineseName: String {
        switch self {
        case .contractEnded: "合同期满"
        case .contractTerminated: "合同解除"
        case .leave: "离岗"
        case .registrationCancelled: "注册注销"
        case .institutionClosed: "机构注销"
        case .hostClosed: "依托机构注销"
        case .becamePrimary: "变更为主要执业机构"
        case .pilotEnded: "试点结束"
        case .onRequest: "本人申请"
        }
    }
}

/// Other words records carry: a filing's or studio's state, an event's outcome, a credit record's subject.
public enum RecordWord: String, DomainTerm {
    case ended, open, closed, accepted, refused, failed, physician, nurse, institution, holiday, workday

    public var chineseName: String {
        switch self {
        case .ended: "已终止"
        case .open: "开办中"
        case .closed: "已关闭"
        case .accepted: "已受理"
        case .refused: "已拒绝"
        case .failed: "失败"
        case .physician: "医师"
        case .nurse: "护士"
        case .institution: "医疗机构"
        case .holiday: "放假"
        case .workday: "调休上班"
        }
    }
}
