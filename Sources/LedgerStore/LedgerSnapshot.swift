internal import GRDB

/// Point reads inside the read transaction of `Ledger.scan`, so that what they return comes
/// from the same snapshot as the rows being scanned. Valid only inside the scan's closure.
public final class LedgerSnapshot {
    let db: Database

    init(db: Database) {
        self.db = db
    }

    /// The rows of `stream` with `seq < before`, in stream order.
    public func rows(stream: String, before seq: Int64) throws -> [StoredEvent] {
        let statement = try db.cachedStatement(sql: StoredEvent.selection + " WHERE e.stream = ? AND e.seq < ? ORDER BY e.stream_version")
        return try Row.fetchAll(statement, arguments: [stream, seq]).map(StoredEvent.init(row:))
    }

    /// The type of the first event of `stream` (what the stream is: a request or not).
    public func firstType(stream: String) throws -> String? {
        let statement = try db.cachedStatement(sql: "SELECT type FROM events WHERE stream = ? ORDER BY stream_version LIMIT 1")
        return try String.fetchOne(statement, arguments: [stream])
    }

    /// The stream version of the last event of `stream` before `seq`.
    public func lastStreamVersion(stream: String, before seq: Int64) throws -> Int64? {
        let statement = try db.cachedStatement(sql: "SELECT stream_version FROM events WHERE stream = ? AND seq < ? ORDER BY stream_version DESC LIMIT 1")
        return try Int64.fetchOne(statement, arguments: [stream, seq])
    }

    /// The rows of the given streams up to and including `seq`, in seq order.
    public func rows(streams: [String], through seq: Int64) throws -> [StoredEvent] {
        let marks = Array(repeating: "?", count: streams.count).joined(separator: ", ")
        var arguments = StatementArguments(streams)
        arguments += [seq]
        return try Row.fetchAll(db, sql: StoredEvent.selection + " WHERE e.stream IN (\(marks)) AND e.seq <= ? ORDER BY e.seq", arguments: arguments)
            .map(StoredEvent.init(row:))
    }

    /// The row at `seq`.
    public func row(seq: Int64) throws -> StoredEvent? {
        try Row.fetchOne(db, sql: StoredEvent.selection + " WHERE e.seq = ?", arguments: [seq]).map(StoredEvent.init(row:))
    }
}
