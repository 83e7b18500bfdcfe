public import LedgerStore

/// One state of a PostgreSQL ledger for `ledger verify`: read in a single REPEATABLE READ
/// transaction, so it is one consistent view while others write, then judged by the same
/// `Verifier` as a file.
///
/// This first cut holds the rows in memory (about the ledger's size: some 600 MB at a million
/// events). A streaming source, reading pages inside the open transaction as the walk asks for
/// them, needs the verifier's reads to be asynchronous; docs/STORAGE.md §Status.
public final class PostgresSnapshot: EventSource, EventSnapshot, EventTables, Sendable {
    /// The ledger's rows, seq 1, 2, 3… as stored (a gap stays a gap, for the walk to report).
    let events: [StoredEvent]
    /// Each stream's rows, as indexes into `events`, in seq order.
    let streams: [String: [Int]]
    let outside: [StoredEvent]
    let orphanPayloads: [Int64]
    let reuses: [IdempotencyKeyReuse]

    init(events: [StoredEvent], outside: [StoredEvent], orphanPayloads: [Int64], reuses: [IdempotencyKeyReuse]) {
        self.events = events
        var streams: [String: [Int]] = [:]
        for (index, row) in events.enumerated() { streams[row.stream, default: []].append(index) }
        self.streams = streams
        self.outside = outside
        self.orphanPayloads = orphanPayloads
        self.reuses = reuses
    }

    /// The highest seq of the ledger's rows (0 when it has none).
    public var lastSeq: Int64 { events.last?.seq ?? 0 }

    public func read<T>(_ body: (any EventSnapshot) throws -> T) throws -> T {
        try body(self)
    }

    public func scan(from first: Int64, through last: Int64, batchSize: Int, _ body: ([StoredEvent]) throws -> Void) throws {
        var index = firstIndex(atOrAfter: first)
        while index < events.count, events[index].seq <= last {
            var end = index
            while end < events.count, end - index < batchSize, events[end].seq <= last { end += 1 }
            try body(Array(events[index..<end]))
            index = end
        }
    }

    public var eventTables: (any EventTables)? { self }

    // MARK: EarlierEvents

    public func firstType(stream: String) throws -> String? {
        members(stream, before: .max).min { events[$0].streamVersion < events[$1].streamVersion }.map { events[$0].type }
    }

    public func rows(stream: String, before seq: Int64) throws -> [StoredEvent] {
        members(stream, before: seq).map { events[$0] }.sorted { ($0.streamVersion, $0.seq) < ($1.streamVersion, $1.seq) }
    }

    public func lastStreamVersion(stream: String, before seq: Int64) throws -> Int64? {
        members(stream, before: seq).map { events[$0].streamVersion }.max()
    }

    public func row(seq: Int64) throws -> StoredEvent? {
        let index = firstIndex(atOrAfter: seq)
        return index < events.count && events[index].seq == seq ? events[index] : nil
    }

    // MARK: EventTables

    public func rowsOutsideLedger(limit: Int) throws -> [StoredEvent] { Array(outside.prefix(limit)) }

    public func orphanPayloadSeqs(limit: Int) throws -> [Int64] { Array(orphanPayloads.prefix(limit)) }

    public func idempotencyKeyReuses(after seq: Int64) throws -> [IdempotencyKeyReuse] { reuses.filter { $0.seq > seq } }

    private func members(_ stream: String, before seq: Int64) -> ArraySlice<Int> {
        (streams[stream] ?? []).prefix { events[$0].seq < seq }
    }

    private func firstIndex(atOrAfter seq: Int64) -> Int {
        var low = 0, high = events.count
        while low < high {
            let middle = (low + high) / 2
            if events[middle].seq < seq { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
