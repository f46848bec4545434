import Foundation
import Hummingbird
import QDAKit

/// Signing in and out of a team server (docs/team.md): `POST /api/session` with a user name
/// and password opens a new session (a new id whatever cookie came with the request: no
/// session fixation); a wrong name or password answers the same either way; too many
/// failures per account or address answer 429 with `Retry-After`. bcrypt runs off the
/// server's event loops.
enum Sessions {
    static func add(to router: Router<WorkbenchContext>, access: ServerAccess) {
        router.get("/login") { _, _ -> Response in Pages.html(Pages.login()) }
        router.post("/api/session") { request, context -> Response in
            guard let team = access.team else {
                return JSONResponse.error(.notFound, "This server has no accounts: it is not a team server (--team).")
            }
            return await answer {
                let body = try await request.decode(as: SignIn.self, context: context)
                let address = access.clientAddress(request, context: context)
                if let wait = access.limiter.wait(user: body.user, address: address) {
                    var response = JSONResponse.error(
                        .tooManyRequests, "Too many failed sign-ins; try again in a few minutes.")
                    response.headers[.retryAfter] = String(max(1, wait.components.seconds))
                    return response
                }
                let account = try await offTheEventLoop { try team.verify(body.user, password: body.password) }
                guard let account else {
                    access.limiter.failed(user: body.user, address: address)
                    return JSONResponse.error(.unauthorized, "Wrong user name or password.")
                }
                access.limiter.succeeded(user: account.name)
                if let old = request.cookies[ServerAccess.cookie]?.value { access.closeSession(old) }
                let session = access.openSession(user: account.name)
                try? team.log(user: account.name, action: "sign in", detail: address)
                var response = try JSONResponse.make(
                    ["user": account.name, "role": account.role.rawValue, "csrf": session.csrf])
                response.setCookie(
                    Cookie(
                        name: ServerAccess.cookie, value: session.id, path: "/", secure: access.isSecure(request),
                        httpOnly: true, sameSite: .strict))
                return response
            }
        }
        router.delete("/api/session") { request, context -> Response in
            if let id = request.cookies[ServerAccess.cookie]?.value { access.closeSession(id) }
            if let user = context.user { try? access.team?.log(user: user, action: "sign out", detail: "") }
            var response = Response(status: .noContent)
            response.setCookie(
                Cookie(name: ServerAccess.cookie, value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .strict))
            return response
        }
        router.get("/api/session") { _, context -> Response in
            await answer {
                try JSONResponse.make(["user": context.user ?? "", "role": context.role?.rawValue ?? "owner"])
            }
        }
    }

    /// Runs `work` on a global dispatch queue (bcrypt takes a quarter of a second of CPU).
    static func offTheEventLoop<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async { continuation.resume(with: Result { try work() }) }
        }
    }
}

/// `POST /api/session`.
struct SignIn: Decodable {
    var user: String
    var password: String
}

/// A request its user's role does not allow (403).
struct NotAllowed: Error, CustomStringConvertible {
    var needed: TeamRole
    var role: TeamRole

    var description: String {
        "A \(role.rawValue) may not do this; it needs the role \(needed.rawValue) (ask an admin: qda user role)."
    }
}
