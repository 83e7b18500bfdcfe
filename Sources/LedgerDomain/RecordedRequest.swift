/// One request as the ledger recorded it, for the policy simulator: its stream's events in
/// order, each with what its signer's key could do (whether it could vote, keep time), since a
/// draft policy judges the same commands by the same two facts as the live workflow.
public struct RecordedRequest: Sendable {
    /// One recorded event and the authority of the key that speaks for its actor.
    public struct Step: Sendable {
        public var event: RequestEvent
        public var authority: SignerAuthority

        public init(event: RequestEvent, authority: SignerAuthority) {
            self.event = event
            self.authority = authority
        }
    }

    /// The stream's events, `request.opened` first, in stream order.
    public var steps: [Step]

    public init(steps: [Step]) {
        self.steps = steps
    }
}
