import API
import Foundation
import Postgres
import Registration
import RegistryStore
import Testing
import TestSupport

/// Finding people and records as staff name them: by the beginning of a name, a page at a time, and by
/// the first characters of an id; never past the reader's scope.
@Suite struct FindingTests {
    private func names(_ out: CommandOutput) -> [String] {
        guard let table = out.table, let column = table.columns.firstIndex(of: "name") else { return [] }
        return table.rows.map { $0[column].plain }
    }

    private func physician(_ r: Registry, _ name: String, _ sequence: Int, region: String = "330106") throws -> String {
        try r.run(
            "physician.add",
            [
                "name": name, "id_number": Make.residentID(region: region, sequence: sequence),
                "qualification_no": "Q\(sequence)", "level": "physician", "category": "clinical"
            ]
        ).id!
    }

    @Test func namesByTheirBeginningPagesAndIdsByTheirFirstCharacters() throws {
        let r = try Registry()
        let w = try r.world()
        let chenMing = try physician(r, "陈明", 1)
        let chenLi = try physician(r, "陈立", 2)
        _ = try physician(r, "王强", 3)
        let chenHong = try physician(r, "陈红", 4, region: "320102")
        for (p, inst) in [(chenMing, w.clinic), (chenLi, w.clinic), (chenHong, w.nanjingClinic)] {
            let reg = try r.run("registration.apply", ["physician": p, "institution": inst, "scope": ["内科"]]).id!
            try r.run("registration.approve", ["registration": reg])
        }

        #expect(names(try r.run("physician.list", ["name": "陈"])) == ["陈明", "陈立", "陈红"])
        #expect(names(try r.run("physician.list", ["name": "陈明"])) == ["陈明"])
        #expect(names(try r.run("physician.list", ["name": "%"])).isEmpty, "LIKE's wildcards are letters here")
        #expect(names(try r.run("physician.list", ["name": "陈_"])).isEmpty)

        // A page at a time: the note names the next page's --after.
        let first = try r.run("physician.list", ["name": "陈", "limit": 1])
        #expect(names(first) == ["陈明"])
        let note = try #require(first.notes.first?.en)
        #expect(note.contains("--after \(chenMing.prefix(13))"), "\(note)")
        let second = try r.run("physician.list", ["name": "陈", "limit": 1, "after": String(chenMing.prefix(13))])
        #expect(names(second) == ["陈立"])
        #expect(names(try r.run("physician.list", ["name": "陈", "after": chenLi])) == ["陈红"])

        // An id by its first 8 characters; fewer are no id; one nobody has is not found.
        let shown = try r.run("physician.show", ["physician": String(chenMing.prefix(8))])
        #expect(shown.fields.contains { $0.0 == "name" && $0.1 == .text("陈明") }, "\(shown.fields)")
        #expect(r.refusal("physician.show", ["physician": String(chenMing.prefix(7))]) == "input.id-number")
        #expect(r.refusal("physician.show", ["physician": "00000000"]) == "not-found")
        let inst = try r.run("institution.show", ["institution": String(w.clinic.prefix(8).uppercased())])
        #expect(inst.fields.contains { $0.1 == .text("杭州和睦门诊部") }, "\(inst.fields)")
        #expect(
            names(try r.run("institution.list", ["name": "杭州"])) == ["杭州树兰医院", "杭州和睦门诊部"],
            "by region (330102 before 330106), then name")

        // Several ids begin so: more characters are asked for.
        for (n, id) in ["abcdef01-0000-4000-8000-000000000001", "abcdef01-1111-4000-8000-000000000002"].enumerated() {
            let number = Make.residentID(region: "330106", sequence: 90 + n)
            try r.connection.execute(
                """
                INSERT INTO physician (id, id_number, name, sex, birth_date, qualification_no, level, category)
                VALUES (\(UUID(uuidString: id)!), \(number), '前缀同', 'F', '1975-03-12', \("QX\(n)"), 'physician', 'clinical')
                """)
        }
        #expect(r.refusal("physician.show", ["physician": "abcdef01"]) == "input.id")
        #expect(r.refusal("physician.show", ["physician": "abcdef01-1"]) == nil)

        // A prefecture's or county's people come from its registrations (another plan than a province's): the
        // same rows, paged alike; a registrar asking for a wider region gets its own.
        #expect(names(try r.run("physician.list", ["region": "330106", "name": "陈"])) == ["陈明", "陈立"])
        #expect(names(try r.run("physician.list", as: "hz-reg", ["name": "陈"])) == ["陈明", "陈立"])
        #expect(names(try r.run("physician.list", as: "hz-reg", ["region": "330000", "name": "陈"])) == ["陈明", "陈立"])
        #expect(
            names(try r.run("physician.list", as: "hz-reg", ["name": "陈", "after": String(chenMing.prefix(13))]))
                == ["陈立"])
        #expect(names(try r.run("physician.list", ["region": "320100", "limit": 5])) == ["陈红"])

        // Jiangsu's registrar finds Jiangsu's physicians, and no id prefix reaches past them (R-72).
        #expect(names(try r.run("physician.list", as: "js-reg", ["name": "陈"])) == ["陈红"])
        #expect(r.refusal("physician.show", as: "js-reg", ["physician": String(chenMing.prefix(8))]) == "not-found")
        #expect(r.refusal("physician.list", as: "js-reg", ["after": String(chenMing.prefix(8))]) == "not-found")
    }

    /// Places by the names people use, beside their codes: in the public lookup and the roster.
    @Test func placesByName() throws {
        let r = try Registry()
        let names = try r.store.regionFullNames(["110101", "320102", "429004", "330100", "330000"])
        #expect(names["110101"] == "北京市东城区" && names["320102"] == "南京市玄武区" && names["429004"] == "湖北省仙桃市")
        #expect(names["330100"] == "杭州市" && names["330000"] == "浙江省")
        let w = try r.world()
        let (p, _) = try r.registeredPhysician(11, at: w.nanjingHospital, region: "320102")
        _ = p
        let lookup = try r.run("lookup.physician", ["name": "医师11"])
        let practice = try #require(lookup.report?.sections.first { $0.name == "practice" }?.table)
        let county = try #require(practice.columns.firstIndex(of: "county_name"))
        let region = try #require(practice.columns.firstIndex(of: "practice_region_name"))
        #expect(practice.rows.first?[county] == .text("南京市玄武区") && practice.rows.first?[region] == .text("江苏省"))
        let list = try #require(try r.run("institution.list", ["name": "杭州和睦"]).table)
        #expect(list.rows.first?[try #require(list.columns.firstIndex(of: "region_name"))] == .text("杭州市西湖区"))
        let roster = try r.run("report.roster", ["institution": w.clinic])
        #expect(roster.report?.summary.contains { $0.0 == "county_name" && $0.1 == .text("杭州市西湖区") } == true)
    }

    /// More namesakes than the lookup shows: the first 50, and a note saying so, in the reader's language.
    @Test func namesakesBeyondTheLimit() throws {
        let r = try Registry()
        let w = try r.world()
        for n in 1...(LookupPhysician.limit + 1) {
            let p = try r.run(
                "physician.add",
                [
                    "name": "王同名", "id_number": Make.residentID(sequence: 500 + n), "qualification_no": "QS\(n)",
                    "level": "physician", "category": "clinical"
                ]
            ).id!
            let g = try r.run("registration.apply", ["physician": p, "institution": w.clinic, "scope": ["内科"]]).id!
            try r.run("registration.approve", ["registration": g])
        }
        let lookup = try r.run("lookup.physician", ["name": "王同名"])
        let report = try #require(lookup.report)
        #expect(report.summary.contains { $0.0 == "found" && $0.1 == .int(LookupPhysician.limit) })
        #expect(report.summary.contains { $0.0 == "note" && $0.1 == .text(LookupPhysician.moreNamesakes) })
        let chinese = try #require(Vocabulary.catalogue(.zh).localize(lookup).report)
        let note = try #require(chinese.summary.first { $0.0 == "备注" }?.1)
        #expect(note == .text("同名者超过 50 人，只列出前 50 人；请按地区缩小范围"))
        // The public answers for nurses and institutions say the same in their words.
        let found = Vocabulary.catalogue(.zh).value(.text(LookupPhysician.moreFound), column: "note")
        #expect(found == .text("找到的超过 50 条，只列出前 50 条；请按地区缩小范围"))
    }

    @Test func idRanges() {
        let range = Store.idRange(prefix: "3FA8B2C1-9")
        #expect(range?.low.uuidString.lowercased() == "3fa8b2c1-9000-0000-0000-000000000000")
        #expect(range?.high.uuidString.lowercased() == "3fa8b2c1-9fff-ffff-ffff-ffffffffffff")
        #expect(Store.idRange(prefix: "3fa8b2c") == nil)
        #expect(Store.idRange(prefix: "陈明陈明陈明陈明") == nil)
        #expect(Store.idRange(prefix: "3fa8b2cg") == nil)
    }
}
