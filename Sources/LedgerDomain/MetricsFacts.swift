/// The projection rows the approval SLIs are computed from (docs/METRICS.md). The store may
/// pass more rows than the query selects; `ApprovalMetrics` applies the query itself.
public struct MetricsFacts: Sendable, Hashable {
    /// One row per request (`request_timings`).
    public var requests: [RequestTimings]
    public var votes: [VoteRecord]
    public var attempts: [AttemptRecord]
    public var executions: [ExecutionRecord]
    /// The channel of each request's deciding vote (`VoteChannel`), by request id.
    public var decidingChannels: [String: String] = [:]

    /// Facts from rows already read.
    public init(requests: [RequestTimings] = [], votes: [VoteRecord] = [], attempts: [AttemptRecord] = [], executions: [ExecutionRecord] = []) {
        self.requests = requests
        self.votes = votes
        self.attempts = attempts
        self.executions = executions
    }

    /// The facts of one request's projection.
    public mutating func add(_ projection: RequestProjection) {
        requests.append(projection.timings)
        votes += projection.votes
        attempts += projection.attempts
        executions += projection.executions
    }
}
