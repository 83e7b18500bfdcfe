/// The projection tables, and the digest `ledger rebuild` recorded, held to a fresh replay of
/// the events (`Ledger.checkProjections()`).
public struct ProjectionCheck: Sendable, Hashable {
    /// The tables as the appends wrote them, through the head.
    public var tables: ProjectionDigest
    /// A replay of every event through the head.
    public var replayed: ProjectionDigest
    /// What `ledger rebuild` last recorded, if it ever ran.
    public var recorded: ProjectionDigest?
    /// A replay through the recorded digest's seq; nil when nothing is recorded, or it was
    /// recorded under another projection version (not comparable), or beyond the head.
    public var recordedReplay: ProjectionDigest?

    /// True when the tables equal the replay.
    public var tablesMatch: Bool { tables.matches(replayed) }

    /// Whether the recorded digest equals its replay: false too when it covers more events
    /// than the ledger now holds (events were removed from the end); nil when there is
    /// nothing to compare.
    public var recordedMatches: Bool? {
        guard let recorded else { return nil }
        if recorded.throughSeq > tables.throughSeq { return false }
        return recordedReplay.map { recorded.matches($0) }
    }

    /// True when nothing disagrees.
    public var isConsistent: Bool { tablesMatch && recordedMatches != false }
}
