public import Hummingbird

/// The request context of `ledger serve`: Hummingbird's core storage and the caller the
/// authentication middleware proved (nil only before it ran).
public struct ServerContext: AuthenticatedContext {
    public var coreContext: CoreRequestContextStorage
    public var caller: Caller?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        caller = nil
    }

    /// The body limit, the one `RequestBodyReader` enforces (413 `body-too-large` beyond it).
    public var maxUploadSize: Int { ServerLimits.maxBodyBytes }
}
