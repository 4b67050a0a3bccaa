import Foundation
import Postgres
import Registration

/// A GB/T 2260 region as the region table holds it.
public struct RegionRow: Decodable, Sendable, Equatable {
    public let code: String
    public let name: String
    public let level: String
    public let parent: String?
}

/// Reading the region table.
public enum Regions {
    public static let levels = ["province", "prefecture", "county"]
}

extension Store {
    /// Regions, optionally the children of `parent` and of one `level`, in code order.
    public func regions(parent: String? = nil, level: String? = nil) throws -> [RegionRow] {
        if let parent {
            guard try connection.query("SELECT 1 FROM region WHERE code = \(parent)").count == 1 else {
                throw RegctlError(
                    "input.region",
                    "no region has code \(parent); codes are 6-digit GB/T 2260 codes such as 330000 (浙江省) or 330106 (西湖区); see regctl region list",
                    rule: "R-03")
            }
        }
        return try connection.query(
            """
            SELECT code, name, level, parent FROM region
            WHERE (\(parent)::text IS NULL OR parent = \(parent))
              AND (\(level)::text IS NULL OR level = \(level))
            ORDER BY code
            """
        ).decode(RegionRow.self)
    }
}
