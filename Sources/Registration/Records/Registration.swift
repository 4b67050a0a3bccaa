import Foundation
import Dates

public enum RegistrationStatus: String, CaseIterable, Sendable, Codable {
    case pending, active
    case onLeave = "on-leave"
    case cancelled, rejected

    /// Holds the region: anything but cancelled or rejected.
    public var isLive: Bool { self != .cancelled && self != .rejected }
}

/// R-19 cancellation reasons.
public enum CancellationReason: String, CaseIterable, Sendable, Codable {
    case death
    case criminalPenalty = "criminal-penalty"
    case certificateRevoked = "certificate-revoked"
    case assessmentFailed = "assessment-failed"
    case leaveTwoYears = "leave-2y"
    case moved
    case ownApplication = "own-application"
    case other
}

/// R-17 reasons for leaving the primary institution.
public enum LeaveReason: String, CaseIterable, Sendable, Codable {
    case retired, resigned, dismissed, transferred
}

/// What the rules need to know about one of a physician's registrations.
public struct RegistrationFacts: Sendable, Equatable {
    public var id: UUID
    public var region: RegionCode
    public var institution: UUID
    public var institutionCounty: RegionCode
    public var institutionCategory: InstitutionCategory
    public var status: RegistrationStatus
    public var scopes: [String]
    public var isHome: Bool
    public var effectiveOn: CalendarDate?
    public var leaveSince: CalendarDate?
    public var cancelledOn: CalendarDate?
    public var cancelReason: CancellationReason?

    public init(
        id: UUID, region: RegionCode, institution: UUID, institutionCounty: RegionCode,
        institutionCategory: InstitutionCategory, status: RegistrationStatus, scopes: [String], isHome: Bool,
        effectiveOn: CalendarDate? = nil, leaveSince: CalendarDate? = nil,
        cancelledOn: CalendarDate? = nil, cancelReason: CancellationReason? = nil
    ) {
        self.id = id
        self.region = region
        self.institution = institution
        self.institutionCounty = institutionCounty
        self.institutionCategory = institutionCategory
        self.status = status
        self.scopes = scopes
        self.isHome = isHome
        self.effectiveOn = effectiveOn
        self.leaveSince = leaveSince
        self.cancelledOn = cancelledOn
        self.cancelReason = cancelReason
    }
}
