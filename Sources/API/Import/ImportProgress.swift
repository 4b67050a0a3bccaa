import Foundation
import Rendering

/// The progress line an import shows on a terminal: rows read, how far through the file, the rate, and
/// the time left at that rate (when the file's size is known; a pipe has none).
public enum ImportProgress {
    public static func line(rows: Int, fraction: Double?, elapsed: Double, language: Language) -> String {
        let rate = Double(rows) / max(elapsed, 0.001)
        var percent = "", left = ""
        if let fraction, fraction > 0 {
            percent = String(format: language == .zh ? "（%.0f%%）" : " (%.0f%%)", fraction * 100)
            let remaining = Int((elapsed / fraction - elapsed).rounded())
            let (m, s) = (remaining / 60, remaining % 60)
            left =
                language == .zh
                ? "，约剩 " + (m > 0 ? "\(m) 分 " : "") + "\(s) 秒"
                : ", about " + (m > 0 ? "\(m) min " : "") + "\(s) s left"
        }
        let perSecond = String(format: "%.0f", rate)
        return language == .zh
            ? "已读 \(rows) 行\(percent)，每秒 \(perSecond) 行\(left)"
            : "\(rows) rows\(percent), \(perSecond) rows/s\(left)"
    }
}
