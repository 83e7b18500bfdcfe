import ApprovalLedger

/// Votes by channel (`VoteChannel`): the projections keep no origin, so the server reads the
/// `vote.cast` events once, as they are appended, and keeps the counts. Each call reads only
/// the events after the last one counted; the first reads the whole log (as fast as
/// `GET /v1/events` pages it).
actor VoteChannelTally {
    private var nextSeq: Int64 = 1
    private var counts: [String: Int] = [:]

    /// Votes cast so far, by channel, after reading what was appended since the last call.
    func counts(_ ledger: Ledger) async throws -> [String: Int] {
        while true {
            let from = nextSeq
            let events = try await ledger.events(from: from, limit: 1000)
            // Another call may have counted this page while this one waited for it.
            guard from == nextSeq else { continue }
            for event in events where event.envelope.type == "vote.cast" {
                counts[VoteChannel.of(event.envelope.origin), default: 0] += 1
            }
            guard let last = events.last else { return counts }
            nextSeq = last.envelope.seq + 1
            if events.count < 1000 { return counts }
        }
    }
}
