internal import LedgerDomain
internal import LedgerFormat
internal import LedgerStore

/// The conformance and completeness half of verification: replays every request under the
/// policy it recorded (`RequestReplay`), and at the end lists requests left pending past their
/// deadline and break-glass reviews left open. Memory holds the replays of recently active
/// requests and the deadlines of open ones, not the ledger.
struct ConformanceChecker {
    private enum Stream {
        /// A request, replayed in `held` at this index.
        case request(Int)
        /// Not an approval request: generic events only.
        case other
        /// In a bundle, a payload of the request is withheld, so its replay stops there.
        case withheld
    }

    /// A request's replay, and its projection's rows so far when projections are checked.
    private struct Held {
        var replay = RequestReplay()
        var records: RequestProjection.Records?
    }

    private(set) var policies = PolicyHistory()
    private(set) var requests: Int64 = 0
    private(set) var replayed: Int64 = 0
    private var streams: BoundedCache<String, Stream>
    /// The requests `streams` holds, each updated in place by its events; freed slots are
    /// reused, so the array stays as long as the most requests held at once.
    private var held: [Held] = []
    private var freeSlots: [Int] = []
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

    /// The projections of the requests let go of since the last call.
    mutating func takeReleasedProjections() -> [RequestProjection] {
        defer { released = [] }
        return released
    }

    /// Calls `body` with the projection of every request still held, at the end of the walk,
    /// one at a time (they are as many as the requests in flight).
    func forEachHeldProjection(_ body: (RequestProjection) throws -> Void) rethrows {
        for slot in held {
            if let records = slot.records, let state = slot.replay.state { try body(RequestProjection(state: state, records: records)) }
        }
    }

    private mutating func hold(_ slot: Held) -> Int {
        if let index = freeSlots.popLast() {
            held[index] = slot
            return index
        }
        held.append(slot)
        return held.count - 1
    }

    /// Frees a request's slot, releasing its projection.
    private mutating func letGo(_ index: Int) {
        if let records = held[index].records, let state = held[index].replay.state {
            released.append(RequestProjection(state: state, records: records))
        }
        held[index] = Held()
        freeSlots.append(index)
    }

    /// Sets a stream's entry; the requests forgotten to make room are let go of.
    private mutating func setStream(_ id: String, _ stream: Stream?) {
        for (_, evicted) in streams.update(id, to: stream) {
            if case .request(let index) = evicted { letGo(index) }
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
        let stream: Stream
        if let cached = streams[id] {
            stream = cached
        } else {
            if envelope.streamVersion == 1 {
                stream = isWorkflow ? .request(hold(Held())) : .other
            } else {
                stream = try resume(id, before: envelope.seq, earlier: earlier)
            }
            setStream(id, stream)
        }
        guard case .request(let index) = stream else {
            if case .other = stream, isWorkflow {
                return [Finding(.requestInvalid, seq: envelope.seq, requestID: id, "\(envelope.type) in stream '\(id)', which is not an approval request")]
            }
            return []
        }
        var findings: [Finding] = []
        let payload: JSONValue
        var parsedBytes: [UInt8]?
        if let bytes = payloadBytes, let parsed = try? JSONParser.parse(bytes) {
            payload = parsed
            parsedBytes = bytes
        } else if payloadBytes == nil, allowsWithheldPayloads, isWorkflow {
            // Only a workflow event's payload stops the replay: a service's own event in the
            // request's stream (erased on record, or withheld) carries nothing the rules read.
            letGo(index)
            setStream(id, .withheld)
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
        event.storedPayloadBytes = parsedBytes
        if case .relayed(let via, _) = envelope.origin { event.relayedVia = via }
        if case .signed(let signature) = envelope.origin {
            findings += checkStatement(event, stream: id, signature: signature, ledgerID: ledgerID)
        }
        // In place: a replay is not copied out of its slot and back for each event.
        findings += held[index].replay.apply(event, policies: policies, authority: SignerAuthority(capabilities: capabilities))
            .map { Finding(Self.code($0.violation), seq: $0.seq, requestID: id, $0.message) }
        replayed += 1
        if envelope.streamVersion == 1 {
            // The projection exists only for a stream opened by a well-formed request.opened
            // naming it, as `RequestProjection(stream:events:)` decides.
            if projects, envelope.type == ApprovalEvents.opened, held[index].replay.state?.id == id {
                held[index].records = RequestProjection.Records(stream: id, openingSeq: envelope.seq)
            }
        } else {
            held[index].records?.add(event)
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
        track(held[index].replay.state, id: id, seq: envelope.seq)
        // A settled request is forgotten at once rather than when the cache is full: memory
        // then follows the requests in flight, not the last 50k. Forgetting needs `earlier` to
        // read it back, should an event still come.
        if earlier != nil, held[index].replay.isSettled {
            setStream(id, nil)
            letGo(index)
        }
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
        for slot in held {
            findings += slot.replay.finish().map { Finding(Self.code($0.violation), seq: $0.seq, requestID: slot.replay.state?.id, $0.message) }
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
    private mutating func resume(_ id: String, before seq: Int64, earlier: (any EarlierEvents)?) throws -> Stream {
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
        return .request(hold(Held(replay: RequestReplay(resuming: state, lastSeq: rows.last!.seq), records: records)))
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
