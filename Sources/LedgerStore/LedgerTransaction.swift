internal import GRDB
public import LedgerCrypto
package import LedgerDomain
public import LedgerFormat

/// One write in the ledger's write transaction, in which the approval workflow reads a
/// stream, decides, appends and updates projections atomically. Valid only inside the closure
/// given to `Ledger.transaction`; not `Sendable`.
///
/// Concurrent writes of one `Ledger` share one SQLite transaction (`BEGIN IMMEDIATE`) and its
/// commit (`GroupCommit`): each runs in its own savepoint, sees the writes committed or run
/// before it, and is all or nothing on its own. Every stream appended to here has its
/// projection rows rewritten from its events before the savepoint is released, so the
/// projections never lag the events, and a caller cannot forget them.
public final class LedgerTransaction {
    let appender: Appender
    var storage: any AppendStorage { appender.storage }
    /// Streams appended to, in first-append order.
    private var touchedStreams: [String] = []
    private(set) var touched: Set<String> = []
    /// Bytes of the events appended here (envelopes and payloads): what bounds a batch.
    private(set) var appendedBytes = 0
    /// Request streams read through `requestEvents(stream:)` whose rows read as a replay reads
    /// them, with the events appended to them here since: each stream's events as they stand.
    var requestStreams: [String: [RequestEvent]] = [:]
    /// The fold of such a stream's events as they stand, given by the command that decided
    /// them (`projectRequest(stream:folded:)`): its projection rows are derived from it.
    var foldedRequests: [String: RequestState] = [:]
    /// The request stream read last: forgotten at the next read unless it was appended to,
    /// so a tick over many requests holds only the events of those it changed.
    var lastRequestRead: String?
    /// The transaction's time: the later of the clock (or the requested time) and the head's
    /// time, so event times never go backwards. Every event appended here carries it.
    public let now: Timestamp
    /// The seq up to which events are committed and can no longer change, so what is derived
    /// from them may outlive the transaction: the head when the SQLite transaction began,
    /// before this write or any write sharing its commit appended.
    package let committedSeq: Int64
    /// The ledger's published policies parsed by earlier transactions, by seq.
    package let policies: SharedCache<Int64, PublishedPolicy>

    /// A transaction on `appender`'s storage, whose head was `committedSeq` when it began.
    package init(appender: Appender, committedSeq: Int64, configuration: LedgerConfiguration, at requested: Timestamp?, policies: SharedCache<Int64, PublishedPolicy>) throws {
        self.appender = appender
        let head = try appender.head()
        let clock = configuration.clock()
        if let requested, requested > configuration.latestTime(at: clock) {
            throw LedgerError(
                .timeAhead,
                "\(requested) is later than this host's clock allows (\(clock) plus \(configuration.maxClockSkew.components.seconds) s): nobody may date events ahead of the clock; check the host's time, or leave --now out")
        }
        try appender.refuseHeadAhead(clock: clock)
        let wanted = requested ?? clock
        now = max(wanted, head?.time ?? wanted)
        appender.now = now
        self.committedSeq = committedSeq
        self.policies = policies
    }

    /// The ledger's id, from its genesis event.
    public var ledgerID: String { appender.ledgerID }

    /// The event at `seq`.
    public func event(seq: Int64) throws -> RecordedEvent? {
        try storage.event(seq: seq).map { try $0.recordedEvent() }
    }

    /// The event carrying idempotency key `key`, if one was recorded.
    public func event(idempotencyKey key: String) throws -> RecordedEvent? {
        try appender.event(idempotencyKey: key)
    }

    /// The seq of the latest event of `stream`, without reading the event.
    package func lastSeq(stream: String) throws -> Int64? {
        try storage.lastSeq(stream: stream)
    }

    /// The registered key `id` as it stands in this transaction, if any.
    public func key(_ id: KeyID) throws -> KeyRecord? {
        try appender.key(id)
    }

    /// Appends an event, including workflow event types the generic append refuses.
    @discardableResult
    public func append(_ draft: EventDraft, signer: Signer) throws -> RecordedEvent {
        try append([draft], signer: signer)[0]
    }

    /// Appends events in order, all signed by `signer` (batch signing on all cores for large
    /// batches), including workflow event types the generic append refuses.
    @discardableResult
    public func append(_ drafts: [EventDraft], signer: Signer) throws -> [RecordedEvent] {
        let events = try appender.append(drafts, signer: signer, allowWorkflowTypes: true)
        appendedBytes += events.reduce(0) { $0 + $1.envelopeBytes.count + ($1.payloadBytes?.count ?? 0) }
        for draft in drafts where touched.insert(draft.stream).inserted { touchedStreams.append(draft.stream) }
        for event in events { recordAppended(event) }
        return events
    }

    /// Rewrites the projection rows of every request stream appended to. System streams
    /// (`$…`) hold no requests. A stream whose fold the deciding command gave is projected
    /// from it and the events it was folded from; any other is read back and folded again.
    package func updateProjections() throws {
        guard !touchedStreams.isEmpty else { return }
        for stream in touchedStreams where !stream.hasPrefix("$") {
            if let projection = commandProjection(stream: stream) {
                try storage.replace(stream: stream, with: projection)
            } else {
                try storage.replace(stream: stream)
            }
        }
    }

    /// The pending requests `requester` opened with this action, resource, environment and
    /// summary, oldest first: the candidates an identical new request duplicates.
    package func pendingRequestIDs(action: String, resource: String, environment: String, requester: String, summary: String) throws -> [String] {
        try storage.pendingRequestIDs(action: action, resource: resource, environment: environment, requester: requester, summary: summary)
    }

    /// The ids of requests with one of `statuses`.
    public func requestIDs(status statuses: [String]) throws -> [String] {
        try storage.requestIDs(status: statuses)
    }
}

extension Ledger {
    /// Runs `body` as one write, all or nothing, and returns once what it appended is
    /// committed (durable with `synchronous = FULL`). Concurrent calls share one SQLite
    /// transaction and its commit, each in its own savepoint (`GroupCommit`): a body that
    /// throws undoes only itself. `at` fixes the transaction's time (for `ledger tick --now`);
    /// it never goes before the head's time.
    /// - Throws: what `body` threw; `LedgerError` for storage failures, `.overloaded` when
    ///   too many writes are already waiting (nothing is run).
    public func transaction<T: Sendable>(
        at requested: Timestamp?, _ body: @escaping @Sendable (LedgerTransaction) throws -> T
    ) async throws -> T {
        let configuration = self.configuration
        return try await writes.perform { batch in
            let transaction = try LedgerTransaction(
                appender: batch.appender, committedSeq: batch.committedSeq, configuration: configuration, at: requested, policies: self.policies)
            let result = try body(transaction)
            try transaction.updateProjections()
            return (result, transaction.appendedBytes)
        }
    }

    /// Request projection rows, newest first, optionally only with the given statuses.
    public func requestRows(status statuses: [String], limit: Int) async throws -> [RequestRow] {
        try await StorageErrors.mapping(path: path) {
            try await database.read { db in
                var sql = "SELECT * FROM requests"
                if !statuses.isEmpty { sql += " WHERE status IN (\(Array(repeating: "?", count: statuses.count).joined(separator: ", ")))" }
                sql += " ORDER BY opened_seq DESC LIMIT ?"
                var arguments = StatementArguments(statuses)
                arguments += [limit]
                return try Row.fetchAll(db, sql: sql, arguments: arguments).map { RequestRow(row: $0) }
            }
        }
    }
}
