internal import LedgerFormat

/// Re-derives one request's events from the policy, event by event: the verifier's proof that
/// every decision followed the rules in force.
///
/// Each recorded event that answers a command (a vote, an execution report, …) is turned back
/// into that command and given to the `Decider` with the state folded so far, the policy the
/// request recorded and the event's own time. The Decider's first event must be the recorded
/// one, byte for byte; the outcomes it adds (a grant, a denial) must follow in the same
/// transaction: the next seqs, same time, same actor. Outcomes with no command before them
/// must be what a `tick` produces at their time. The recorded event is always folded in, so
/// one bad event is reported once rather than poisoning the rest of the stream.
public struct RequestReplay: Sendable {
    /// A way an event departs from the rules.
    public enum Violation: String, Sendable, Hashable {
        /// A vote was counted that the policy refuses (ineligible, self-approval, expired, …).
        case voteNotAllowed
        /// A vote or execution was recorded as refused although the rules allow it.
        case rejectionUnfounded
        /// An execution was reported that the grant does not allow (used, expired, other change).
        case executionNotAllowed
        /// A command the rules refuse outright (cancel by someone else, review by the requester).
        case commandRefused
        /// An outcome (grant, denial, expiry, escalation, bypass) that nothing in the rules produced.
        case decisionUnjustified
        /// The event has the right type but not the content the rules produce.
        case decisionMismatch
        /// The rules required an outcome in the same transaction and it is not there.
        case decisionMissing
        /// The stream's events do not form a request (no valid `request.opened` first).
        case requestInvalid
        /// An outcome only a clock produces (an expiry, escalation or timeout denial) signed by a
        /// key that may not move the ledger's time.
        case clockNotAuthorized
    }

    public struct Problem: Sendable, Hashable {
        public let violation: Violation
        public let seq: Int64
        public let message: String
    }

    public private(set) var state: RequestState?
    /// Outcomes the last command still owes, which must be the next events of its transaction.
    private var owed: [DomainEvent] = [] {
        // The command that owed them is needed only while something is owed.
        didSet { if owed.isEmpty { owedBy = nil } }
    }
    private var owedBy: RequestEvent? {
        get { owedByBox?.value }
        set { owedByBox = newValue.map(Boxed.init) }
    }
    /// The last `request.opened`, so a `request.bypassed` right after it is re-derived as a bypass.
    private var opening: (event: RequestEvent, request: OpenRequest, policy: PublishedPolicy?)? {
        get { openingBox?.value }
        set { openingBox = newValue.map(Boxed.init) }
    }
    // Both held out of line: a verifier keeps a replay per request in flight, and these are
    // set only for an event or two of it (inline they would triple its size).
    private var owedByBox: Boxed<RequestEvent>?
    private var openingBox: Boxed<(event: RequestEvent, request: OpenRequest, policy: PublishedPolicy?)>?
    private var lastSeq: Int64 = 0
    private var reportedInvalid = false

    public init() {}

    /// Resumes a replay from a state folded from earlier, already checked events.
    public init(resuming state: RequestState, lastSeq: Int64) {
        self.state = state
        self.lastSeq = lastSeq
    }

    /// Checks `event`, the next event of this request's stream, then folds it in.
    /// `authority`: what the signing key may do (vote; keep time).
    public mutating func apply(_ event: RequestEvent, policies: PolicyHistory, authority: SignerAuthority) -> [Problem] {
        var problems: [Problem] = []
        defer {
            fold(event)
            lastSeq = event.seq
        }
        // Only the event right after an open can be its bypass; holding the opening longer
        // would keep a payload tree alive for every request of the walk.
        if event.type != ApprovalEvents.bypassed, event.type != ApprovalEvents.opened { opening = nil }
        // An open that a bypass follows was first re-derived as a plain open, whose automatic
        // outcome the bypass replaces.
        if event.type == ApprovalEvents.bypassed, opening != nil { owed = [] }
        if !owed.isEmpty, let by = owedBy {
            if inSameTransaction(event, as: by), event.type == owed[0].type {
                let expected = owed.removeFirst()
                if let difference = Self.difference(expected.payload, event) {
                    owed = []
                    return [Problem(violation: .decisionMismatch, seq: event.seq, message: "\(event.type) differs from what rule \(state?.ruleName ?? "?") produces here (\(difference))")]
                }
                return []
            }
            problems.append(Problem(
                violation: .decisionMissing, seq: by.seq,
                message: "the rules required \(owed.map(\.type).joined(separator: ", ")) in the same transaction as this \(by.type), and it was not appended"))
            owed = []
        }
        if event.type == ApprovalEvents.bypassed {
            return problems + checkBypass(event, policies: policies)
        }
        if let command = RecordedCommand.command(for: event) {
            return problems + check(event, command: command, policies: policies, mayVote: authority.mayVote)
        }
        if RequestReplay.outcomeTypes.contains(event.type) {
            // No command before it in its transaction: only a clock produces it. Expiries and
            // escalations need `clock` by their type, which the key timeline checks already;
            // a timeout denial shares its type with a vote's denial, so it is checked here.
            let derived = check(event, command: .tick, policies: policies, mayVote: authority.mayVote)
            if derived.isEmpty, !authority.keepsTime, !Capability.clockTypes.contains(event.type) {
                problems.append(Problem(
                    violation: .clockNotAuthorized, seq: event.seq,
                    message: "\(event.type) here is a clock's outcome (a timeout), but its signer's key lacks the clock capability"))
            }
            return problems + derived
        }
        if ApprovalEvents.all.contains(event.type) {
            problems.append(Problem(violation: .decisionMismatch, seq: event.seq, message: "the payload of this \(event.type) event cannot be read as the command it records"))
        }
        return problems
    }

    /// True when nothing is owed and a well-run workflow appends nothing more to this request:
    /// decided against, or its grant used up with any failure recovered, and no review open.
    /// A verifier may then forget the replay and rebuild it from the stream if an event comes.
    public var isSettled: Bool {
        guard owed.isEmpty, opening == nil, let state, state.status.isTerminal else { return false }
        if let review = state.review, review.closedAt == nil { return false }
        guard let grant = state.grant else { return true }
        guard grant.oneShot, let last = state.executions.last else { return false }
        return last.succeeded || state.recoveredAt != nil
    }

    /// What a replay that ends here still expects.
    public func finish() -> [Problem] {
        guard !owed.isEmpty, let by = owedBy else { return [] }
        return [Problem(
            violation: .decisionMissing, seq: by.seq,
            message: "the rules required \(owed.map(\.type).joined(separator: ", ")) in the same transaction as this \(by.type), and it was not appended")]
    }

    static let outcomeTypes: Set<String> = [
        ApprovalEvents.granted, ApprovalEvents.denied, ApprovalEvents.expired, ApprovalEvents.escalated,
    ]

    /// The outcomes of a relayed command are the relay's own events (it ran the rules), so they
    /// speak for the relay key's identity rather than for the caller.
    private func inSameTransaction(_ event: RequestEvent, as previous: RequestEvent) -> Bool {
        event.seq == lastSeq + 1 && event.time == previous.time && event.actor == (previous.relayIdentity ?? previous.actor)
    }

    private mutating func check(_ event: RequestEvent, command: ApprovalCommand, policies: PolicyHistory, mayVote: Bool) -> [Problem] {
        if state == nil, event.type != ApprovalEvents.opened { return invalid(event) }
        let isOpen = event.type == ApprovalEvents.opened
        if isOpen, state != nil {
            return [Problem(violation: .requestInvalid, seq: event.seq, message: "a second request.opened in the same stream")]
        }
        let policy = isOpen ? policies.current : state.flatMap { policies.version($0.policyVersion) }
        let decision = Decider.decide(state: state, command: command, actor: event.actor, policy: policy, now: event.time, mayVote: mayVote)
        if isOpen, case .open(let request) = command { opening = (event, request, policy) }
        return compare(event, with: decision)
    }

    /// A bypass is re-derived together with the `request.opened` just before it.
    private mutating func checkBypass(_ event: RequestEvent, policies: PolicyHistory) -> [Problem] {
        guard let opening, inSameTransaction(event, as: opening.event), let reason = event.payload["reason"]?.stringValue else {
            return [Problem(violation: .decisionUnjustified, seq: event.seq, message: "a request.bypassed must be appended with the request.opened it bypasses")]
        }
        self.opening = nil
        var decision = Decider.decide(
            state: nil, command: .bypass(opening.request, reason: reason), actor: opening.event.actor, policy: opening.policy,
            now: opening.event.time)
        guard decision.events.count >= 2 else {
            return [Problem(violation: .decisionUnjustified, seq: event.seq, message: "break-glass is not allowed here: \(decision.refusal?.message ?? "the rules produce no bypass")")]
        }
        decision.events.removeFirst()
        return compare(event, with: decision)
    }

    private mutating func compare(_ event: RequestEvent, with decision: Decision) -> [Problem] {
        guard let first = decision.events.first else {
            if event.type == ApprovalEvents.escalated || event.type == ApprovalEvents.expired || event.type == ApprovalEvents.granted
                || event.type == ApprovalEvents.denied {
                return [Problem(violation: .decisionUnjustified, seq: event.seq, message: "\(event.type) was appended but the rules produce no outcome here\(decision.refusal.map { ": \($0.message)" } ?? "")")]
            }
            return [Problem(violation: .commandRefused, seq: event.seq, message: "\(event.type) was appended although the rules refuse it: \(decision.refusal?.message ?? "no event is due")")]
        }
        guard first.type == event.type else {
            let refusal = decision.refusal?.message ?? "the rules produce \(first.type) here"
            let violation: Violation = switch (event.type, first.type) {
            case (ApprovalEvents.voteCast, ApprovalEvents.voteRejected): .voteNotAllowed
            case (ApprovalEvents.executed, ApprovalEvents.executionRefused): .executionNotAllowed
            case (ApprovalEvents.voteRejected, _), (ApprovalEvents.executionRefused, _): .rejectionUnfounded
            default: RequestReplay.outcomeTypes.contains(event.type) ? .decisionUnjustified : .decisionMismatch
            }
            return [Problem(violation: violation, seq: event.seq, message: "\(event.type) was recorded where the rules produce \(first.type): \(refusal)")]
        }
        if let difference = Self.difference(first.payload, event) {
            return [Problem(violation: .decisionMismatch, seq: event.seq, message: "\(event.type) differs from what the rules produce here (\(difference))")]
        }
        owed = Array(decision.events.dropFirst())
        owedBy = owed.isEmpty ? nil : event
        return []
    }

    private mutating func invalid(_ event: RequestEvent) -> [Problem] {
        guard !reportedInvalid else { return [] }
        reportedInvalid = true
        return [Problem(violation: .requestInvalid, seq: event.seq, message: "\(event.type) in a stream that is not a valid request (it must start with a readable request.opened)")]
    }

    private mutating func fold(_ event: RequestEvent) {
        if state == nil {
            if event.type == ApprovalEvents.opened { state = RequestState.opened(event) }
        } else {
            state?.apply(event)
        }
    }

    /// Names the members in which `expected` and the payload of `event` differ, or nil when
    /// their canonical bytes agree. Stored bytes equal to the expected canonical bytes agree
    /// at once (writers store payloads in canonical form); any other bytes are compared as
    /// parsed, so a payload stored in another form but with the same content still agrees.
    static func difference(_ expected: JSONValue, _ event: RequestEvent) -> String? {
        let expectedBytes = CanonicalJSON.encode(expected)
        if let stored = event.storedPayloadBytes, stored == expectedBytes { return nil }
        let recorded = event.payload
        guard expectedBytes != CanonicalJSON.encode(recorded) else { return nil }
        guard case .object(let want) = expected, case .object(let got) = recorded else { return "payload" }
        let names = Set(want.keys).union(got.keys).sorted().filter { name in
            want[name].map { CanonicalJSON.encode($0) } != got[name].map { CanonicalJSON.encode($0) }
        }
        return "differing: " + names.map { Identifier.printable($0) }.joined(separator: ", ")
    }
}
