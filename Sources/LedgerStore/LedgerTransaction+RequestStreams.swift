package import LedgerDomain
internal import LedgerFormat

// A request stream read once per command: the command folds it to decide, and its projection
// rows are derived from that fold and the events the command appended, instead of the stream
// being read back, parsed and folded again before the commit (issue 20).

extension LedgerTransaction {
    /// The events of request stream `stream` as the approval workflow folds them, this
    /// transaction's appends included: seq, version, type, actor and time from the signed
    /// envelope, and only the payload the envelope commits to (a payload row that does not
    /// match it reads as redacted), read without building a JSON tree.
    ///
    /// Read once per transaction when every row reads exactly as a replay reads it (the
    /// indexed columns equal the envelope's fields, and the payload row is the committed
    /// one): appends then extend what was read. A row that `ledger verify` would report is
    /// read again on every call, and its stream projected by `replace(stream:)`.
    package func requestEvents(stream: String) throws -> [RequestEvent] {
        if let known = requestStreams[stream] { return known }
        if let previous = lastRequestRead, !touched.contains(previous) { requestStreams[previous] = nil }
        lastRequestRead = stream
        var asReplayed = true
        let events = try storage.events(stream: stream).map { stored in
            let event = try stored.recordedEvent()
            let e = event.envelope
            if stored.seq != e.seq || stored.streamVersion != e.streamVersion || stored.type != e.type || stored.actor != e.actor
                || Timestamp(stored.time) != e.time || stored.payloadBytes != event.payloadBytes {
                asReplayed = false
            }
            return RequestEvent(event)
        }
        guard asReplayed else { return events }
        requestStreams[stream] = events
        // The appender would read the stream's version as the column's maximum, which every
        // row just read holds as its envelope does: the last event's.
        if appender.streamVersions[stream] == nil { appender.streamVersions[stream] = .some(events.last?.streamVersion) }
        return events
    }

    /// Gives `folded`, the fold of `requestEvents(stream:)` as they now stand, for the
    /// projection rows of request stream `stream`. Forgotten when the stream is appended to
    /// again; ignored unless the stream was read through `requestEvents` and `folded` is at
    /// its latest version.
    package func projectRequest(stream: String, folded: RequestState) {
        foldedRequests[stream] = folded
    }

    /// The projection of request stream `stream` from the fold its command gave and the
    /// events it was folded from; nil unless that fold is at the stream's latest version.
    func commandProjection(stream: String) -> RequestProjection? {
        guard let events = requestStreams[stream], let first = events.first, let folded = foldedRequests[stream],
              folded.id == stream, folded.version == events.last?.streamVersion
        else { return nil }
        var records = RequestProjection.Records(stream: stream, openingSeq: first.seq)
        for event in events.dropFirst() { records.add(event) }
        return RequestProjection(state: folded, records: records)
    }

    /// Extends the stream's events read so far with one just appended to it.
    func recordAppended(_ event: RecordedEvent) {
        let stream = event.envelope.stream
        foldedRequests[stream] = nil
        guard requestStreams[stream] != nil else { return }
        let last = requestStreams[stream]?.last?.streamVersion ?? 0
        switch event.envelope.streamVersion {
        case last + 1: requestStreams[stream]!.append(RequestEvent(event))
        // An earlier event, returned for its idempotency key: already there.
        case ...last: break
        default: requestStreams[stream] = nil
        }
    }
}

extension RequestEvent {
    /// The event as the workflow folds it; its payload, when present, read from its bytes as
    /// a replay reads it (`RequestPayload(bytes:)`).
    init(_ event: RecordedEvent) {
        let e = event.envelope
        self.init(seq: e.seq, streamVersion: e.streamVersion, time: e.time, actor: e.actor, type: e.type, payloadBytes: event.payloadBytes)
    }
}
