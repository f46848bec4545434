import Foundation
import HTTPTypes
public import Hummingbird
public import QDAKit
import Synchronization

/// Who may use the server. A one-person server: the holder of the launch token (as
/// `?token=` once, exchanged for a session cookie, or as `Authorization: Bearer` for
/// scripts). A team server (`team`): the users of its accounts, each signed in with a
/// password (`POST /api/session`) to a session of their own (docs/team.md). Either way, only
/// from a page served under one of the host names the server was bound to.
public final class ServerAccess: Sendable {
    /// The launch token printed in the URL (a one-person server's only credential).
    public let token: String
    /// Host names a request's `Host` header may carry (DNS rebinding is refused); empty for
    /// a team server bound to every address, which answers to any name.
    public let hosts: Set<String>
    /// The accounts of a team server; nil for a one-person server.
    public let team: TeamAccounts?
    /// Whether `X-Forwarded-Proto` and `X-Forwarded-For` from a reverse proxy are believed.
    public let trustProxy: Bool
    /// Failed sign-ins, per account and per address.
    let limiter = LoginLimiter()

    struct Session {
        var csrf: String
        var user: String?
        var expires: ContinuousClock.Instant
    }
    /// Session id → session.
    private let sessions = Mutex<[String: Session]>([:])
    /// A session unused for this long ends.
    static let idleLifetime = Duration.seconds(8 * 3600)

    /// The name of the session cookie.
    public static let cookie = "qda_session"

    /// Access for a server bound to `host`, with a new random token unless one is given;
    /// with `team`, a team server of those accounts.
    /// `publicHosts` are the names a reverse proxy in front forwards (its `Host`).
    public init(
        host: String, token: String? = nil, team: TeamAccounts? = nil, trustProxy: Bool = false,
        publicHosts: [String] = []
    ) {
        self.token = token ?? Self.randomToken()
        self.team = team
        self.trustProxy = trustProxy
        var hosts: Set<String> = [host.lowercased()]
        if ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host.lowercased()) {
            hosts.formUnion(["127.0.0.1", "localhost", "[::1]"])
        }
        hosts.formUnion(publicHosts.map { $0.lowercased() })
        if team != nil, ["0.0.0.0", "::", "[::]"].contains(host) { hosts = [] }
        self.hosts = hosts
    }

    /// Whether `host` names an address only this machine reaches.
    public static func isLoopback(_ host: String) -> Bool {
        ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host.lowercased())
    }

    /// 32 random bytes as hex.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    /// A new session (of `user` on a team server); returns its id and CSRF token.
    func openSession(user: String? = nil) -> (id: String, csrf: String) {
        let session = (Self.randomToken(), Self.randomToken())
        sessions.withLock {
            $0[session.0] = Session(csrf: session.1, user: user, expires: .now + Self.idleLifetime)
        }
        return session
    }

    /// Session `id` if it is one and has not expired (using it keeps it alive).
    func session(_ id: String) -> Session? {
        sessions.withLock { sessions in
            guard var session = sessions[id] else { return nil }
            guard session.expires > .now else {
                sessions[id] = nil
                return nil
            }
            session.expires = .now + Self.idleLifetime
            sessions[id] = session
            return session
        }
    }

    /// Ends session `id`.
    func closeSession(_ id: String) { _ = sessions.withLock { $0.removeValue(forKey: id) } }

    /// Ends every session of `user` (their account went or changed).
    func closeSessions(of user: String) { sessions.withLock { $0 = $0.filter { $0.value.user != user } } }

    /// Whether `host` (a `Host` header, with or without a port) names this server.
    func allows(host: String?) -> Bool {
        guard !hosts.isEmpty else { return true }
        guard let host else { return false }
        var name = host.lowercased()
        if name.hasPrefix("[") {
            name = String(name.prefix { $0 != "]" }) + "]"
        } else if let colon = name.lastIndex(of: ":") {
            name = String(name[..<colon])
        }
        return hosts.contains(name)
    }

    /// Whether the request reached the proxy over HTTPS (only when the proxy is trusted).
    func isSecure(_ request: Request) -> Bool {
        trustProxy && request.headers[.xForwardedProto]?.lowercased() == "https"
    }

    /// The client's address: the proxy's word for it when trusted, else the connection's.
    func clientAddress(_ request: Request, context: WorkbenchContext) -> String {
        if trustProxy, let forwarded = request.headers[.xForwardedFor]?.split(separator: ",").first {
            return forwarded.trimmingCharacters(in: .whitespaces)
        }
        return context.remoteAddress ?? "unknown"
    }
}

/// Failed sign-ins in the last `window`, per account and per address: past `perAccount` or
/// `perAddress`, sign-ins are refused (429) until the oldest failure leaves the window.
final class LoginLimiter: Sendable {
    static let window = Duration.seconds(15 * 60)
    static let perAccount = 5
    static let perAddress = 20
    private let failures = Mutex<[String: [ContinuousClock.Instant]]>([:])

    /// How long until `user` from `address` may try again; nil when they may now.
    func wait(user: String, address: String) -> Duration? {
        failures.withLock { failures in
            let now = ContinuousClock.now
            var longest: Duration?
            for (key, limit) in [("user:" + user, Self.perAccount), ("address:" + address, Self.perAddress)] {
                let recent = (failures[key] ?? []).filter { now - $0 < Self.window }
                failures[key] = recent.isEmpty ? nil : recent
                if recent.count >= limit, let oldest = recent.first {
                    let wait = Self.window - (now - oldest)
                    longest = max(longest ?? .zero, wait)
                }
            }
            return longest
        }
    }

    func failed(user: String, address: String) {
        failures.withLock {
            $0["user:" + user, default: []].append(.now)
            $0["address:" + address, default: []].append(.now)
        }
    }

    func succeeded(user: String) { failures.withLock { $0["user:" + user] = nil } }
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
        if access.team != nil { return try await decideForTeam(request, context: context, next: next) }
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
        guard let id = request.cookies[ServerAccess.cookie]?.value, let session = access.session(id) else {
            return Self.problem(
                .unauthorized, "Open the address qda serve printed (it carries the token), or send the token.")
        }
        if let refusal = refusedChange(request, csrf: session.csrf) { return refusal }
        var context = context
        context.csrfToken = session.csrf
        return try await next(request, context)
    }

    /// A team server: the sign-in page, its script and `POST /api/session` are open; all
    /// else needs a session of a user whose account still exists, and takes the role the
    /// account has now.
    private func decideForTeam(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let path = request.uri.path
        if request.method == .get, path == "/login" || path.hasPrefix("/static/") || path == "/favicon.ico" {
            return try await next(request, context)
        }
        if path == "/api/session", request.method == .post {
            // Scripts send neither header; a browser's sign-in must come from this server's page.
            if let refusal = crossSite(request) { return refusal }
            return try await next(request, context)
        }
        guard let id = request.cookies[ServerAccess.cookie]?.value, let session = access.session(id),
            let user = session.user, let role = try access.team?.role(of: user)
        else {
            if request.method == .get, !path.hasPrefix("/api/"), !path.hasPrefix("/download/") {
                return Response(status: .seeOther, headers: [.location: "/login"])
            }
            return Self.problem(.unauthorized, "Sign in first: POST /api/session with your user name and password.")
        }
        if let refusal = refusedChange(request, csrf: session.csrf) { return refusal }
        var context = context
        context.csrfToken = session.csrf
        context.user = user
        context.role = role
        return try await next(request, context)
    }

    /// For a change made with the session cookie: a refusal unless it carries the session's
    /// CSRF token and comes from this server's pages.
    private func refusedChange(_ request: Request, csrf: String) -> Response? {
        guard ![.get, .head].contains(request.method) else { return nil }
        guard let sent = request.headers[.xCSRFToken], constantTimeEqual(sent, csrf) else {
            return Self.problem(.forbidden, "The request has no valid X-CSRF-Token header.")
        }
        return crossSite(request)
    }

    /// A refusal when the browser says the request comes from another site.
    private func crossSite(_ request: Request) -> Response? {
        if let site = request.headers[.secFetchSite], site != "same-origin" {
            return Self.problem(.forbidden, "Only pages of this server may change the project.")
        }
        if let origin = request.headers[.origin] {
            // Same origin: the page's scheme://host:port is the address the request names.
            let url = URL(string: origin)
            let named = url.flatMap { url in url.host.map { host in host + (url.port.map { ":\($0)" } ?? "") } }
            guard let named, access.allows(host: url?.host), named.lowercased() == request.head.authority?.lowercased()
            else { return Self.problem(.forbidden, "Only pages of this server may change the project.") }
        }
        return nil
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
    static let xForwardedProto = Self("X-Forwarded-Proto")!
    static let xForwardedFor = Self("X-Forwarded-For")!
}
