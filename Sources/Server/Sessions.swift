import API
import Foundation
import Hummingbird

/// Logging in: the password is checked by PostgreSQL itself (a connection attempt as the account's own
/// login: its SCRAM verifier, and pg_hba.conf's word on where it may come from); failures are throttled per
/// account and per address in the database (every instance alike), and attempts per address on this
/// instance. A session is a random token whose hash the database keeps.
struct Sessions {
    let door: Door

    struct Opened: Sendable {
        let token: String
        let csrf: String
    }

    func open(account: String, password: String, address: String) async throws -> Opened {
        let options = door.options
        if let wait = door.loginLimit.take(address) {
            throw Problem(
                RegctlError("http.login-throttled", "too many login attempts from your address; wait \(wait) s"),
                retryAfter: wait)
        }
        let refused = Problem(
            RegctlError(
                "auth.failed",
                "the account id or the password is wrong, or the account is disabled (ask an admin)",
                status: .authentication))
        // An id that could be no account is refused without asking anyone (and without a key to count).
        guard StaffLogin.isAccountID(account),
            !password.isEmpty, password.utf8.count <= 1024
        else { throw refused }
        let keys = ["account:" + account, "address:" + address]
        if let wait = try await door.pool.withStore({ store -> Int? in
            let window = options.loginWindowSeconds
            let waits = [
                try store.loginBlocked(keys: [keys[0]], limit: options.loginFailures, windowSeconds: window),
                try store.loginBlocked(keys: [keys[1]], limit: options.loginAddressFailures, windowSeconds: window)
            ].compactMap { $0 }
            return waits.max()
        }) {
            throw Problem(
                RegctlError(
                    "http.login-throttled",
                    "too many failed logins for this account or from your address; wait \(wait) s, or ask an admin for a new password"
                ), retryAfter: wait)
        }
        // The connection attempt blocks (a round trip, SCRAM's hashing): on the pool's threads.
        let location = options.location
        let accepted = try await door.pool.threads.runIfActive {
            try location.checkPassword(account: account, password: password)
        }
        let token = Tokens.make(), csrf = Tokens.make()
        let opened = try await door.pool.withStore { store -> Bool in
            guard accepted else {
                try store.recordLoginFailure(keys: keys, windowSeconds: options.loginWindowSeconds)
                return false
            }
            // A login that PostgreSQL admits but that is no active account (the operator's own, say) opens nothing.
            guard let staff = try store.staffRole(account), staff.active else { return false }
            try store.clearLoginFailures(keys: [keys[0]])
            try store.openSession(token: token, account: account, csrf: csrf)
            return true
        }
        guard opened else { throw refused }
        return Opened(token: token, csrf: csrf)
    }
}
