import Foundation
import Testing
import TestSupport

/// A report page in a real browser (chromium, headless; scripts/browser-check renders every page at demo
/// scale): the text the browser shows is Chinese, with no key or code left untranslated, and it draws.
@Suite struct BrowserTests {
    @Test func aReportPageInChromium() throws {
        let db = try TestCluster.database()
        let dir = NSTemporaryDirectory() + "regctl-browser-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let env = ["REGCTL_LANG": "zh", "REGCTL_TODAY": "2026-03-02"]
        let institutions =
            "统一社会信用代码,机构名称,区划代码,举办主体,营利性,机构类别,核定床位\n"
            + "\(Make.creditCode(region: "330106", serial: 1)),西湖医院,330106,公立,否,综合医院,300\n"
            + "\(Make.creditCode(region: "330106", serial: 2)),和睦门诊部,330106,社会办,是,门诊部,100\n"
        try institutions.write(toFile: dir + "/i.csv", atomically: true, encoding: .utf8)
        #expect(CLI.run(["import", "institutions", dir + "/i.csv"], database: db.url, environment: env).status == 0)
        let page = dir + "/beds.html"
        let r = CLI.run(
            ["report", "social-beds", "--region", "330000", "--format", "html", "--output", page], database: db.url,
            environment: env)
        #expect(r.status == 0, "\(r)")

        let chromium = ["/usr/bin/env", "chromium", "--headless", "--no-sandbox", "--disable-gpu"]
        let environment = ProcessInfo.processInfo.environment
        let dom = CLI.spawn(chromium + ["--dump-dom", "file://" + page], environment: environment, stdin: "")
        #expect(dom.status == 0, "chromium is needed (scripts/test installs it): \(dom.stderr.suffix(300))")
        let text = dom.stdout.replacing(/<(style|title)[^>]*>[\s\S]*?<\/(style|title)>/, with: " ")
            .replacing(/<[^>]+>/, with: " ")
        #expect(text.contains("社会办医床位占比") && text.contains("杭州市") && text.contains("合计"), "\(text)")
        let untranslated = text.matches(of: /[A-Za-z][A-Za-z_]{2,}/).map { String($0.output) }
        #expect(untranslated.isEmpty, "left in English: \(untranslated)")

        let shot = CLI.spawn(
            chromium + [
                "--hide-scrollbars", "--window-size=1280,900", "--screenshot=\(dir)/beds.png", "file://" + page
            ],
            environment: environment, stdin: "")
        let png = try Data(contentsOf: URL(fileURLWithPath: dir + "/beds.png"))
        #expect(shot.status == 0 && png.starts(with: [0x89, 0x50, 0x4E, 0x47]) && png.count > 10_000, "\(shot)")
    }

    /// The network door from outside, briefly (scripts/check runs it at depth): schemathesis against
    /// /openapi.json finds no 5xx and no answer outside the document, and chromium driven by selenium fills
    /// the public lookup and walks HR's upload (scripts/web-check --smoke).
    @Test func theWebCheckSmoke() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let out = NSTemporaryDirectory() + "regctl-web-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: out) }
        var environment = ProcessInfo.processInfo.environment
        environment["REGCTL_BIN"] = CLI.binary
        environment["REGCTL_WEB_HOME"] = TestCluster.home + "-web"
        let r = CLI.spawn(
            ["/bin/bash", root + "/scripts/web-check", "--smoke", out], environment: environment, stdin: "")
        #expect(r.status == 0, "\(r.stdout.suffix(3000))\n\(r.stderr.suffix(3000))")
        #expect(r.stdout.contains("every page as expected"))
    }
}
