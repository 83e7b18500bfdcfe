internal import Foundation
internal import GRDB
internal import LedgerDomain
internal import LedgerFormat

/// Reads request streams for the projections: the indexed columns the domain folds (seq,
/// stream version, type, actor, time) and the payload bytes, parsed (`RawRequestEvent`) only
/// for streams that are approval requests.
///
/// The columns are copies of the signed envelope that `ledger verify` cross-checks; reading
/// them instead of decoding each envelope keeps a rebuild fast. Incremental updates and
/// rebuilds read through this same type, so both see the same events.
enum RequestEventReader {
    static let selection = """
        SELECT e.seq, e.stream, e.stream_version, e.type, e.actor, e.time, p.bytes
        FROM events e LEFT JOIN payloads p ON p.seq = e.seq
        WHERE \(StoredEvent.inLedger)
        """

    /// Calls `body` with each request stream's raw events, once every event of the stream
    /// with `seq <= through` (all of them when nil) has been read. Payloads are not parsed
    /// here: the caller may parse them on another thread.
    ///
    /// Events are read in seq order, the order they lie in the file, and held per request only
    /// until its last event: when a stream's version-1 `request.opened` comes, its events are
    /// counted on the (stream, version) index. Events of any other stream are dropped as they
    /// come, so memory is bounded by the requests open at any one point of the log, not by its
    /// length or its number of streams.
    /// - Returns: the number of events read.
    @discardableResult
    static func forEachRequestStream(db: Database, through: Int64?, _ body: (RawRequestStream) throws -> Void) throws -> Int {
        let limit = through ?? Int64.max
        var open: [String: StreamBuffer] = [:]
        var count = 0
        // Each stream's version-1 row also brings the stream's event count (column 7), counted
        // inside this one statement rather than by a statement run per request.
        let rows = try Row.fetchCursor(db, sql: """
            SELECT e.seq, e.stream, e.stream_version, e.type, e.actor, e.time, p.bytes,
                CASE WHEN e.stream_version = 1 THEN (SELECT COUNT(*) FROM events x WHERE x.stream = e.stream AND x.seq >= 1 AND x.seq <= ?1) END
            FROM events e LEFT JOIN payloads p ON p.seq = e.seq
            WHERE e.seq >= 1 AND e.seq <= ?1 ORDER BY e.seq
            """, arguments: [limit])
        while let row = try rows.next() {
            count += 1
            let stream: String = row[1]
            // One hash per event in the common case: the buffer is updated in place.
            if let complete = open[stream]?.add(row) {
                guard complete, let buffer = open.removeValue(forKey: stream) else { continue }
                try body(RawRequestStream(stream: stream, events: buffer.events))
                continue
            }
            guard (row[2] as Int64) == 1, (row[3] as String) == ApprovalEvents.opened, !stream.hasPrefix("$") else { continue }
            var buffer = StreamBuffer(remaining: row[7])
            if buffer.add(row) {
                try body(RawRequestStream(stream: stream, events: buffer.events))
            } else {
                open[stream] = buffer
            }
        }
        // Only a damaged log leaves a request short of its count (an event of it stored before
        // its opening): it is still projected from what was read, never silently dropped.
        for (stream, buffer) in open.sorted(by: { $0.value.events[0].seq < $1.value.events[0].seq }) {
            try body(RawRequestStream(stream: stream, events: buffer.events))
        }
        return count
    }

    /// A request's events read so far, and how many are still to come.
    private struct StreamBuffer {
        var remaining: Int
        var events: [RawRequestEvent] = []

        init(remaining: Int) {
            self.remaining = remaining
            // The count is known: one allocation for the request's events.
            events.reserveCapacity(max(remaining, 1))
        }

        /// Takes one event of the request; true when it was the last.
        mutating func add(_ row: Row) -> Bool {
            remaining -= 1
            events.append(RawRequestEvent(row))
            return remaining <= 0
        }
    }
}

/// One request stream's events as read, payloads not yet parsed.
struct RawRequestStream: Sendable {
    var stream: String
    var events: [RawRequestEvent]

    /// The stream's projection, parsing every payload, events in stream-version order; nil
    /// when it is not a request.
    func projection() -> RequestProjection? {
        var ordered = events
        if !ordered.isSorted(by: { $0.streamVersion < $1.streamVersion }) { ordered.sort { $0.streamVersion < $1.streamVersion } }
        return RequestProjection(stream: stream, events: ordered.map { $0.requestEvent() })
    }
}

/// One row of `RequestEventReader.selection`, payload not yet parsed.
package struct RawRequestEvent: Sendable {
    var seq: Int64
    var streamVersion: Int64
    var type: String
    var actor: String
    var time: String
    var payload: [UInt8]?

    /// A row read by another backend (PostgreSQL), columns as stored.
    package init(seq: Int64, streamVersion: Int64, type: String, actor: String, time: String, payload: [UInt8]?) {
        self.seq = seq
        self.streamVersion = streamVersion
        self.type = type
        self.actor = actor
        self.time = time
        self.payload = payload
    }

    init(_ row: Row) {
        seq = row[0]
        streamVersion = row[2]
        type = row[3]
        actor = row[4]
        time = row[5]
        // Straight from SQLite's buffer into the array: one copy, not two.
        payload = (try? row.withUnsafeData(atIndex: 6) { data in data.map { [UInt8]($0) } }) ?? nil
    }

    /// The event as the domain folds it, its payload read without building a JSON tree. A
    /// payload that is redacted, or does not parse, reads as an empty object, as the workflow
    /// reads it when it folds a stream; a malformed time as the epoch (`ledger verify`
    /// reports both).
    func requestEvent() -> RequestEvent {
        RequestEvent(
            seq: seq, streamVersion: streamVersion, time: Timestamp(time) ?? Timestamp(millisecondsSinceEpoch: 0), actor: actor, type: type,
            payloadBytes: payload)
    }
}

extension Array {
    /// By index, so that no element is copied.
    func isSorted(by areInIncreasingOrder: (Element, Element) -> Bool) -> Bool {
        indices.dropFirst().allSatisfy { !areInIncreasingOrder(self[$0], self[$0 - 1]) }
    }
}
