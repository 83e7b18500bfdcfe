internal import LedgerFormat

/// What recorded requests would have become under a draft policy: each request opened in the
/// window is replayed, command by command, through the same `Decider` the workflow runs, with
/// the draft in place of the version it recorded. Pure: the caller reads the requests.
///
/// The draft's clock ticks when the recorded clock did (at each expiry, escalation or timeout
/// the ledger holds), so an unchanged draft reproduces every recorded decision exactly; a vote
/// after the draft's deadline is refused as expired, as the live rules would refuse it.
public struct PolicySimulation: Sendable {
    /// The draft, as the simulation published it (version 0: it is in no ledger).
    public var draft: PublishedPolicy
    /// The window (requests opened in it) and filters, and the instant it is judged at.
    public var query: MetricsQuery
    /// Every request replayed, in the order given, changed or not.
    public var requests: [RequestSimulation]

    /// The requests whose decision, rule or counted votes would differ.
    public var changes: [RequestSimulation] { requests.filter(\.changed) }

    /// How many requests each recorded rule sent to each draft rule, and how many changed.
    public var ruleCounts: [RuleCount] {
        var counts: [RuleCount] = []
        for request in requests {
            if let index = counts.firstIndex(where: { $0.recordedRule == request.recorded.rule && $0.draftRule == request.draft.rule }) {
                counts[index].requests += 1
                if request.changed { counts[index].changed += 1 }
            } else {
                counts.append(RuleCount(recordedRule: request.recorded.rule ?? "", draftRule: request.draft.rule, requests: 1, changed: request.changed ? 1 : 0))
            }
        }
        return counts.sorted { ($0.recordedRule, $0.draftRule ?? "") < ($1.recordedRule, $1.draftRule ?? "") }
    }

    /// Requests sent from one recorded rule to one draft rule (nil: no draft rule matches).
    public struct RuleCount: Sendable, Hashable {
        public var recordedRule: String
        public var draftRule: String?
        public var requests: Int
        public var changed: Int

        public init(recordedRule: String, draftRule: String?, requests: Int, changed: Int) {
            self.recordedRule = recordedRule
            self.draftRule = draftRule
            self.requests = requests
            self.changed = changed
        }
    }

    /// Milliseconds of waiting the draft would have saved, over the requests it grants sooner.
    public var savedMs: Int64 { requests.reduce(0) { $0 + ($1.latency?.savedMs ?? 0) } }
    /// Milliseconds of waiting the draft would have cost, over the requests it grants later.
    public var costMs: Int64 { requests.reduce(0) { $0 + ($1.latency?.costMs ?? 0) } }
    /// Requests granted as recorded that the draft still holds pending: an unbounded cost.
    public var stillPending: Int { requests.filter { $0.latency == .unbounded }.count }

    /// A latency in words, to the nearest second ("45m", "1h15m"): events are dated to the
    /// millisecond, and "29m59s" for a half-hour wait only distracts.
    public static func duration(_ milliseconds: Int64) -> String {
        DurationText.format((milliseconds + 500) / 1000 * 1000)
    }

    /// Replays every request of `recorded` that `query` selects (opened in its window, its
    /// environment and action) under `draft`.
    public static func run(_ recorded: [RecordedRequest], draft: Policy, query: MetricsQuery) -> PolicySimulation {
        let published = PublishedPolicy(policy: draft, version: 0, hash: draft.contentHash.hex)
        var requests: [RequestSimulation] = []
        for request in recorded {
            guard let opened = request.steps.first?.event, opened.type == ApprovalEvents.opened,
                  query.inWindow(opened.time.millisecondsSinceEpoch),
                  let environment = opened.members.environment, let action = opened.members.action,
                  query.selects(environment: environment, action: action),
                  let simulated = replay(request, draft: published, asOf: query.now)
            else { continue }
            requests.append(simulated)
        }
        return PolicySimulation(draft: published, query: query, requests: requests)
    }

    /// One request under the draft; nil when its stream is not a readable request.
    static func replay(_ request: RecordedRequest, draft: PublishedPolicy, asOf: Timestamp) -> RequestSimulation? {
        let steps = request.steps
        guard let first = steps.first?.event, let recorded = RequestState.fold(steps.map(\.event)),
              case .open(let opening)? = RecordedCommand.command(for: first)
        else { return nil }
        var result = RequestSimulation(
            requestID: recorded.id, action: recorded.action, environment: recorded.environment, resource: recorded.resource,
            openedAt: recorded.openedAt, recorded: SimulatedOutcome(recorded), draft: SimulatedOutcome(recorded), votes: [], latency: nil)

        // A bypass is recorded as its opening and the `request.bypassed` of the same transaction.
        let bypass = steps.count > 1 && steps[1].event.type == ApprovalEvents.bypassed ? steps[1].event : nil
        let command: ApprovalCommand = bypass.map { .bypass(opening, reason: $0.members.reason ?? "") } ?? .open(opening)
        let opened = Decider.decide(state: nil, command: command, actor: first.actor, policy: draft, now: first.time)
        if let refusal = opened.refusal {
            result.draft = SimulatedOutcome(refusedWith: refusal.code)
            result.latency = LatencyChange(recorded: recorded, draft: nil, asOf: asOf)
            return result
        }
        var draftRun = DraftRun(policy: draft)
        draftRun.absorb(opened.events, like: first)

        var previous = bypass ?? first
        // Whether `previous` is a command or one of its outcomes: an outcome right after it, in
        // its transaction, is the command's own; any other outcome is a clock's.
        var inCommand = true
        for step in steps.dropFirst(bypass == nil ? 1 : 2) {
            let event = step.event
            defer {
                previous = event
                // Votes name the stream version their voter saw; the draft judges them against
                // the recorded stream, not its own, which may hold other outcomes.
                draftRun.state?.version = event.streamVersion
            }
            if let command = RecordedCommand.command(for: event) {
                inCommand = true
                let decision = draftRun.decide(command, like: event, mayVote: step.authority.mayVote)
                if case .vote(let vote) = command {
                    let was = VoteVerdict(recorded: event)
                    let now = VoteVerdict(counted: decision.events.first?.type == ApprovalEvents.voteCast, code: decision.refusal?.code)
                    // Only whether it counts: a refusal for another reason changes no decision.
                    if was.counted != now.counted {
                        result.votes.append(VoteChange(seq: event.seq, voter: event.actor, approve: vote.approve, time: event.time, recorded: was, draft: now))
                    }
                }
            } else if RequestReplay.outcomeTypes.contains(event.type) {
                let ownOutcome = inCommand && event.seq == previous.seq + 1 && event.time == previous.time
                    && event.actor == (previous.relayIdentity ?? previous.actor)
                if !ownOutcome {
                    inCommand = false
                    draftRun.decide(.tick, like: event, mayVote: step.authority.mayVote)
                }
            } else {
                inCommand = false
            }
        }
        guard let state = draftRun.state else { return nil }
        result.draft = SimulatedOutcome(state)
        if state.status == .pending { result.draft.stillNeeded = ApprovalNeeds.of(state, policy: draft.policy) }
        result.latency = LatencyChange(recorded: recorded, draft: state, asOf: asOf)
        return result
    }
}

/// A request's replay under the draft: its state, folded from what the `Decider` returns.
private struct DraftRun {
    let policy: PublishedPolicy
    var state: RequestState?

    init(policy: PublishedPolicy) {
        self.policy = policy
    }

    /// Runs `command` as the recorded `event` ran it (same actor, same time) and folds its events.
    @discardableResult
    mutating func decide(_ command: ApprovalCommand, like event: RequestEvent, mayVote: Bool) -> Decision {
        let decision = Decider.decide(state: state, command: command, actor: event.actor, policy: policy, now: event.time, mayVote: mayVote)
        absorb(decision.events, like: event)
        return decision
    }

    /// Folds events the draft's rules produced, dated and signed as the recorded `event` was.
    mutating func absorb(_ events: [DomainEvent], like event: RequestEvent) {
        for produced in events {
            let version = (state?.version ?? 0) + 1
            let folded = RequestEvent(seq: event.seq, streamVersion: version, time: event.time, actor: event.actor, type: produced.type, payload: produced.payload)
            if state == nil { state = RequestState.opened(folded) } else { state?.apply(folded) }
        }
    }
}
