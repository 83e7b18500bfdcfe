/// A Slack Web API call that did not succeed: Slack's own `error` (`invalid_auth`,
/// `channel_not_found`, `ratelimited`, `invalid_blocks`…), an HTTP status, or no answer.
public struct SlackAPIError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The Web API method, e.g. `chat.postMessage`, or `response_url`.
    public let method: String
    /// Slack's `error` code, or `http-<status>`, or `unreachable`.
    public let error: String
    /// Seconds Slack asked us to wait (`Retry-After` on 429).
    public let retryAfter: Int?

    public init(method: String, error: String, retryAfter: Int? = nil) {
        self.method = method
        self.error = error
        self.retryAfter = retryAfter
    }

    public var description: String { "Slack \(method): \(error)" + (retryAfter.map { " (retry after \($0) s)" } ?? "") }
}
