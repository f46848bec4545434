import Foundation
import HTTPTypes
import Hummingbird
import Synchronization

/// Who may use the server: the holder of the launch token (as `?token=` once, exchanged for
/// a session cookie, or as `Authorization: Bearer` for scripts), from a page served under
/// one of the host names the server was bound to.
public final class ServerAccess: Sendable {
    /// The launch token printed in the URL.
    public let token: String
    /// Host names a request's `Host` header may carry (DNS rebinding is refused).
    public let hosts: Set<String>
    /// Session id → CSRF token.
    private let sessions = Mutex<[String: String]>([:])

    /// The name of the session cookie.
    public static let cookie = "qda_session"

    /// Access for a server bound to `host`, with a new random token unless one is given.
    public init(host: String, token: String? = nil) {
        self.token = token ?? Self.randomToken()
        var hosts: Set<String> = [host.lowercased()]
        if ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host.lowercased()) {
            hosts.formUnion(["127.0.0.1", "localhost", "[::1]"])
        }
        self.hosts = hosts
    }

    /// 32 random bytes as hex.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    /// A new session; returns its id and CSRF token.
    func openSession() -> (id: String, csrf: String) {
        let session = (Self.randomToken(), Self.randomToken())
        sessions.withLock { $0[session.0] = session.1 }
        return session
    }

    /// The CSRF token of session `id`, if it is one.
    func csrf(of id: String) -> String? { sessions.withLock { $0[id] } }

    /// Whether `host` (a `Host` header, with or without a port) names this server.
    func allows(host: String?) -> Bool {
        guard let host else { return false }
        var name = host.lowercased()
        if name.hasPrefix("[") {
            name = String(name.prefix { $0 != "]" }) + "]"
        } else if let colon = name.lastIndex(of: ":") {
            name = String(name[..<colon])
        }
        return hosts.contains(name)
    }
}

/// The access rules, before any route: the `Host`, then the token, the bearer or the
/// session, and for a state change made with the session cookie its CSRF token and a
/// same-origin request. Every response carries a Content-Security-Policy without inline
/// script and is not to be sniffed or framed.
struct AccessMiddleware: RouterMiddleware {
    typealias Context = WorkbenchContext
    let access: ServerAccess

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        let started = ContinuousClock.now
        var response = try await decide(request, context: context, next: next)
        // The time the server spent, for benchmarks and the browser's network panel.
        let spent = ContinuousClock.now - started
        let milliseconds = Double(spent.components.seconds) * 1e3 + Double(spent.components.attoseconds) / 1e15
        response.headers[.serverTiming] = "app;dur=\(String(format: "%.2f", milliseconds))"
        response.headers[.contentSecurityPolicy] =
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
            + "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.referrerPolicy] = "no-referrer"
        return response
    }

    private func decide(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        guard access.allows(host: request.head.authority) else {
            return Self.problem(.misdirectedRequest, "This server does not answer to that host name.")
        }
        if let bearer = request.headers[.authorization], bearer.hasPrefix("Bearer ") {
            guard constantTimeEqual(String(bearer.dropFirst(7)), access.token) else {
                return Self.problem(.unauthorized, "The token is not this server's.")
            }
            return try await next(request, context)
        }
        if let token = request.uri.queryParameters["token"] {
            guard constantTimeEqual(String(token), access.token) else {
                return Self.problem(.unauthorized, "The token is not this server's.")
            }
            // The token is exchanged once for a session cookie, and the address loses it.
            let session = access.openSession()
            var response = Response(status: .seeOther, headers: [.location: request.uri.path])
            response.setCookie(
                Cookie(
                    name: ServerAccess.cookie, value: session.id, path: "/", httpOnly: true, sameSite: .strict))
            return response
        }
        guard let session = request.cookies[ServerAccess.cookie]?.value, let csrf = access.csrf(of: session) else {
            return Self.problem(
                .unauthorized, "Open the address qda serve printed (it carries the token), or send the token.")
        }
        if ![.get, .head].contains(request.method) {
            guard let sent = request.headers[.xCSRFToken], constantTimeEqual(sent, csrf) else {
                return Self.problem(.forbidden, "The request has no valid X-CSRF-Token header.")
            }
            if let site = request.headers[.secFetchSite], site != "same-origin" {
                return Self.problem(.forbidden, "Only pages of this server may change the project.")
            }
            if let origin = request.headers[.origin], !access.allows(host: URL(string: origin)?.host) {
                return Self.problem(.forbidden, "Only pages of this server may change the project.")
            }
        }
        var context = context
        context.csrfToken = csrf
        return try await next(request, context)
    }

    static func problem(_ status: HTTPResponse.Status, _ message: String) -> Response {
        JSONResponse.error(status, message)
    }
}

/// Compares two secrets in time that does not depend on where they differ.
func constantTimeEqual(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8)
    let y = Array(b.utf8)
    guard x.count == y.count else { return false }
    var difference: UInt8 = 0
    for i in x.indices { difference |= x[i] ^ y[i] }
    return difference == 0
}

extension HTTPField.Name {
    static let xCSRFToken = Self("X-CSRF-Token")!
    static let secFetchSite = Self("Sec-Fetch-Site")!
    static let xContentTypeOptions = Self("X-Content-Type-Options")!
    static let referrerPolicy = Self("Referrer-Policy")!
    static let serverTiming = Self("Server-Timing")!
}
