import Testing
import Foundation
import TestSupport

@Suite struct DatabaseCommandTests {
    @Test func regionListPrintsZhejiangsPrefectures() throws {
        let db = try TestCluster.database()
        let r = CLI.run(["region", "list", "--parent", "330000"], database: db.url)
        #expect(r.status == 0, "\(r)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2 + 11)
        #expect(lines[2].hasPrefix("330100  杭州市  prefecture"))
        #expect(lines.last?.hasPrefix("331100  丽水市") == true)
        // Aligned for a terminal: "level" starts at the same display column on every line.
        let columns = lines.map { line -> Int in
            let prefix = line.components(
                separatedBy: line.hasPrefix("code") ? "level" : (line.hasPrefix("---") ? "----------" : "prefecture"))[
                    0]
            return prefix.unicodeScalars.reduce(0) { $0 + (($1.value >= 0x4E00 && $1.value <= 0x9FFF) ? 2 : 1) }
        }
        #expect(Set(columns).count == 1, "\(columns)")
    }

    @Test func regionListInJSONAndCSV() throws {
        let db = try TestCluster.database()
        let json = CLI.run(["region", "list", "--parent", "330100", "--format", "json"], database: db.url)
        #expect(json.status == 0)
        let parsed = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
        let names = parsed?.compactMap { $0["name"] as? String } ?? []
        #expect(names.contains("西湖区"))
        #expect(
            parsed?.allSatisfy { $0["parent"] as? String == "330100" && $0["level"] as? String == "county" } == true)
        let csv = CLI.run(["region", "list", "--level", "province", "--format", "csv"], database: db.url)
        #expect(csv.status == 0)
        #expect(csv.stdout.hasPrefix("code,name,level,parent\r\n110000,北京市,province,\r\n"))
        #expect(csv.stdout.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 32)
    }

    @Test func malformedAndUnknownRegions() throws {
        let db = try TestCluster.database()
        let malformed = CLI.run(["region", "list", "--parent", "33"], database: db.url)
        #expect(malformed.status == 64)
        #expect(malformed.stderr.contains("error[input.region]"))
        #expect(malformed.stderr.contains("--parent"))
        #expect(malformed.stdout.isEmpty)
        let unknown = CLI.run(["region", "list", "--parent", "339999"], database: db.url)
        #expect(unknown.status == 64)
        #expect(unknown.stderr.hasPrefix("error[input.region]: no region has code 339999"))
        let level = CLI.run(["region", "list", "--level", "town"], database: db.url)
        #expect(level.status == 64)
        #expect(level.stderr.contains("--level"))
        let unknownCommand = CLI.run(["registrationz"], database: db.url)
        #expect(unknownCommand.status == 64)
    }

    @Test func unreachableDatabaseExits69WithoutThePassword() {
        let r = CLI.run(
            ["region", "list"], database: "postgresql://clerk:s3cret-pw@127.0.0.1:1/regctl?connect_timeout=3")
        #expect(r.status == 69, "\(r)")
        #expect(r.stderr.hasPrefix("error[db.unavailable]"))
        #expect(r.stderr.contains("127.0.0.1"))
        #expect(!r.stderr.contains("s3cret-pw"))
    }

    @Test func missingServerProgramsExit69WithTheInstallLine() throws {
        let home = "/tmp/regctl-nobin-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: home) }
        let r = CLI.run(
            ["region", "list"], database: nil, home: home, environment: ["REGCTL_PG_BINDIR": "/nonexistent"])
        #expect(r.status == 69, "\(r)")
        #expect(r.stderr.contains("apt-get install -y postgresql"))
    }

    @Test func resetNeedsYes() throws {
        let db = try TestCluster.database()
        let r = CLI.run(["db", "reset"], database: db.url)
        #expect(r.status == 64)
        #expect(r.stderr.contains("--yes"))
        let ok = CLI.run(["db", "reset", "--yes"], database: db.url)
        #expect(ok.status == 0, "\(ok)")
        let c = try db.connect()
        #expect(try c.query("SELECT count(*) FROM region")[0].decode(0, as: Int.self) == 3348)
    }

    /// The embedded cluster's whole life: created on first use, stopped, brought back by any command.
    @Test func stoppedClusterComesBackOnTheNextCommand() throws {
        let home = "/tmp/regctl-lifecycle-\(getpid())"
        defer {
            _ = CLI.run(["db", "stop"], database: nil, home: home)
            try? FileManager.default.removeItem(atPath: home)
        }
        let start = CLI.run(["db", "start"], database: nil, home: home)
        #expect(start.status == 0, "\(start)")
        let url = CLI.run(["db", "url"], database: nil, home: home)
        #expect(url.stdout == "postgresql://regctl@/regctl?host=\(home)/run\n")
        #expect(CLI.run(["db", "stop"], database: nil, home: home).status == 0)
        let stopped = CLI.run(["db", "status", "--format", "csv"], database: nil, home: home)
        #expect(stopped.stdout.contains("state,stopped"), "\(stopped)")
        let again = CLI.run(["region", "list", "--parent", "330000"], database: nil, home: home)
        #expect(again.status == 0, "\(again)")
        #expect(again.stdout.contains("331100  丽水市"))
        let status = CLI.run(["db", "status", "--format", "csv"], database: nil, home: home)
        #expect(status.stdout.contains("state,running"))
        #expect(status.stdout.contains("schema,current"))
    }
}
