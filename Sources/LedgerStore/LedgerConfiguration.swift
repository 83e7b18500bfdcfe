public import LedgerFormat

/// How a `Ledger` opens its SQLite file.
public struct LedgerConfiguration: Sendable {
    /// SQLite's `synchronous` setting for the WAL.
    public enum Durability: String, Sendable, CaseIterable {
        /// fsync on every commit: a committed event survives power loss. The default. Every
        /// append or transaction returns only once the commit that holds it is synced (group
        /// commit shares one commit between concurrent writes, never an answer before it).
        case full
        /// fsync at WAL checkpoints only: survives a process crash, may lose the latest
        /// commits on power loss. Faster for bulk imports.
        case normal
    }

    public var durability: Durability = .full
    /// How long an append waits for another writer before failing with `LedgerError.locked`.
    public var busyTimeoutSeconds: Double = 10
    /// Largest accepted canonical payload, in bytes.
    public var maxPayloadBytes = 256 * 1024
    /// Opens the file read-only: appends fail with `LedgerError.readOnly`.
    public var readOnly = false
    /// The largest the ledger file may grow to, in bytes; nil for no limit but the disk's.
    /// An append that would grow it further fails with `LedgerError.diskFull` and writes
    /// nothing, exactly as on a full disk: a quota for a shared volume, and how the tests
    /// reach the disk-full path. Applied with SQLite's `max_page_count`, so the database is
    /// limited, not its write-ahead log.
    public var maxFileBytes: Int64?
    /// The clock appends stamp events with. Event times never go backwards: an append is
    /// stamped with the later of this clock and the head event's time.
    public var clock: @Sendable () -> Timestamp = SystemClock.now
    /// How far past `clock` an event may be dated: a transaction asked to act later (`ledger
    /// tick --now`), or on a head already dated later, is refused. `ledger verify` applies the
    /// same bound to its own clock (`time-future`).
    public var maxClockSkew: Duration = Self.defaultClockSkew
    /// The skew writers allow by default, and the one `ledger verify` allows its own clock.
    public static let defaultClockSkew: Duration = .seconds(300)
    /// The most writes (`Ledger.transaction` or `append` calls) one group commit runs in one
    /// SQLite transaction. Concurrent writes of one process share a commit, and its `fsync`;
    /// a lone write commits alone, at once.
    public var maxWritesPerCommit = 256
    /// A group commit takes no more writes once those it ran appended this many bytes
    /// (envelopes and payloads): a batch append larger than this still commits, alone.
    public var maxBytesPerCommit = 4 * 1024 * 1024
    /// The most writes that may wait for the writer; one more fails at once with
    /// `LedgerError.overloaded` and writes nothing, instead of waiting without bound.
    public var maxQueuedWrites = 4096

    /// The latest time an event may carry when this host's clock reads `clock`.
    func latestTime(at clock: Timestamp) -> Timestamp {
        clock.adding(milliseconds: maxClockSkew.components.seconds * 1000)
    }

    public init() {}
}
