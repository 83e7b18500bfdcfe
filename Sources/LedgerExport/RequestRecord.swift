public import LedgerDomain
public import LedgerFormat

/// One request in an export's scope: its history up to the period's end and what it came to.
///
/// Everything shown is derived from the events the export discloses. The outcome and its
/// time come from the event types, which are signed in the envelopes; the details (action,
/// approvers, grant…) come from disclosed payloads, so `state` is nil when the opening
/// payload is withheld, and `withheldEvents` says how much of the history was left out.
public struct RequestRecord: Sendable {
    public let id: String
    public let openedSeq: Int64
    public let openedAt: Timestamp
    /// The actor of `request.opened`.
    public let requester: String
    public internal(set) var status: RequestState.Status = .pending
    public internal(set) var decidedAt: Timestamp?
    /// The request folded from its disclosed payloads; nil when the opening one is withheld.
    public internal(set) var state: RequestState?
    /// Events of the request whose payload the export left out (or the ledger erased).
    public internal(set) var withheldEvents = 0
    /// The events, in stream order, when the report needs them (HTML).
    public internal(set) var history: [ExportedEvent] = []

    init(opening event: ExportedEvent) {
        let envelope = event.event.envelope
        id = envelope.stream
        openedSeq = envelope.seq
        openedAt = envelope.time
        requester = envelope.actor
    }

    /// Time from opening to the decision, for decided requests.
    public var latencyMilliseconds: Int64? {
        decidedAt.map { $0.millisecondsSinceEpoch - openedAt.millisecondsSinceEpoch }
    }

    /// Applies the next event of the request's stream (the first one included).
    mutating func apply(_ exported: ExportedEvent, keepHistory: Bool) {
        if keepHistory { history.append(exported) }
        let envelope = exported.event.envelope
        switch envelope.type {
        case ApprovalEvents.granted: decide(.granted, at: envelope.time)
        case ApprovalEvents.denied: decide(.denied, at: envelope.time)
        case ApprovalEvents.expired: decide(.expired, at: envelope.time)
        case ApprovalEvents.cancelled: decide(.cancelled, at: envelope.time)
        case ApprovalEvents.bypassed: decide(.bypassed, at: envelope.time)
        default: break
        }
        guard exported.disclosure == .disclosed, let payload = try? exported.event.payload() else {
            withheldEvents += 1
            return
        }
        let domainEvent = RequestEvent(
            seq: envelope.seq, streamVersion: envelope.streamVersion, time: envelope.time, actor: envelope.actor,
            type: envelope.type, payload: payload)
        if envelope.streamVersion == 1 {
            state = RequestState.fold([domainEvent])
        } else {
            state?.apply(domainEvent)
        }
    }

    private mutating func decide(_ status: RequestState.Status, at time: Timestamp) {
        self.status = status
        decidedAt = time
    }
}
