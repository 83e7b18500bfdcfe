public import LedgerFormat

/// What `ledger metrics` measures: the time window, the instant it is judged at, and which
/// requests count. docs/METRICS.md defines each SLI against these.
public struct MetricsQuery: Sendable, Hashable {
    /// Whether the hash chain was checked, and what it showed (M10).
    public enum Chain: Sendable, Hashable {
        /// Not checked: audit completeness leaves the chain out.
        case notChecked
        /// `ledger verify` found no error.
        case valid
        /// Verification failed from this seq on: a request with an event at or after it does
        /// not have a valid chain. 1 when the ledger as a whole failed (e.g. an anchor).
        case invalid(fromSeq: Int64)
    }

    /// The instant everything is judged at: nothing after it counts, and point-in-time
    /// figures (stalled requests, queue depth, unrecovered failures) are taken at it.
    public var now: Timestamp
    /// Start of the window, inclusive; nil: from the first event.
    public var since: Timestamp?
    /// End of the window, exclusive; nil: up to `now` inclusive.
    public var until: Timestamp?
    /// Only requests in this environment (exact match).
    public var environment: String?
    /// Only requests whose action matches this glob (`*` any run, `?` one character).
    public var action: String?
    /// Whether and how the chain counts in M10.
    public var chain: Chain

    /// A query judged at `now`; the other parts default to everything.
    public init(now: Timestamp, since: Timestamp? = nil, until: Timestamp? = nil, environment: String? = nil, action: String? = nil, chain: Chain = .notChecked) {
        self.now = now
        self.since = since
        self.until = until
        self.environment = environment
        self.action = action
        self.chain = chain
    }

    /// True when an event at `milliseconds` falls in the window: at or after `since`, before
    /// `until`, and not after `now`.
    public func inWindow(_ milliseconds: Int64) -> Bool {
        milliseconds <= now.millisecondsSinceEpoch
            && since.map { milliseconds >= $0.millisecondsSinceEpoch } ?? true
            && until.map { milliseconds < $0.millisecondsSinceEpoch } ?? true
    }

    /// True when a request in `environment` doing `action` passes the filters.
    public func selects(environment: String, action: String) -> Bool {
        (self.environment.map { $0 == environment } ?? true) && (self.action.map { Glob($0).matches(action) } ?? true)
    }
}
