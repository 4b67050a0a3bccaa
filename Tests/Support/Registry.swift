import Foundation
import API
import Dates
import Postgres

/// Valid identifiers for tests and demos, computed rather than copied.
public enum Make {
    /// A valid resident ID for a region, birth date and sequence.
    public static func residentID(region: String = "330106", born: String = "19750312", sequence: Int) -> String {
        let first17 = region + born + String(format: "%03d", sequence % 1000)
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(first17, weights).reduce(0) { $0 + Int(String($1.0))! * $1.1 }
        return first17 + String(Array("10X98765432")[sum % 11])
    }

    /// A valid unified social credit code for a region with a serial.
    public static func creditCode(region: String, serial: Int, kind: String = "12") -> String {
        let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
        let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
        let first17 = kind + region + String(format: "%09d", serial)
        let sum = zip(first17, weights).reduce(0) { $0 + alphabet.firstIndex(of: $1.0)! * $1.1 }
        let c = 31 - sum % 31
        return first17 + String(alphabet[c == 31 ? 0 : c])
    }
}

/// A test database with a handler, and a small Zhejiang/Jiangsu world built through the commands themselves.
public final class Registry {
    public let db: TestDatabase
    public let connection: Connection
    /// The same connection as the commands' store.
    public let store: Store
    public var today: CalendarDate
    public var handler: Handler { Handler(store: store, today: today) }

    public init(today: String = "2026-03-02") throws {
        db = try TestCluster.database()
        connection = try db.connect()
        store = Store(connection: connection)
        self.today = CalendarDate(parsing: today)!
    }

    /// Runs a command as `actor` (nil: the login, admin on the test cluster). A decision dated `on` a day
    /// after `today` is run on that day, as its registrar would (never ahead of it: input.future-date).
    @discardableResult
    public func run(_ name: String, as actor: String? = nil, _ args: [String: Any]) throws -> CommandOutput {
        var a = Arguments()
        for (k, v) in args {
            switch v {
            case let s as String: a[k] = .string(s)
            case let i as Int: a[k] = .int(i)
            case let b as Bool: a[k] = .bool(b)
            case let l as [String]: a[k] = .list(l)
            default: fatalError("unsupported test argument \(k)")
            }
        }
        let on = (args["on"] as? String).flatMap { CalendarDate(parsing: $0) }
        let day = on.map { max($0, today) } ?? today
        return try Handler(store: store, today: day).execute(name, a, as: actor)
    }

    /// The refusal's code, or nil when the command was accepted.
    public func refusal(_ name: String, as actor: String? = nil, _ args: [String: Any]) -> String? {
        do {
            try run(name, as: actor, args)
            return nil
        } catch let e as RegctlError { return e.code } catch { return "unexpected: \(error)" }
    }

    public func count(_ sql: SQL) throws -> Int {
        try connection.query(sql)[0].decode(0, as: Int.self)
    }

    // MARK: a small world

    public struct World: Sendable {
        public let provincial, clinic, township, hangzhouSocial, nanjingClinic, nanjingHospital: String
    }

    /// Institutions in 西湖区 (Hangzhou) and 鼓楼区 (Nanjing), registrars for 浙江, 杭州 and 江苏, an analyst and an HR account.
    public func world() throws -> World {
        func inst(_ name: String, _ region: String, _ serial: Int, _ ownership: String, _ category: String, beds: Int)
            throws -> String
        {
            try run(
                "institution.add",
                [
                    "name": name, "uscc": Make.creditCode(region: region, serial: serial), "region": region,
                    "ownership": ownership, "category": category, "beds": beds
                ]
            ).id!
        }
        let w = World(
            provincial: try inst("浙江省人民医院", "330106", 1, "public", "general-hospital", beds: 2000),
            clinic: try inst("杭州和睦门诊部", "330106", 2, "social", "outpatient-department", beds: 20),
            township: try inst("双浦镇卫生院", "330106", 3, "public", "township-health-center", beds: 40),
            hangzhouSocial: try inst("杭州树兰医院", "330102", 4, "social", "general-hospital", beds: 600),
            nanjingClinic: try inst("南京鼓楼诊所", "320102", 5, "social", "clinic", beds: 0),
            nanjingHospital: try inst("南京市第一医院", "320102", 6, "public", "general-hospital", beds: 1500))
        try run("staff.add", ["id": "zj-reg", "name": "浙江登记员", "role": "registrar", "region": "330000"])
        try run("staff.add", ["id": "hz-reg", "name": "杭州登记员", "role": "registrar", "region": "330100"])
        try run("staff.add", ["id": "js-reg", "name": "江苏登记员", "role": "registrar", "region": "320000"])
        try run("staff.add", ["id": "zj-analyst", "name": "分析员", "role": "analyst", "region": "330000"])
        try run("staff.add", ["id": "clinic-hr", "name": "门诊部人事", "role": "hr", "institution": w.clinic])
        return w
    }

    /// A physician recorded, applied at `institution`, approved on `today`; returns (physician id, registration id).
    public func registeredPhysician(
        _ sequence: Int, at institution: String, scopes: [String] = ["内科"], level: String = "physician",
        region: String = "330106"
    ) throws -> (physician: String, registration: String) {
        let idNumber = Make.residentID(region: region, sequence: sequence)
        let p = try run(
            "physician.add",
            [
                "name": "医师\(sequence)", "id_number": idNumber, "qualification_no": "Q\(sequence)",
                "level": level, "category": "clinical"
            ]
        ).id!
        let r = try run("registration.apply", ["physician": p, "institution": institution, "scope": scopes]).id!
        try run("registration.approve", ["registration": r])
        return (p, r)
    }
}

extension Registry {
    /// An elderly-care host, a township centre in 拱墅, a Nanjing township centre; a pilot over 杭州 (330100) from 2026-01-01.
    public struct Programmes: Sendable {
        public let elderly, gongshuTownship, nanjingTownship, pilot: String
    }

    public func programmes() throws -> Programmes {
        func inst(_ name: String, _ region: String, _ serial: Int, _ category: String) throws -> String {
            try run(
                "institution.add",
                [
                    "name": name, "uscc": Make.creditCode(region: region, serial: serial), "region": region,
                    "ownership": "public", "category": category, "beds": 10
                ]
            ).id!
        }
        return Programmes(
            elderly: try inst("西湖颐养中心", "330106", 20, "elderly-care-medical"),
            gongshuTownship: try inst("拱墅区米市巷街道社区卫生服务中心", "330105", 21, "community-health-center"),
            nanjingTownship: try inst("南京汤山卫生院", "320115", 22, "township-health-center"),
            pilot: try run("pilot.add", ["region": "330100", "from": "2026-01-01"]).id!)
    }

    /// A nurse recorded and registered (approved on `approvedOn`) at `institution`.
    public func registeredNurse(
        _ sequence: Int, at institution: String, regional: Bool, approvedOn: String = "2026-03-02"
    ) throws -> (nurse: String, registration: String) {
        let n = try run(
            "nurse.add",
            [
                "name": "护士\(sequence)",
                "id_number": Make.residentID(region: "330102", born: "19900101", sequence: sequence),
                "qualification_no": "N\(sequence)"
            ]
        ).id!
        let r = try run(
            "nurse.register", ["nurse": n, "institution": institution, "regional": regional, "on": approvedOn]
        ).id!
        try run("nurse.approve", ["registration": r, "on": approvedOn])
        return (n, r)
    }
}
