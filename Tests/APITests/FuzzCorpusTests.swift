import Testing
import Foundation
import TestSupport

/// Every input the fuzz runs kept (Tests/Fuzz/corpus/TARGET/), replayed through the same check the fuzz
/// target calls: what once crashed, or found new paths, keeps being tested by scripts/test.
@Suite struct FuzzCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "../Fuzz/corpus"
    ).standardized

    @Test(arguments: ["dates", "ids", "csv", "exec", "xlsx"])
    func replay(target: String) throws {
        let directory = Self.corpus.appendingPathComponent(target)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { !$0.hasPrefix(".") }
        #expect(files.count >= 5, "the \(target) corpus holds its seeds and what the runs found")
        let check = try #require(FuzzChecks.targets[target])
        for file in files {
            check(Array(try Data(contentsOf: directory.appendingPathComponent(file))))
        }
    }
}
