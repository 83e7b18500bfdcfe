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
    public var latency: Latency?

    /// True when the draft decides it otherwise, under another rule, or counts other votes.
    public var changed: Bool { recorded != draft || !votes.isEmpty }
}

/// How a request ended (or stands at the simulation's instant) under one policy.
public struct SimulatedOutcome: Sendable, Hashable {
    /// The rule that governs it; nil when no rule of the draft matches (refused at opening).
    public var rule: String?
    /// `pending`, `granted`, `denied`, `expired`, `cancelled`, `bypassed`, or `refused`.
    public var status: String
    /// Granted or denied by the rule alone (risk, timeout), not by votes.
    public var automatic: Bool
    public var decidedAt: Timestamp?
    /// Why the draft refuses to open it (`no-matching-rule`, `break-glass-not-allowed`).
    public var refusal: String?
    /// What a pending request still needs under the draft (only the draft's side has it).
    public var stillNeeded: ApprovalNeeds?

    init(_ state: RequestState) {
        rule = state.ruleName
        status = state.status.rawValue
        automatic = state.automatic
        decidedAt = state.decidedAt
    }

    init(refusedWith code: String) {
        status = "refused"
        automatic = false
        refusal = code
    }

    /// In words: "auto-approved", "granted", "still needs 1 dba", "refused (no-matching-rule)".
    public var summary: String {
        switch status {
        case "granted": return automatic ? "auto-approved" : "granted"
        case "denied": return automatic ? "auto-denied" : "denied"
        case "refused": return "refused (\(refusal ?? "-"))"
        case "pending":
            guard let needs = stillNeeded else { return "pending" }
            var parts = needs.groups.filter { $0.missing > 0 }.map { "\($0.missing) \($0.name)" }
            let extra = needs.missingTotal - needs.groups.reduce(0) { $0 + $1.missing }
            if extra > 0 { parts.append("\(extra) more approval\(extra == 1 ? "" : "s")") }
            return parts.isEmpty ? "pending" : "still needs " + parts.joined(separator: " and ")
        default: return status
        }
    }
}

/// Whether one vote counted, and if not, the code it was refused with.
public struct VoteVerdict: Sendable, Hashable {
    public var counted: Bool
    public var code: String?

    /// `code` is kept only for a vote that does not count.
    public init(counted: Bool, code: String?) {
        self.counted = counted
        self.code = counted ? nil : code
    }

    /// As the ledger recorded it: a `vote.cast` counted, a `vote.rejected` names its code.
    init(recorded event: RequestEvent) {
        self.init(counted: event.type == ApprovalEvents.voteCast, code: event.members.code)
    }

    /// "counted" or "refused (not-eligible)".
    public var summary: String { counted ? "counted" : "refused (\(code ?? "-"))" }
}

/// A recorded vote the draft judges otherwise.
public struct VoteChange: Sendable, Hashable {
    public var seq: Int64
    public var voter: String
    public var approve: Bool
    public var time: Timestamp
    public var recorded: VoteVerdict
    public var draft: VoteVerdict
}

/// The waiting for a grant that the draft changes.
public enum Latency: Sendable, Hashable {
    /// Granted sooner by this many milliseconds (auto-approved, or fewer votes needed).
    case saved(Int64)
    /// Granted later by this many milliseconds (a later vote was needed).
    case cost(Int64)
    /// Granted as recorded, still pending under the draft: the cost has no bound.
    case unbounded
    /// Still pending as recorded, granted under the draft this long before the instant judged.
    case savedAtLeast(Int64)

    var savedMs: Int64 {
        switch self {
        case .saved(let ms), .savedAtLeast(let ms): ms
        default: 0
        }
    }

    var costMs: Int64 { if case .cost(let ms) = self { ms } else { 0 } }

    /// Compares the recorded grant with the draft's; nil when not both (or neither) grant.
    init?(recorded: RequestState, draft: RequestState?, asOf: Timestamp) {
        let recordedGrant = recorded.status == .granted ? recorded.decidedAt : nil
        let draftGrant = draft?.status == .granted ? draft?.decidedAt : nil
        switch (recordedGrant, draftGrant) {
        case (let was?, let now?):
            let delta = was.millisecondsSinceEpoch - now.millisecondsSinceEpoch
            if delta == 0 { return nil }
            self = delta > 0 ? .saved(delta) : .cost(-delta)
        case (.some, nil) where draft?.status == .pending:
            self = .unbounded
        case (nil, let now?) where recorded.status == .pending:
            self = .savedAtLeast(max(0, asOf.millisecondsSinceEpoch - now.millisecondsSinceEpoch))
        default:
            return nil
        }
    }

    /// "saved 2h", "cost 30m", "cost unbounded (still pending)", "saved at least 1d".
    public var summary: String {
        switch self {
        case .saved(let ms): "saved \(PolicySimulation.duration(ms))"
        case .cost(let ms): "cost \(PolicySimulation.duration(ms))"
        case .unbounded: "cost unbounded (still pending)"
        case .savedAtLeast(let ms): "saved at least \(PolicySimulation.duration(ms)) (still pending as recorded)"
        }
    }
}
