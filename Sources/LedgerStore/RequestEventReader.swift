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
        """

    /// The events of `stream`, in stream order.
    static func events(stream: String, db: Database) throws -> [RequestEvent] {
        let statement = try db.cachedStatement(sql: selection + " WHERE e.stream = ? ORDER BY e.stream_version")
        var events: [RequestEvent] = []
        let rows = try Row.fetchCursor(statement, arguments: [stream])
        while let row = try rows.next() { events.append(RawRequestEvent(row).requestEvent()) }
        return events
    }

    /// Calls `body` with each stream that starts with `request.opened` and its raw events,
    /// streams in name order, considering only events with `seq <= through` when given.
    /// Payloads are not parsed here: the caller may parse them on another thread.
    /// - Returns: the number of events read, request or not.
    @discardableResult
    static func forEachRequestStream(db: Database, through: Int64?, _ body: (RawRequestStream) throws -> Void) throws -> Int {
        var sql = selection + " WHERE e.stream NOT LIKE '$%'"
        if through != nil { sql += " AND e.seq <= ?" }
        sql += " ORDER BY e.stream, e.stream_version"
        let rows = try Row.fetchCursor(db, sql: sql, arguments: StatementArguments(through.map { [$0] } ?? []))
        var count = 0
        var current: RawRequestStream?
        var isRequest = false
        while let row = try rows.next() {
            count += 1
            let stream: String = row[1]
            if stream != current?.stream {
                if isRequest, let current { try body(current) }
                isRequest = (row[3] as String) == ApprovalEvents.opened
                current = RawRequestStream(stream: stream, events: [])
            }
            if isRequest { current?.events.append(RawRequestEvent(row)) }
        }
        if isRequest, let current { try body(current) }
        return count
    }
}

/// One request stream's events as read, payloads not yet parsed.
struct RawRequestStream: Sendable {
    var stream: String
    var events: [RawRequestEvent]

    /// The stream's projection, parsing every payload; nil when it is not a request.
    func projection() -> RequestProjection? {
        RequestProjection(stream: stream, events: events.map { $0.requestEvent() })
    }
}

/// One row of `RequestEventReader.selection`, payload not yet parsed.
struct RawRequestEvent: Sendable {
    var seq: Int64
    var streamVersion: Int64
    var type: String
    var actor: String
    var time: String
    var payload: [UInt8]?

    init(_ row: Row) {
        seq = row[0]
        streamVersion = row[2]
        type = row[3]
        actor = row[4]
        time = row[5]
        // Straight from SQLite's buffer into the array: one copy, not two.
        payload = (try? row.withUnsafeData(atIndex: 6) { data in data.map { [UInt8]($0) } }) ?? nil
    }

    /// The event as the domain folds it. A payload that is redacted, or does not parse,
    /// reads as an empty object, as the workflow reads it when it folds a stream; a malformed
    /// time as the epoch (`ledger verify` reports both).
    func requestEvent() -> RequestEvent {
        let parsed = payload.flatMap { try? JSONParser.parse($0) }
        return RequestEvent(
            seq: seq, streamVersion: streamVersion, time: Timestamp(time) ?? Timestamp(millisecondsSinceEpoch: 0), actor: actor, type: type,
            payload: parsed ?? .object(JSONObject()))
    }
}
