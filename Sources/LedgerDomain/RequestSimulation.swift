public import LedgerFormat

/// One request replayed under a draft policy: how it was decided, how the draft would have
/// decided it, the votes the draft judges otherwise, and the waiting it would save or cost.
public struct RequestSimulation: Sendable, Hashable {
    public var requestID: String
    public var action: String
    public var environment: String
    public var resource: String
    public var openedAt: Timestamp
    public var recorded: SimulatedOutcome
    public var draft: SimulatedOutcome
    /// Votes the draft counts that were refused, or refuses that were counted, in order.
    public var votes: [VoteChange]
    /// The waiting for a grant the draft saves or costs; nil when neither grants it, or only
    /// the recorded policy did and the draft decides otherwise.
    public var latency: LatencyChange?

    /// True when the draft decides it otherwise, under another rule, or counts other votes.
    public var changed: Bool { recorded != draft || !votes.isEmpty }
}
