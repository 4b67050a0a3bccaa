import Dates
import Foundation
import Registration

/// `lookup nurse --name NAME [--region CODE]`: registered nurses as the public sees them (where their live
/// registration is, whether it is regional, its end, the institutions they are filed at, public credit
/// records). Never the ID number or the birth date (R-72).
public struct LookupNurse: Command {
    public static let name = "lookup.nurse"
    public static var isPublic: Bool { true }
    let name: String, region: RegionCode?

    public init(_ a: Arguments) throws {
        name = try a.name("name")
        region = try a.optionalRegion("region")
    }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        if let region { _ = try c.store.requireRegion(region, field: "region") }
        let found = try c.store.publicNurses(name: name, region: region, limit: LookupPhysician.limit + 1)
        let shown = Array(found.prefix(LookupPhysician.limit))
        guard !shown.isEmpty else {
            throw RegctlError(
                "nurse.not-found",
                "no registered nurse is called \(name)\(region.map { " in \($0)" } ?? ""); check the name (exact, in Chinese characters) or widen --region"
            )
        }
        let places = try c.store.regionFullNames(shown.map(\.county))
        let nurses = shown.map { n -> [Cell] in
            [
                .text(n.name), .text(n.sex), .text(n.status), .text(n.institution), .text(n.county),
                Cell(places[n.county]), .bool(n.regional), .text(n.registrationStatus), Cell(n.expiresOn?.description),
                Cell(n.filedAt)
            ]
        }
        let credit = try PublicCredit.rows(c, shown.map { ($0.id, $0.name) })
        return CommandOutput(
            report: Report(
                title: Phrase(en: "Public lookup: nurses", zh: "护士执业信息查询"),
                summary: PublicCredit.summary(
                    query: name, region: region, found: shown.count, more: found.count > shown.count),
                sections: [
                    ReportSection(
                        "nurses", Phrase(en: "Registered nurses", zh: "注册护士"),
                        ResultTable(
                            columns: [
                                "name", "sex", "status", "institution", "county", "county_name", "regional",
                                "registration_status", "expires_on", "filed_at"
                            ], rows: nurses, subject: "person")),
                    PublicCredit.section(credit, keyColumn: "name")
                ]))
    }
}

/// `lookup institution (--name PREFIX [--region CODE] | --uscc CODE)`: institutions as their licence makes
/// them public, with their public credit records (R-61).
public struct LookupInstitution: Command {
    public static let name = "lookup.institution"
    public static var isPublic: Bool { true }
    let name: String?, region: RegionCode?, uscc: String?

    public init(_ a: Arguments) throws {
        name = try a.optionalString("name").flatMap { $0.isEmpty ? nil : $0 }
        region = try a.optionalRegion("region")
        uscc = try a.optionalString("uscc").flatMap { $0.isEmpty ? nil : $0.uppercased() }
        guard (name == nil) != (uscc == nil) else {
            throw Arguments.usage(
                "input.missing", "name",
                "give --name (the start of the name, with --region to narrow) or --uscc, one of them")
        }
        if let name { _ = try Arguments(["name": .string(name)]).name("name") }
        if let uscc, uscc.count != 18 || !uscc.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) {
            throw Arguments.usage(
                "input.uscc", "uscc", "\(Quoted.value(uscc)) is not a unified social credit code (18 characters)")
        }
    }

    public func run(_ c: CommandContext) throws -> CommandOutput {
        if let region { _ = try c.store.requireRegion(region, field: "region") }
        let found = try c.store.publicInstitutions(
            name: name, region: region, uscc: uscc, limit: LookupPhysician.limit + 1)
        let shown = Array(found.prefix(LookupPhysician.limit))
        guard !shown.isEmpty else {
            throw RegctlError(
                "institution.not-found",
                uscc != nil
                    ? "no institution has the credit code \(uscc ?? ""); check the code"
                    : "no institution's name starts with \(name ?? "")\(region.map { " in \($0)" } ?? ""); check the name or widen --region"
            )
        }
        let places = try c.store.regionFullNames(shown.map(\.county))
        let rows = shown.map { i -> [Cell] in
            [
                .text(i.name), .text(i.uscc), .text(i.county), Cell(places[i.county]), .text(i.ownership),
                .bool(i.forProfit), .text(i.category), .int(i.beds), .text(i.status)
            ]
        }
        let credit = try PublicCredit.rows(c, shown.map { ($0.id, $0.name) })
        return CommandOutput(
            report: Report(
                title: Phrase(en: "Public lookup: institutions", zh: "医疗机构信息查询"),
                summary: PublicCredit.summary(
                    query: uscc ?? name ?? "", region: region, found: shown.count, more: found.count > shown.count),
                sections: [
                    ReportSection(
                        "institutions", Phrase(en: "Institutions", zh: "医疗机构"),
                        ResultTable(
                            columns: [
                                "name", "uscc", "county", "county_name", "ownership", "for_profit", "category", "beds",
                                "status"
                            ], rows: rows, subject: nil)),
                    PublicCredit.section(credit, keyColumn: "name")
                ]))
    }
}

/// The public credit records (R-61) of the people or institutions a look-up found, and the look-up's summary.
enum PublicCredit {
    static func rows(_ c: CommandContext, _ subjects: [(id: UUID, name: String)]) throws -> [[Cell]] {
        let names = Dictionary(subjects.map { ($0.id, $0.name) }) { a, _ in a }
        return try c.store.publicCreditRecords(of: subjects.map(\.id)).map { r -> [Cell] in
            [
                Cell(names[r.subject]), .text(r.facts.kind.rawValue), .text(r.facts.decidedOn.description),
                .text(r.document), Cell(r.facts.until?.description), Cell(r.facts.liftedOn?.description),
                .bool(CreditRules.isInForce(r.facts, on: c.today))
            ]
        }
    }

    static func section(_ rows: [[Cell]], keyColumn: String) -> ReportSection {
        ReportSection(
            "credit",
            Phrase(en: "Public credit records (penalties and blacklist, R-61)", zh: "公开的信用记录（行政处罚和黑名单，R-61）"),
            ResultTable(
                columns: [keyColumn, "kind", "decided_on", "document", "until", "lifted_on", "in_force"], rows: rows))
    }

    static func summary(query: String, region: RegionCode?, found: Int, more: Bool) -> [(String, Cell)] {
        [("query", .text(query)), ("region", Cell(region?.value)), ("found", .int(found))]
            + (more ? [("note", .text(LookupPhysician.moreFound))] : [])
    }
}
