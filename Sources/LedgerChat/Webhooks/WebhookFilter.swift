public import ApprovalLedger

/// Which events a subscription receives: an event matches when its type matches one of
/// `events` and, when `streams` is given, its stream matches one of those. Patterns are
/// exact names or globs (`request.*`, `*`), as policies match actions.
public struct WebhookFilter: Sendable, Hashable {
    public let events: [Glob]
    /// Nil: every stream.
    public let streams: [Glob]?

    public init(events: [Glob], streams: [Glob]? = nil) {
        self.events = events
        self.streams = streams
    }

    public func matches(type: String, stream: String) -> Bool {
        guard events.contains(where: { $0.matches(type) }) else { return false }
        guard let streams else { return true }
        return streams.contains { $0.matches(stream) }
    }
}
