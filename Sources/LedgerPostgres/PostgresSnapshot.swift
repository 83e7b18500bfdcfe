public import LedgerStore
internal import NIOCore
internal import PostgresNIO

/// One state of a PostgreSQL ledger for `ledger verify`: the reads of one open REPEATABLE READ,
/// READ ONLY transaction (`PostgresLedger.withSnapshot`), so it is one consistent view while
/// others write, judged by the same `Verifier` as a file.
///
/// Rows are read a page at a time as the walk asks for them, so memory is bounded by the page,
/// not the ledger. The verifier is synchronous, so each read waits on its query's future; the
/// future completes on the connection's event loop, never on the waiting thread.
public final class PostgresSnapshot: EventSource, EventSnapshot, EventTables, Sendable {
    /// The highest seq of the ledger's rows (0 when it has none).
    public let lastSeq: Int64
    let connection: PostgresConnection
    let location: PostgresLocation
    let logger: Logger
    let outside: [StoredEvent]
    let orphanPayloads: [Int64]
    let reuses: [IdempotencyKeyReuse]

    init(
        lastSeq: Int64, connection: PostgresConnection, location: PostgresLocation, logger: Logger, outside: [StoredEvent], orphanPayloads: [Int64],
        reuses: [IdempotencyKeyReuse]
    ) {
        self.lastSeq = lastSeq
        self.connection = connection
        self.location = location
        self.logger = logger
        self.outside = outside
        self.orphanPayloads = orphanPayloads
        self.reuses = reuses
    }

    public func read<T>(_ body: (any EventSnapshot) throws -> T) throws -> T {
        try body(self)
    }

    public func scan(from first: Int64, through last: Int64, batchSize: Int, _ body: ([StoredEvent]) throws -> Void) throws {
        let condition = " WHERE e.seq >= $1 AND e.seq <= $2 ORDER BY e.seq LIMIT $3"
        func page(from seq: Int64) -> EventLoopFuture<PostgresQueryResult> {
            connection.queryOrLostFuture(
                PostgresQuery(unsafeSQL: PostgresLedger.selection + condition, binds: PostgresLedger.binds(seq, last, Int64(batchSize))), logger: logger)
        }
        guard max(first, 1) <= last else { return }
        var pending = page(from: max(first, 1))
        while true {
            let rows = try wait(pending).map(PostgresLedger.storedEvent)
            guard let end = rows.last else { return }
            // The next page is on its way while the walk takes this one: the server's reads
            // and the round trip overlap the walk instead of stalling it.
            if end.seq < last { pending = page(from: end.seq + 1) }
            try body(rows)
            if end.seq >= last { return }
        }
    }

    public var eventTables: (any EventTables)? { self }

    // MARK: EarlierEvents: asked for again only when the walk evicted a stream, or began after it

    public func firstType(stream: String) throws -> String? {
        try query("SELECT type FROM events WHERE stream = $1 AND seq >= 1 ORDER BY stream_version, seq LIMIT 1", stream).first.map { try $0.decode(String.self) }
    }

    public func rows(stream: String, before seq: Int64) throws -> [StoredEvent] {
        var bindings = PostgresBindings(capacity: 2)
        bindings.append(stream)
        bindings.append(seq)
        return try query(PostgresLedger.selection + " WHERE e.stream = $1 AND e.seq >= 1 AND e.seq < $2 ORDER BY e.stream_version, e.seq", bindings)
            .map(PostgresLedger.storedEvent)
    }

    public func lastStreamVersion(stream: String, before seq: Int64) throws -> Int64? {
        var bindings = PostgresBindings(capacity: 2)
        bindings.append(stream)
        bindings.append(seq)
        return try query("SELECT max(stream_version) FROM events WHERE stream = $1 AND seq >= 1 AND seq < $2", bindings).first.flatMap { try $0.decode(Int64?.self) }
    }

    public func row(seq: Int64) throws -> StoredEvent? {
        try rows(" WHERE e.seq = $1 AND e.seq >= 1", seq).first
    }

    // MARK: EventTables

    public func rowsOutsideLedger(limit: Int) throws -> [StoredEvent] { Array(outside.prefix(limit)) }

    public func orphanPayloadSeqs(limit: Int) throws -> [Int64] { Array(orphanPayloads.prefix(limit)) }

    public func idempotencyKeyReuses(after seq: Int64) throws -> [IdempotencyKeyReuse] { reuses.filter { $0.seq > seq } }

    // MARK: Reads

    private func rows(_ condition: String, _ values: Int64...) throws -> [StoredEvent] {
        try query(PostgresLedger.selection + condition, PostgresLedger.binds(values)).map(PostgresLedger.storedEvent)
    }

    private func query(_ sql: String, _ text: String) throws -> [PostgresRow] {
        var bindings = PostgresBindings(capacity: 1)
        bindings.append(text)
        return try query(sql, bindings)
    }

    /// The rows of one statement in the open transaction; a `LedgerError` once the session ends.
    private func query(_ sql: String, _ bindings: PostgresBindings) throws -> [PostgresRow] {
        try wait(connection.queryOrLostFuture(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger))
    }

    private func wait(_ future: EventLoopFuture<PostgresQueryResult>) throws -> [PostgresRow] {
        do {
            return try future.wait().rows
        } catch {
            throw PostgresErrors.ledgerError(error, location: location)
        }
    }
}
