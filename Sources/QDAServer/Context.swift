public import Hummingbird
import NIOCore
public import QDAKit

/// A request's context on the workbench server: Hummingbird's, and what the access rules
/// found: the session's CSRF token (pages carry it in a meta element), and on a team server
/// the signed-in user and role.
public struct WorkbenchContext: RequestContext {
    /// Hummingbird's part of the context.
    public var coreContext: CoreRequestContextStorage
    /// The CSRF token of the request's session; nil for a bearer-token request.
    public var csrfToken: String?
    /// The signed-in user on a team server (their codings, memos and reviews carry it).
    public var user: String?
    /// The signed-in user's role on a team server.
    public var role: TeamRole?
    /// The address the request came from (the login rate limit counts per address).
    public var remoteAddress: String?

    /// JSON bodies larger than this are refused (uploads have their own limit).
    public var maxUploadSize: Int { WorkbenchServer.maximumBody }

    /// A new context for a request.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress
    }
}
