internal import LedgerFormat
public import LedgerStore
internal import LedgerDomain

/// What an export covers, decided by a first pass over the ledger before anything is written.
///
/// Exports always start at seq 1, so that the chain and the key timeline verify from the
/// genesis, and end at `end`. Payloads are disclosed only where the scope says:
/// - system events (`$ledger`, `$keys`, `$policy`): always, since keys and policies are what
///   every other event is judged by;
/// - events after the period's end: never;
/// - events of a request in scope: all of them up to the period's end, so each request's
///   history is complete even when it began before the period;
/// - other events (not of a request) in the period, when no request was named;
/// and in every case not when the redaction withholds them, nor when a redaction record of the
/// ledger says the payload was erased (the erasure did not happen if it is still stored, and
/// an export must not undo it: `redaction-incomplete`).
public struct ExportPlan: Sendable {
    public let scope: ExportScope
    public let ledgerID: String
    /// The ledger's head when the plan was made.
    public let head: Int64
    /// The last event before the period's end (`until`), as a seq.
    public let periodEnd: Int64
    /// How many events fall in the period.
    public let eventsInPeriod: Int64
    /// The requests in scope, by id (stream name).
    public let requests: Set<String>
    /// Every request stream up to the head: events of other streams are not requests.
    let requestStreams: Set<String>
    /// Events that a redaction record in `$redactions` names: their payloads are never disclosed.
    let erased: Set<Int64>
    /// The last seq the export writes: `periodEnd`, or later when a checkpoint that anchors
    /// the export lies beyond it.
    public internal(set) var end: Int64

    /// Reads the envelopes once to find the period's bounds and the requests in scope.
    /// - Throws: `ExportError.invalidScope` when nothing falls in the period, or a named
    ///   request does not exist or has no event in it; `.notExportable` for a stored envelope
    ///   that does not decode (run `ledger verify`).
    public static func make(ledger: Ledger, scope: ExportScope) throws -> ExportPlan {
        if let since = scope.since, let until = scope.until, since >= until {
            throw ExportError(.invalidScope, "--since \(since) is not before --until \(until): the period is empty")
        }
        var head: Int64 = 0
        var periodEnd: Int64 = 0
        var eventsInPeriod: Int64 = 0
        var requestStreams: Set<String> = []
        var touched: Set<String> = []
        var erased: Set<Int64> = []
        try ledger.scan { rows, _ in
            for row in rows {
                let envelope = try ExportedEvent.envelope(of: row)
                head = envelope.seq
                // Any record, judged or not: withholding more than the scope asks is always safe.
                if envelope.stream == Redaction.stream, let bytes = row.payloadBytes, let record = try? Redaction(payloadBytes: bytes) {
                    erased.insert(record.seq)
                }
                if envelope.streamVersion == 1, envelope.type == ApprovalEvents.opened {
                    requestStreams.insert(envelope.stream)
                }
                if let until = scope.until, envelope.time >= until { continue }
                periodEnd = envelope.seq
                if scope.contains(envelope.time) {
                    eventsInPeriod += 1
                    touched.insert(envelope.stream)
                }
            }
        }
        guard eventsInPeriod > 0 else {
            throw ExportError(.invalidScope, "no event of this ledger falls in the period\(describe(scope)); check --since and --until (UTC)")
        }
        var requests = touched.intersection(requestStreams)
        if !scope.requestIDs.isEmpty {
            for id in scope.requestIDs.sorted() {
                guard requestStreams.contains(id) else {
                    throw ExportError(.invalidScope, "no request \(Identifier.printable(id)) in this ledger; `ledger request list` shows them")
                }
                guard requests.contains(id) else {
                    throw ExportError(.invalidScope, "request \(id) has no event in the period\(describe(scope)); widen --since/--until or leave it out")
                }
            }
            requests = requests.intersection(scope.requestIDs)
        }
        return ExportPlan(
            scope: scope, ledgerID: ledger.ledgerID, head: head, periodEnd: periodEnd, eventsInPeriod: eventsInPeriod,
            requests: requests, requestStreams: requestStreams, erased: erased, end: periodEnd)
    }

    /// What the export does with the payload of `envelope`'s event, whose stored payload is
    /// `payload` (already parsed when the redaction needs to look inside it).
    func disclosure(of envelope: EventEnvelope, hasPayload: Bool, payload: () -> JSONValue?) -> PayloadDisclosure {
        guard hasPayload else { return .absent }
        if envelope.stream.hasPrefix("$") { return .disclosed }
        if erased.contains(envelope.seq) { return .withheld }
        guard envelope.seq <= periodEnd else { return .withheld }
        let inScope = requests.contains(envelope.stream)
            || (scope.requestIDs.isEmpty && !requestStreams.contains(envelope.stream) && scope.contains(envelope.time))
        guard inScope else { return .withheld }
        if scope.redaction.allPayloads { return .withheld }
        if !scope.redaction.fields.isEmpty, scope.redaction.withholds(payload()) { return .withheld }
        return .disclosed
    }

    private static func describe(_ scope: ExportScope) -> String {
        switch (scope.since, scope.until) {
        case (let since?, let until?): " [\(since), \(until))"
        case (let since?, nil): " from \(since)"
        case (nil, let until?): " before \(until)"
        case (nil, nil): ""
        }
    }
}
