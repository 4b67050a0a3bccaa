import Dates
import Foundation
import Postgres
import Registration

/// A studio as `studio close` decides on it: locked, with its host's county (R-44, R-70).
public struct StudioToClose: Sendable {
    public let id: UUID
    public let isOpen: Bool
    public let openedOn: CalendarDate
    public let host: UUID
    public let hostCounty: RegionCode
}

/// A line of `studio list`.
public struct StudioListing: Sendable {
    public let id: UUID
    public let name: String
    public let physicianName: String
    public let physicianStatus: PersonStatus
    public let hostName: String
    public let hostCounty: RegionCode
    public let hostCategory: InstitutionCategory
    public let openedOn: CalendarDate
    public let status: String
    public let closedOn: CalendarDate?
}

/// Which studios to close: those under a registration, those at a host.
public enum StudioSelection: Sendable {
    case registration(UUID)
    case host(UUID)
}

extension Store {
    /// Closes the open studios `selection` picks on `day` (never before one opened; R-19, R-44). Returns their ids.
    public func closeStudios(_ selection: StudioSelection, on day: CalendarDate, reason: String) throws -> [UUID] {
        let filter: SQL
        switch selection {
        case .registration(let id): filter = "registration = \(id)"
        case .host(let id): filter = "host = \(id)"
        }
        return try connection.query(
            """
            UPDATE studio SET status = 'closed', closed_on = GREATEST(\(day), opened_on), close_reason = \(reason)
            WHERE \(filter) AND status = 'open' RETURNING id
            """
        ).map { try $0.decode(0, as: UUID.self) }
    }
}

extension Store {
    /// Whether the physician has a studio open at the host (R-43).
    public func hasOpenStudio(physician: UUID, host: UUID) throws -> Bool {
        try connection.query(
            "SELECT 1 FROM studio WHERE physician = \(physician) AND host = \(host) AND status = 'open'"
        ).count > 0
    }

    public func openStudio(
        id: UUID, physician: UUID, registration: UUID, host: InstitutionRecord, name: String, on day: CalendarDate
    ) throws {
        try connection.execute(
            """
            INSERT INTO studio (id, province, physician, registration, host, name, opened_on)
            VALUES (\(id), \(host.facts.county.province.value), \(physician), \(registration), \(host.id), \(name), \(day))
            """)
    }

    /// A studio by id, locked; nil when there is none.
    public func studioToClose(_ id: UUID) throws -> StudioToClose? {
        guard
            let row = try connection.query(
                """
                SELECT s.status, s.opened_on, s.host, i.region FROM studio s JOIN institution i ON i.id = s.host
                WHERE s.id = \(id) FOR UPDATE OF s
                """
            ).first
        else { return nil }
        return StudioToClose(
            id: id, isOpen: try row.decode(0, as: String.self) == "open",
            openedOn: try row.decode(1, as: CalendarDate.self), host: try row.decode(2, as: UUID.self),
            hostCounty: try row.decode(3, as: RegionCode.self))
    }

    /// Closes one studio on `day`, on request (R-44).
    public func closeStudio(_ id: UUID, on day: CalendarDate) throws {
        try connection.execute(
            "UPDATE studio SET status = 'closed', closed_on = \(day), close_reason = \(EndReason.onRequest.rawValue) WHERE id = \(id)"
        )
    }

    /// `studio list`: studios at hosts in `region`, of a physician (each optional), as the reader sees them.
    public func studios(region: RegionCode?, physician: UUID?) throws -> [StudioListing] {
        try connection.query(
            """
            SELECT s.id, s.name, p.name AS physician, p.status AS physician_status, i.name AS host, i.region, i.category,
                   s.opened_on, s.status, s.closed_on
            FROM studio s JOIN physician p ON p.id = s.physician JOIN institution i ON i.id = s.host
            WHERE \(regionFilter("i.region", region)) AND (\(physician)::uuid IS NULL OR s.physician = \(physician))
            ORDER BY s.opened_on, s.id
            """
        ).map { row in
            StudioListing(
                id: try row.decode("id", as: UUID.self), name: try row.decode("name", as: String.self),
                physicianName: try row.decode("physician", as: String.self),
                physicianStatus: try row.decode("physician_status", as: PersonStatus.self),
                hostName: try row.decode("host", as: String.self),
                hostCounty: try row.decode("region", as: RegionCode.self),
                hostCategory: try row.decode("category", as: InstitutionCategory.self),
                openedOn: try row.decode("opened_on", as: CalendarDate.self),
                status: try row.decode("status", as: String.self),
                closedOn: try row.decode("closed_on", as: CalendarDate?.self))
        }
    }
}
