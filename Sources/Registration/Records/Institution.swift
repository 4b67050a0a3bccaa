import Foundation
/// Institution categories after WS 218-2002, and which are grassroots (基层).
public enum InstitutionCategory: String, CaseIterable, Sendable, Codable {
    case generalHospital = "general-hospital"
    case tcmHospital = "tcm-hospital"
    case specialtyHospital = "specialty-hospital"
    case nursingHomeHospital = "nursing-home-hospital"
    case communityHealthCenter = "community-health-center"
    case communityHealthStation = "community-health-station"
    case townshipHealthCenter = "township-health-center"
    case villageClinic = "village-clinic"
    case outpatientDepartment = "outpatient-department"
    case clinic
    case medicalOffice = "medical-office"
    case elderlyCareMedical = "elderly-care-medical"
    case independentLab = "independent-lab"
    case imagingCenter = "imaging-center"
    case dialysisCenter = "dialysis-center"
    case hospice
    case other

    /// 基层医疗卫生机构: may take registrations with several scopes and host studios.
    public var isGrassroots: Bool {
        switch self {
        case .communityHealthCenter, .communityHealthStation, .townshipHealthCenter, .villageClinic,
            .outpatientDepartment, .clinic, .medicalOffice:
            return true
        default: return false
        }
    }

    /// grassroots, or 医养结合 (Zhejiang's text adds it).
    public var mayHostStudio: Bool { isGrassroots || self == .elderlyCareMedical }

    public var chineseName: String {
        switch self {
        case .generalHospital: return "综合医院"
        case .tcmHospital: return "中医医院"
        case .specialtyHospital: return "专科医院"
        case .nursingHomeHospital: return "护理院"
        case .communityHealthCenter: return "社区卫生服务中心"
        case .communityHealthStation: return "社区卫生服务站"
        case .townshipHealthCenter: return "乡镇卫生院"
        case .villageClinic: return "村卫生室"
        case .outpatientDepartment: return "门诊部"
        case .clinic: return "诊所"
        case .medicalOffice: return "卫生所（室）"
        case .elderlyCareMedical: return "医养结合机构"
        case .independentLab: return "独立医学检验机构"
        case .imagingCenter: return "医学影像中心"
        case .dialysisCenter: return "血液透析中心"
        case .hospice: return "安宁疗护中心"
        case .other: return "其他"
        }
    }

}

/// 举办主体: government-run or social capital.
public enum Ownership: String, CaseIterable, Sendable, Codable {
    case `public`
    case social

}

public enum InstitutionStatus: String, CaseIterable, Sendable, Codable {
    case active, suspended, closed
}

/// The facts about an institution that the rules need.
public struct InstitutionFacts: Sendable, Equatable {
    public var id: UUID
    public var name: String
    public var county: RegionCode
    public var category: InstitutionCategory
    public var ownership: Ownership
    public var status: InstitutionStatus
    public var blacklisted: Bool

    public init(
        id: UUID, name: String, county: RegionCode, category: InstitutionCategory, ownership: Ownership,
        status: InstitutionStatus, blacklisted: Bool
    ) {
        self.id = id
        self.name = name
        self.county = county
        self.category = category
        self.ownership = ownership
        self.status = status
        self.blacklisted = blacklisted
    }
}
