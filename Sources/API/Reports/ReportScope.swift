import Dates
import Foundation
import Registration

/// The flags every report takes: `--region`, `--from`, `--to`, `--within`, `--limit`.
struct ReportArguments: Sendable {
    let region: RegionCode?
    let from: CalendarDate?
    let to: CalendarDate?
    let within: Int?
    let limit: Int
    /// Recount what the daily run precomputed.
    let live: Bool

    init(_ a: Arguments) throws {
        region = try a.optionalRegion("region")
        from = try a.optionalDate("from")
        to = try a.optionalDate("to")
        within = try a.optionalInt("within")
        limit = try a.optionalInt("limit") ?? 200
        live = try a.bool("live")
        if let from, let to, to < from {
            throw Arguments.usage(
                "input.period", "to", "\(to) is before --from \(from); give the period's first and last day")
        }
        if let within, within < 0 || within > 3660 {
            throw Arguments.usage("input.number", "within", "\(within) is not a number of days from 0 to 3660")
        }
        guard limit > 0 else {
            throw Arguments.usage("input.number", "limit", "\(limit) is not a number of rows; give 1 or more")
        }
    }
}

/// Where a report looks (after access, R-70) and how it breaks its figures down:
/// the country by province, a province by prefecture, a prefecture by county.
struct ReportScope {
    /// nil: the whole country.
    let region: RegionCode?
    let regionName: String

    /// The whole country, with no reader to check (the daily run's snapshot).
    init(nationalFor name: String) {
        region = nil
        regionName = name
    }

    init(_ requested: RegionCode?, _ c: CommandContext) throws {
        region = try Access.reportRegion(c.actor, requested: requested)
        try c.store.prepareForReport()
        if let region {
            _ = try c.store.requireRegion(region, field: "region")
            regionName = try c.store.regionName(region)
        } else {
            regionName = "全国"
        }
    }

    /// What the rows are: provinces, prefectures or counties.
    var breakdown: String {
        guard let region else { return "province" }
        if region.isProvince { return "prefecture" }
        return "county"
    }

    /// The same in words, for headings.
    var breakdownPhrase: Phrase {
        switch breakdown {
        case "province": Phrase(en: "province", zh: "省份")
        case "prefecture": Phrase(en: "prefecture", zh: "地市")
        default: Phrase(en: "county", zh: "县（市、区）")
        }
    }

    var summary: [(String, Cell)] {
        [("region", .text(region?.value ?? "all")), ("region_name", .text(regionName)), ("breakdown", .text(breakdown))]
    }
}

/// Percent with one decimal, as a cell ("" when the base is zero).
func percentCell(_ part: Int, _ whole: Int) -> Cell {
    whole == 0 ? .null : .text(String(format: "%.1f", Double(part) * 100 / Double(whole)))
}

func percent(_ part: Int, _ whole: Int) -> Double {
    whole == 0 ? 0 : Double(part) * 100 / Double(whole)
}
