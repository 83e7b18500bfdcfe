internal import LedgerCrypto
internal import LedgerFormat

extension Appender {
    /// What an appender holds in memory about the transaction so far: the head, the stream
    /// versions and the keys as the writes before it left them. A group commit keeps one
    /// appender for its whole SQLite transaction and takes this before each write's savepoint,
    /// so that a write that fails leaves no trace in memory either: the next write of the
    /// batch sees exactly what the rolled-back savepoint left in the file.
    struct Memory {
        fileprivate var head: Head??
        fileprivate var committedSeq: Int64
        fileprivate var streamVersions: [String: Int64?]
        fileprivate var keys: [KeyID: KeyRecord?]
        fileprivate var now: Timestamp?
        fileprivate var treeEdge: [Int: (index: UInt64, hash: SHA256Digest)]
        fileprivate var treeCaughtUp: Bool
    }

    var memory: Memory {
        get { Memory(head: cachedHead, committedSeq: committedSeq, streamVersions: streamVersions, keys: keys, now: now, treeEdge: treeEdge, treeCaughtUp: treeCaughtUp) }
        set {
            cachedHead = newValue.head
            committedSeq = newValue.committedSeq
            streamVersions = newValue.streamVersions
            keys = newValue.keys
            now = newValue.now
            treeEdge = newValue.treeEdge
            treeCaughtUp = newValue.treeCaughtUp
        }
    }
}
