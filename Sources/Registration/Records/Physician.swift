import Foundation
/// 执业医师 or 执业助理医师.
public enum PhysicianLevel: String, CaseIterable, Sendable, Codable {
    case physician, assistant

    /// The first digit of the practice certificate number.
    public var certificateDigit: String { self == .physician ? "1" : "2" }
}

/// 类别: clinical, TCM, dental, public health; each with its practice scopes.
public enum PracticeCategory: String, CaseIterable, Sendable, Codable {
    case clinical, tcm, dental
    case publicHealth = "public-health"

    /// 执业范围 open to the category.
    public var scopes: [String] {
        switch self {
        case .clinical:
            return [
                "内科", "外科", "妇产科", "儿科", "眼耳鼻咽喉科", "皮肤病与性病", "精神卫生", "职业病",
                "医学影像和放射治疗", "医学检验、病理", "全科医学", "急救医学", "康复医学", "预防保健",
                "特种医学与军事医学", "计划生育技术服务"
            ]
        case .tcm: return ["中医", "中西医结合", "蒙医", "藏医", "维医", "傣医"]
        case .dental: return ["口腔"]
        case .publicHealth: return ["公共卫生"]
        }
    }

    /// Digits 2–3 of the practice certificate number.
    public var certificateDigits: String {
        switch self {
        case .clinical: return "10"
        case .tcm: return "20"
        case .dental: return "30"
        case .publicHealth: return "40"
        }
    }

    public var chineseName: String {
        switch self {
        case .clinical: return "临床"
        case .tcm: return "中医"
        case .dental: return "口腔"
        case .publicHealth: return "公共卫生"
        }
    }
}

/// The person's status; the registration's status is separate.
public enum PersonStatus: String, CaseIterable, Sendable, Codable {
    case active, retired, deceased
}

/// The facts about a physician that the rules need.
public struct PhysicianFacts: Sendable, Equatable {
    public var id: UUID
    public var level: PhysicianLevel
    public var category: PracticeCategory
    public var status: PersonStatus
    public var blacklisted: Bool

    public init(id: UUID, level: PhysicianLevel, category: PracticeCategory, status: PersonStatus, blacklisted: Bool) {
        self.id = id
        self.level = level
        self.category = category
        self.status = status
        self.blacklisted = blacklisted
    }
}
