import AsyncHTTPClient

/// The AsyncHTTPClient that webhook deliveries go through (by way of `OutboundHTTP`),
/// configured for them rather than for a browser-like caller:
///
/// - redirects are not followed: the Standard Webhooks specification counts a 3xx as a
///   failure (the subscription's URL should be updated instead), and following one would send
///   a signed body to a host the file never named;
/// - a connection that cannot be made fails the attempt at once, instead of being retried by
///   the pool until the attempt's deadline: the delivery loop has its own backoff, and a
///   receiver that is down should cost one refused connection per attempt, not a `timeout`.
enum WebhookHTTPClient {
    /// One for the process, never shut down (like `HTTPClient.shared`): delivery loops share
    /// its connection pool and it lives as long as the server.
    static let shared: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()
}
