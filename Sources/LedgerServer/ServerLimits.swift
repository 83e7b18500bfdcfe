/// The bounds that keep one client from exhausting the server: checked before a request
/// reaches a route, each answered with problem details.
public struct ServerLimits: Sendable, Hashable {
    /// The largest request body (413 `body-too-large` beyond it): a request's 256 KiB payload
    /// limit, escaped, fits with room to spare; a batch of raw events must be split.
    public static let maxBodyBytes = 1 << 20
    /// The most header bytes a request may send (431 from the HTTP decoder beyond it).
    public static let maxHeaderBytes = 32 << 10

    /// How long a client may take to send its body once the headers arrived (408
    /// `read-timeout`, and the connection is closed), so a slow client cannot hold a worker.
    public var readTimeout: Duration
    /// How long a connection may sit idle between requests before it is closed.
    public var idleTimeout: Duration
    /// Writes being committed at once; one more is answered 503 `server-busy` with
    /// `Retry-After` at once, rather than queued without bound.
    public var maxInFlightWrites: Int
    /// The longest `GET /v1/requests/{id}/wait` may hold a request open.
    public var maxWait: Duration
    /// Requests one requester may open per minute (429 `rate-limited` beyond it).
    public var maxOpensPerMinute: Int

    public init(
        readTimeout: Duration = .seconds(10), idleTimeout: Duration = .seconds(60), maxInFlightWrites: Int = 64, maxWait: Duration = .seconds(300),
        maxOpensPerMinute: Int = 120
    ) {
        self.maxOpensPerMinute = maxOpensPerMinute
        self.readTimeout = readTimeout
        self.idleTimeout = idleTimeout
        self.maxInFlightWrites = maxInFlightWrites
        self.maxWait = maxWait
    }
}
