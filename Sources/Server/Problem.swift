import API
import Foundation
import Hummingbird
import Rendering

/// An error as the network door answers it: RFC 9457 `application/problem+json` carrying the same
/// `code`, `rule` and `field` as the CLI's and exec's errors, the CLI's exit status (`exit`, so that the CLI
/// talking to a server exits as it would locally), and the message in the asked language (`detail`), with
/// the English one beside it (`message`) for programs.
struct Problem: Error {
    let error: RegctlError
    let status: HTTPResponse.Status
    var retryAfter: Int?

    init(_ error: RegctlError, status: HTTPResponse.Status? = nil, retryAfter: Int? = nil) {
        self.error = error
        self.status = status ?? Problem.status(of: error)
        self.retryAfter = retryAfter
    }

    /// The HTTP status of a refusal: usage 400, no session 401, permission 403, not found 404, a record in the
    /// way 409, any other refusal by a rule 422, too large 413, rate limited 429, database unavailable 503.
    static func status(of e: RegctlError) -> HTTPResponse.Status {
        switch e.code {
        case "http.unauthenticated", "auth.failed": return .unauthorized
        case "permission.denied", "http.csrf": return .forbidden
        case "http.too-large": return .contentTooLarge
        case "http.rate-limited", "http.login-throttled": return .tooManyRequests
        case "http.not-found", "http.method": return e.code == "http.method" ? .methodNotAllowed : .notFound
        case "http.timeout": return .requestTimeout
        default: break
        }
        if e.code == "not-found" || e.code.hasSuffix(".not-found") { return .notFound }
        switch e.status {
        case .usage: return .badRequest
        case .unavailable: return .serviceUnavailable
        case .internalError: return .internalServerError
        case .authentication: return .unauthorized
        case .done: return .ok
        case .refused, .importRejected:
            let conflicts = [".exists", ".overlap", "contract-exists", ".duplicate", ".conflict", ".changed", ".live"]
            return conflicts.contains { e.code.hasSuffix($0) } ? .conflict : .unprocessableContent
        }
    }

    /// Any error a route threw, as a problem: our own as they are, the pool's wait as 503, anything else as
    /// the CLI would say it (a bug is 500 and says no more).
    static func from(_ error: Error) -> Problem {
        switch error {
        case let p as Problem: return p
        case is StorePool.PoolExhausted:
            return Problem(
                RegctlError(
                    "db.busy", "every database connection is in use; try again in a moment", status: .unavailable),
                status: .serviceUnavailable, retryAfter: 1)
        case let e as RegctlError: return Problem(e)
        case let h as HTTPError where h.status == .contentTooLarge:
            return Problem(RegctlError("http.too-large", "the request body is over this route's limit", status: .usage))
        case let h as HTTPError:
            return Problem(
                RegctlError("http.request", h.body ?? "the request could not be read", status: .usage), status: h.status
            )
        default: return Problem(RegctlError.from(error))
        }
    }

    func response(language: Language) -> Response {
        let catalogue = Vocabulary.catalogue(language)
        var members = [
            "\"type\":\(JSONText.quote("urn:regctl:error:" + error.code))",
            "\"title\":\(JSONText.quote(status.reasonPhrase))", "\"status\":\(status.code)",
            "\"detail\":\(JSONText.quote(catalogue.message(code: error.code, english: error.message, chinese: error.chinese)))",
            "\"code\":\(JSONText.quote(error.code))", "\"message\":\(JSONText.quote(error.message))",
            "\"exit\":\(error.status.rawValue)"
        ]
        if let rule = error.rule { members.append("\"rule\":\(JSONText.quote(rule))") }
        if let field = error.field { members.append("\"field\":\(JSONText.quote(field))") }
        if let chinese = error.chinese { members.append("\"chinese\":\(JSONText.quote(chinese))") }
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer realm=\"regctl\"" }
        return Response(
            status: status, headers: headers,
            body: .init(byteBuffer: ByteBuffer(string: "{" + members.joined(separator: ",") + "}")))
    }
}

extension RegctlError {
    static func http(_ code: String, _ message: String, status: ExitStatus = .usage, field: String? = nil)
        -> RegctlError
    {
        RegctlError(code, message, status: status, field: field)
    }
}
