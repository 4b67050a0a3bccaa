import API
import Foundation
import Hummingbird
import NIOConcurrencyHelpers

/// Session tokens: 256 bits from the system's generator (`SystemRandomNumberGenerator`: getrandom(2) on
/// Linux), base64url. Only their SHA-256 is stored (`Store.openSession`).
enum Tokens {
    static func make() -> String {
        var rng = SystemRandomNumberGenerator()
        var bytes = [UInt8]()
        for _ in 0..<4 {
            withUnsafeBytes(of: rng.next() as UInt64) { bytes += $0 }
        }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// A token's form (43 characters of base64url): anything else is no session, without asking the database.
    static func wellFormed(_ token: String) -> Bool {
        token.utf8.count == 43
            && token.utf8.allSatisfy { b in
                (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D
                    || b == 0x5F
            }
    }

    /// Compares two texts in time that does not depend on where they differ (the CSRF token).
    static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in x.indices { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}

/// Per-address rate limits of the public routes and of login attempts, per instance: a token bucket per
/// address (refilled at `perMinute`, holding at most `burst`). Login failures are also counted in the
/// database, per account and per address, for every instance alike (`Store.recordLoginFailure`).
final class RateLimiter: Sendable {
    let perMinute: Double
    let burst: Double
    private let buckets = NIOLockedValueBox([String: (tokens: Double, at: Double)]())

    init(perMinute: Int, burst: Int) {
        self.perMinute = Double(max(1, perMinute))
        self.burst = Double(max(1, burst))
    }

    /// Takes one request's token for `address`: nil when allowed, else the seconds to wait.
    func take(_ address: String) -> Int? {
        let now = ProcessInfo.processInfo.systemUptime
        return buckets.withLockedValue { b in
            if b.count > 100_000 {  // forget the addresses that are full again (a bounded table)
                b = b.filter { now - $0.value.at < 60 * burst / perMinute }
            }
            var bucket = b[address] ?? (burst, now)
            bucket.tokens = min(burst, bucket.tokens + (now - bucket.at) * perMinute / 60)
            bucket.at = now
            guard bucket.tokens >= 1 else {
                b[address] = bucket
                return Int(((1 - bucket.tokens) * 60 / perMinute).rounded(.up))
            }
            bucket.tokens -= 1
            b[address] = bucket
            return nil
        }
    }
}

/// How a request says who it is: `Authorization: Bearer TOKEN` (the API, the CLI) or the session cookie
/// (the pages). The cookie is HttpOnly, SameSite=Strict, and Secure under TLS.
enum Credentials {
    static let cookie = "regctl_session"

    static func token(_ request: Request) -> String? {
        if let auth = request.headers[.authorization] {
            let parts = auth.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer" { return String(parts[1]) }
            return nil
        }
        return request.cookies[cookie]?.value
    }

    static func fromCookie(_ request: Request) -> Bool { request.headers[.authorization] == nil }
}
