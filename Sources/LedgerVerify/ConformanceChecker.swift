public import LedgerDomain
public import LedgerFormat
public import LedgerStore

/// Earlier events a walk needs again: a request whose replay it evicted, or one that began
/// before the checkpoint a walk started from.
public protocol EarlierEvents {
    func firstType(stream: String) throws -> String?
    func rows(stream: String, before seq: Int64) throws -> [StoredEvent]
    func lastStreamVersion(stream: String, before seq: Int64) throws -> Int64?
}

extension LedgerSnapshot: EarlierEvents {}

/// The conformance and completeness half of verification: replays every request under the
/// policy it recorded (`RequestReplay`), and at the end lists requests left pending past their
/// deadline and break-glass reviews left open. Memory holds the replays of recently active
/// requests and the deadlines of open ones, not the ledger.
struct ConformanceChecker {
    private enum Stream {
        case request(RequestReplay)
        /// Not an approval request: generic events only.
        case other
        /// A payload of the request is redacted, so its replay stops there.
        case unverifiable
    }

    private(set) var policies = PolicyHistory()
    private(set) var requests: Int64 = 0
    private(set) var replayed: Int64 = 0
    private var streams: BoundedCache<String, Stream>
    private var pending: [String: (deadline: Timestamp, seq: Int64)] = [:]
    private var openReviews: [String: (deadline: Timestamp, seq: Int64)] = [:]

    init(streamsInMemory: Int) {
        streams = BoundedCache(capacity: streamsInMemory)
    }

    /// Records a policy version published before the walk's start (see `--since-checkpoint`).
    mutating func preload(policyEvent envelope: EventEnvelope, payload: JSONValue?) {
        if let payload, let policy = try? PublishedPolicy(publishedAt: envelope.seq, payload: payload) { policies.record(policy) }
    }

    /// Checks one event whose signature the walker has resolved. `payloadBytes` is nil when
    /// redacted; it is parsed only for the events a replay reads.
    mutating func check(
        _ envelope: EventEnvelope, payloadBytes: [UInt8]?, capabilities: [Capability], earlier: (any EarlierEvents)?
    ) throws -> [Finding] {
        if envelope.stream == ApprovalEvents.policyStream {
            guard envelope.type == ApprovalEvents.policyPublished, let bytes = payloadBytes else { return [] }
            guard let payload = try? JSONParser.parse(bytes) else {
                return [Finding(.payloadMismatch, seq: envelope.seq, "the policy payload matches its hash but is not valid JSON")]
            }
            do { policies.record(try PublishedPolicy(publishedAt: envelope.seq, payload: payload)) } catch {
                return [Finding(.policyInvalid, seq: envelope.seq, error.message)]
            }
            return []
        }
        guard !envelope.stream.hasPrefix("$") else { return [] }
        let id = envelope.stream
        let isWorkflow = ApprovalEvents.all.contains(envelope.type)
        var stream: Stream
        if let cached = streams[id] {
            stream = cached
        } else {
            stream = envelope.streamVersion == 1
                ? (isWorkflow ? .request(RequestReplay()) : .other)
                : try resume(id, before: envelope.seq, earlier: earlier)
            streams[id] = stream
        }
        guard case .request(var replay) = stream else {
            if case .other = stream, isWorkflow {
                return [Finding(.requestInvalid, seq: envelope.seq, requestID: id, "\(envelope.type) in stream '\(id)', which is not an approval request")]
            }
            return []
        }
        var settled = false
        defer { streams[id] = settled ? nil : stream }
        guard let payload = payloadBytes.flatMap({ try? JSONParser.parse($0) }) else {
            stream = .unverifiable
            pending[id] = nil
            // An absent payload is reported by the walker (`payload-redacted`).
            guard payloadBytes != nil else { return [] }
            return [Finding(.payloadMismatch, seq: envelope.seq, requestID: id, "the payload matches its hash but is not valid JSON, so this request cannot be replayed from here")]
        }
        let event = RequestEvent(
            seq: envelope.seq, streamVersion: envelope.streamVersion, time: envelope.time, actor: envelope.actor,
            type: envelope.type, payload: payload)
        var findings = replay.apply(event, policies: policies, mayVote: Capability.allows(capabilities, eventType: ApprovalEvents.voteCast))
            .map { Finding(Self.code($0.violation), seq: $0.seq, requestID: id, $0.message) }
        replayed += 1
        if envelope.type == ApprovalEvents.opened {
            requests += 1
            if payload["summary"]?.stringValue?.isEmpty ?? true {
                findings.append(Finding(.requestIncomplete, seq: envelope.seq, requestID: id, "the request has no summary of what it changes"))
            }
        }
        if envelope.type == ApprovalEvents.reviewClosed, payload["overdue"]?.boolValue == true {
            findings.append(Finding(.reviewLate, seq: envelope.seq, requestID: id, "the break-glass review was closed after its deadline"))
        }
        track(replay.state, id: id, seq: envelope.seq)
        stream = .request(replay)
        // A settled request is forgotten at once rather than when the cache is full: memory
        // then follows the requests in flight, not the last 50k. Forgetting needs `earlier` to
        // read it back, should an event still come.
        settled = earlier != nil && replay.isSettled
        return findings
    }

    /// Completeness at `now`, and outcomes still owed by the last commands seen.
    func finish(now: Timestamp) -> [Finding] {
        var findings: [Finding] = []
        for case .request(let replay) in streams.values {
            findings += replay.finish().map { Finding(Self.code($0.violation), seq: $0.seq, requestID: replay.state?.id, $0.message) }
        }
        for (id, open) in pending where now >= open.deadline {
            findings.append(Finding(.requestOverdue, seq: open.seq, requestID: id, "still pending after its deadline \(open.deadline): no expiry or decision was recorded (run `ledger tick`)"))
        }
        for (id, review) in openReviews where now > review.deadline {
            findings.append(Finding(.reviewOverdue, seq: review.seq, requestID: id, "the break-glass review was due by \(review.deadline) and is still open"))
        }
        return findings
    }

    private mutating func track(_ state: RequestState?, id: String, seq: Int64) {
        if let state, state.status == .pending {
            pending[id] = pending[id] ?? (state.deadline, state.openedSeq)
        } else {
            pending[id] = nil
        }
        if let review = state?.review, review.closedAt == nil {
            openReviews[id] = openReviews[id] ?? (review.deadline, seq)
        } else {
            openReviews[id] = nil
        }
    }

    /// Rebuilds a stream's replay from its earlier events, which the walk already checked.
    private func resume(_ id: String, before seq: Int64, earlier: (any EarlierEvents)?) throws -> Stream {
        // Most streams that come back are not requests (a service's event stream with many
        // events): one indexed row says so, instead of reading the whole stream.
        guard let earlier, try earlier.firstType(stream: id) == ApprovalEvents.opened else { return .other }
        let rows = try earlier.rows(stream: id, before: seq)
        guard rows.first?.type == ApprovalEvents.opened else { return .other }
        var events: [RequestEvent] = []
        for row in rows {
            guard let bytes = row.payloadBytes, let payload = try? JSONParser.parse(bytes), let time = Timestamp(row.time) else {
                return .unverifiable
            }
            events.append(RequestEvent(seq: row.seq, streamVersion: row.streamVersion, time: time, actor: row.actor, type: row.type, payload: payload))
        }
        guard let state = RequestState.fold(events) else { return .unverifiable }
        return .request(RequestReplay(resuming: state, lastSeq: rows.last!.seq))
    }

    private static func code(_ violation: RequestReplay.Violation) -> FindingCode {
        switch violation {
        case .voteNotAllowed: .voteNotAllowed
        case .rejectionUnfounded: .rejectionUnfounded
        case .executionNotAllowed: .executionNotAllowed
        case .commandRefused: .commandRefused
        case .decisionUnjustified: .decisionUnjustified
        case .decisionMismatch: .decisionMismatch
        case .decisionMissing: .decisionMissing
        case .requestInvalid: .requestInvalid
        }
    }
}
