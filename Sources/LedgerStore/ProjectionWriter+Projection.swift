internal import LedgerDomain

// The projection rows a write transaction keeps current, through whichever backend stores it.

extension AppendStorage {
    /// Rewrites the rows of request stream `stream` to `projection`, derived from its events
    /// as they now stand (nil: the stream is not a request and has no rows), without reading
    /// them back.
    func replace(stream: String, with projection: RequestProjection?) throws {
        try deleteProjection(requestID: stream)
        if let projection { try insertProjection(projection) }
    }

    /// Rewrites the rows of request stream `stream` from its events as they now stand.
    func replace(stream: String) throws {
        try replace(stream: stream, with: RawRequestStream(stream: stream, events: try requestEvents(stream: stream)).projection())
    }

    /// Rewrites the rows of those of `streams` that are approval requests. A raw append into a
    /// request's stream (a service's note on it) is a new last event of the request, which its
    /// rows record (`last_seq`, `version`): without this they would be stale until a rebuild,
    /// and `ledger verify` would rightly report them. One indexed read per stream says whether
    /// it is a request, so a batch into long service streams re-reads none of them.
    package func replaceRequests(among streams: [String]) throws {
        var seen = Set<String>()
        for stream in streams where !stream.hasPrefix("$") && seen.insert(stream).inserted {
            if try openingType(stream: stream) == ApprovalEvents.opened { try replace(stream: stream) }
        }
    }
}
