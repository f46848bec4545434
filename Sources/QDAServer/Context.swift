public import Hummingbird

/// A request's context on the workbench server: Hummingbird's, and the session's CSRF
/// token once the access rules let the request in (pages carry it in a meta element).
public struct WorkbenchContext: RequestContext {
    /// Hummingbird's part of the context.
    public var coreContext: CoreRequestContextStorage
    /// The CSRF token of the request's session; nil for a bearer-token request.
    public var csrfToken: String?

    /// JSON bodies larger than this are refused (uploads have their own limit).
    public var maxUploadSize: Int { WorkbenchServer.maximumBody }

    /// A new context for a request.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }
}
