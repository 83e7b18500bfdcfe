internal import LedgerDomain
internal import LedgerFormat
public import LedgerStore

/// Earlier events a walk needs again: a request whose replay it evicted, or one that began
/// before the checkpoint a walk started from.
public protocol EarlierEvents {
    func firstType(stream: String) throws -> String?
    func rows(stream: String, before seq: Int64) throws -> [StoredEvent]
    func lastStreamVersion(stream: String, before seq: Int64) throws -> Int64?
    /// The row at `seq` (a redaction's target), nil when there is none.
    func row(seq: Int64) throws -> StoredEvent?
}

extension LedgerSnapshot: EarlierEvents {}

/// The conformance and completeness half of verification: replays every request under the
/// policy it recorded (`RequestReplay`), and at the end lists requests left pending past their
/// deadline and break-glass reviews left open. Memory holds the replays of recently active
/// requests and the deadlines of open ones, not the ledger.
struct ConformanceChecker {
    private enum Stream {
        /// A request's replay, and its projection's rows so far when projections are checked.
        case request(RequestReplay, RequestProjection.Records?)
        /// Not an approval request: generic events only.
        case other
        /// In a bundle, a payload of the request is withheld, so its replay stops there.
        case withheld
    }

    private(set) var policies = PolicyHistory()
    private(set) var requests: Int64 = 0
    private(set) var replayed: Int64 = 0
    private var streams: BoundedCache<String, Stream>
    private var pending: [String: (deadline: Timestamp, seq: Int64)] = [:]
    private var openReviews: [String: (deadline: Timestamp, seq: Int64)] = [:]
    private let allowsWithheldPayloads: Bool
    /// Requests of a bundle whose replay stopped at a withheld payload.
    private(set) var withheld: Int64 = 0
    /// Whether each request is also projected as it is replayed, for the projection tables to
    /// be held to (`takeReleasedProjections`).
    private let projects: Bool
    /// Projections of requests the walk has let go of (settled, or forgotten to make room):
    /// final unless their stream has events still to come, which resume them.
    private var released: [RequestProjection] = []

    init(streamsInMemory: Int, allowsWithheldPayloads: Bool = false, projects: Bool = false) {
        streams = BoundedCache(capacity: streamsInMemory)
        self.allowsWithheldPayloads = allowsWithheldPayloads
        self.projects = projects
    }

    /// The projections of the requests let go of since the last call; with `all`, also of
    /// every request still held (at the end of the walk).
    mutating func takeReleasedProjections(all: Bool = false) -> [RequestProjection] {
        if all {
            for case .request(let replay, let records) in streams.values { release(replay, records) }
        }
        defer { released = [] }
        return released
    }

    private mutating func release(_ replay: RequestReplay, _ records: RequestProjection.Records?) {
        if let records, let state = replay.state { released.append(RequestProjection(state: state, records: records)) }
    }

    /// Sets a stream's entry; the requests forgotten to make room are released.
    private mutating func setStream(_ id: String, _ stream: Stream?) {
        for (_, evicted) in streams.update(id, to: stream) {
            if case .request(let replay, let records) = evicted { release(replay, records) }
        }
    }

    /// Records a policy version published before the walk's start (see `--since-checkpoint`).
    mutating func preload(policyEvent envelope: EventEnvelope, payload: JSONValue?) {
        if let payload, let policy = try? PublishedPolicy(publishedAt: envelope.seq, payload: payload) { policies.record(policy) }
    }

    /// A signed request.opened whose statement was not an `open`: it may be a `bypass`, which
    /// the next event (its `request.bypassed`) completes.
    private var signedOpening: (seq: Int64, stream: String, request: OpenRequest, signature: CommandSignature, ledgerID: String)?

    /// Checks one event whose signature the walker has resolved. `payloadBytes` is nil when
    /// redacted; it is parsed only for the events a replay reads. `capabilities` are those
    /// that speak for the actor (a relayed event's: its relay's; a signed one's: its caller's);
    /// `relayIdentity` is the relay key's identity when a relay appended it.
    mutating func check(
        _ envelope: EventEnvelope, payloadBytes: [UInt8]?, capabilities: [Capability], relayIdentity: String? = nil,
        ledgerID: String = "", earlier: (any EarlierEvents)?
    ) throws -> [Finding] {
        var findings = settleSignedOpening(next: envelope, payloadBytes: payloadBytes)
        findings += try checkEvent(envelope, payloadBytes: payloadBytes, capabilities: capabilities, relayIdentity: relayIdentity, ledgerID: ledgerID, earlier: earlier)
        return findings
    }

    private mutating func checkEvent(
        _ envelope: EventEnvelope, payloadBytes: [UInt8]?, capabilities: [Capability], relayIdentity: String?,
        ledgerID: String, earlier: (any EarlierEvents)?
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
                ? (isWorkflow ? .request(RequestReplay(), nil) : .other)
                : try resume(id, before: envelope.seq, earlier: earlier)
            setStream(id, stream)
        }
        guard case .request(var replay, var records) = stream else {
            if case .other = stream, isWorkflow {
                return [Finding(.requestInvalid, seq: envelope.seq, requestID: id, "\(envelope.type) in stream '\(id)', which is not an approval request")]
            }
            return []
        }
        var settled = false
        defer {
            if settled {
                setStream(id, nil)
                if case .request(let replay, let records) = stream { release(replay, records) }
            } else {
                setStream(id, stream)
            }
        }
        var findings: [Finding] = []
        let payload: JSONValue
        if let bytes = payloadBytes, let parsed = try? JSONParser.parse(bytes) {
            payload = parsed
        } else if payloadBytes == nil, allowsWithheldPayloads, isWorkflow {
            // Only a workflow event's payload stops the replay: a service's own event in the
            // request's stream (erased on record, or withheld) carries nothing the rules read.
            stream = .withheld
            pending[id] = nil
            openReviews[id] = nil
            withheld += 1
            return [Finding(.requestWithheld, seq: envelope.seq, requestID: id, "the bundle withholds the payload of this \(envelope.type) event, so the request's replay stops here: what follows is not re-derived")]
        } else {
            // The walker reports an absent payload (`payload-missing`); one that is not JSON is
            // reported here. Either way the event is replayed as every command reads it, with
            // an empty payload, so what the tools act on is what is checked.
            if payloadBytes != nil {
                findings.append(Finding(.payloadMismatch, seq: envelope.seq, requestID: id, "the payload matches its hash but is not valid JSON; the event is replayed with an empty payload"))
            }
            payload = .object(JSONObject())
        }
        var event = RequestEvent(
            seq: envelope.seq, streamVersion: envelope.streamVersion, time: envelope.time, actor: envelope.actor,
            type: envelope.type, payload: payload)
        event.relayIdentity = relayIdentity
        if case .relayed(let via) = envelope.origin { event.relayedVia = via }
        if case .signed(let signature) = envelope.origin {
            findings += checkStatement(event, stream: id, signature: signature, ledgerID: ledgerID)
        }
        findings += replay.apply(event, policies: policies, authority: SignerAuthority(capabilities: capabilities))
            .map { Finding(Self.code($0.violation), seq: $0.seq, requestID: id, $0.message) }
        replayed += 1
        if envelope.streamVersion == 1 {
            // The projection exists only for a stream opened by a well-formed request.opened
            // naming it, as `RequestProjection(stream:events:)` decides.
            if projects, envelope.type == ApprovalEvents.opened, replay.state?.id == id {
                records = RequestProjection.Records(stream: id, openingSeq: envelope.seq)
            }
        } else {
            records?.add(event)
        }
        if envelope.type == ApprovalEvents.opened {
            requests += 1
            if payload["requestId"]?.stringValue != id {
                findings.append(Finding(.requestInvalid, seq: envelope.seq, requestID: id, "the request.opened names request '\(Identifier.printable(payload["requestId"]?.stringValue ?? "-"))', not its stream '\(Identifier.printable(id))': the commands and projections would not find it under either"))
            }
            if payload["summary"]?.stringValue?.isEmpty ?? true {
                findings.append(Finding(.requestIncomplete, seq: envelope.seq, requestID: id, "the request has no summary of what it changes"))
            }
        }
        if envelope.type == ApprovalEvents.reviewClosed, payload["overdue"]?.boolValue == true {
            findings.append(Finding(.reviewLate, seq: envelope.seq, requestID: id, "the break-glass review was closed after its deadline"))
        }
        track(replay.state, id: id, seq: envelope.seq)
        stream = .request(replay, records)
        // A settled request is forgotten at once rather than when the cache is full: memory
        // then follows the requests in flight, not the last 50k. Forgetting needs `earlier` to
        // read it back, should an event still come.
        settled = earlier != nil && replay.isSettled
        return findings
    }

    /// A signed command's event must be the command its caller signed: the statement read back
    /// from the event (`RecordedCommand`) must hash to what the signature covers.
    private mutating func checkStatement(_ event: RequestEvent, stream: String, signature: CommandSignature, ledgerID: String) -> [Finding] {
        guard let hash = signature.hash else { return [] }
        guard let command = RecordedCommand.command(for: event) else {
            return [Finding(.commandMismatch, seq: event.seq, requestID: stream, "\(event.type) carries a caller's signed command, but it records no command a caller signs: outcomes are the relay's own events")]
        }
        if command.statementHash(of: signature, ledgerID: ledgerID, stream: stream) == hash { return [] }
        if case .open(let request) = command {
            signedOpening = (event.seq, stream, request, signature, ledgerID)
            return []
        }
        return [Finding(.commandMismatch, seq: event.seq, requestID: stream, "the \(event.type) is not the command its caller signed: the command read back from the event does not hash to the \(hash.hex.prefix(16))… the signature covers")]
    }

    /// Resolves a signed opening that was not an `open` once the next event is seen.
    private mutating func settleSignedOpening(next envelope: EventEnvelope?, payloadBytes: [UInt8]?) -> [Finding] {
        guard let opening = signedOpening else { return [] }
        signedOpening = nil
        if let envelope, envelope.seq == opening.seq + 1, envelope.stream == opening.stream, envelope.type == ApprovalEvents.bypassed,
           let bytes = payloadBytes, let reason = (try? JSONParser.parse(bytes))?["reason"]?.stringValue,
           ApprovalCommand.bypass(opening.request, reason: reason).statementHash(of: opening.signature, ledgerID: opening.ledgerID, stream: opening.stream)
               == opening.signature.hash {
            return []
        }
        return [Finding(.commandMismatch, seq: opening.seq, requestID: opening.stream, "the request.opened is not the command its caller signed (neither the open nor a break-glass bypass the caller's signature covers)")]
    }

    /// Completeness at `now`, and outcomes still owed by the last commands seen.
    mutating func finish(now: Timestamp) -> [Finding] {
        var findings: [Finding] = settleSignedOpening(next: nil, payloadBytes: nil)
        for case .request(let replay, _) in streams.values {
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
            // Rows the walk (or the prefix proof) already checked: their columns equal their
            // envelopes, and their payloads their commitments.
            let payload = row.payloadBytes.flatMap { try? JSONParser.parse($0) }
            if payload == nil, row.payloadBytes == nil, allowsWithheldPayloads, ApprovalEvents.all.contains(row.type) { return .withheld }
            guard let time = Timestamp(row.time) else { return .other }
            events.append(RequestEvent(
                seq: row.seq, streamVersion: row.streamVersion, time: time, actor: row.actor, type: row.type,
                payload: payload ?? .object(JSONObject())))
        }
        guard let state = RequestState.fold(events) else { return .other }
        var records: RequestProjection.Records?
        if projects, state.id == id {
            records = RequestProjection.Records(stream: id, openingSeq: events[0].seq)
            for event in events.dropFirst() { records?.add(event) }
        }
        return .request(RequestReplay(resuming: state, lastSeq: rows.last!.seq), records)
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
        case .clockNotAuthorized: .keyNotAuthorized
        }
    }
}
