internal import GRDB
internal import LedgerDomain

extension ProjectionWriter {
    /// Rewrites the rows of those of `streams` that are approval requests. A raw append into a
    /// request's stream (a service's note on it) is a new last event of the request, which its
    /// rows record (`last_seq`, `version`): without this they would be stale until a rebuild,
    /// and `ledger verify` would rightly report them. One indexed read per stream says whether
    /// it is a request, so a batch into long service streams re-reads none of them.
    func replaceRequests(among streams: [String]) throws {
        var seen = Set<String>()
        let opening = try db.cachedStatement(sql: "SELECT type FROM events WHERE seq >= 1 AND stream = ? AND stream_version = 1")
        for stream in streams where !stream.hasPrefix("$") && seen.insert(stream).inserted {
            if try String.fetchOne(opening, arguments: [stream]) == ApprovalEvents.opened { try replace(stream: stream) }
        }
    }
}
