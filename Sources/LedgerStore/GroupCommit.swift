internal import GRDB
internal import Synchronization

/// Commits the concurrent writes of one `Ledger` together: one SQLite transaction, one
/// `fsync`, for every write that arrives while the previous commit is under way.
///
/// Callers queue their write and wait. One drain at a time runs on the pool's writer
/// connection: it opens a `BEGIN IMMEDIATE` transaction (so other processes still take turns
/// on the file, as before), runs each queued write in its own savepoint, in arrival order,
/// commits once, and only then answers each caller, so an answer always means durable (with
/// `synchronous = FULL`). A write that throws rolls back its savepoint, and the appender's
/// memory of the transaction with it; its caller gets its error at once, the batch goes on.
/// If SQLite gives up the whole transaction (a full disk, an I/O error), or the commit fails,
/// every write of the batch gets the error: none of them was written.
///
/// Nothing waits on purpose to fill a batch: a lone caller commits at once, as before, and
/// batches grow only when callers arrive faster than commits complete. A batch ends at
/// `maxWritesPerCommit` writes or once its writes have appended `maxBytesPerCommit` bytes;
/// the queue holds at most `maxQueuedWrites`, and a write that finds it full is refused with
/// `LedgerError.overloaded` (a server answers 503 with `Retry-After`).
final class GroupCommit: Sendable {
    /// A write waiting for the writer.
    struct Pending: Sendable {
        /// Runs the write in the batch's transaction (inside its savepoint). Returns the bytes
        /// it appended and what answers its caller once the batch is committed.
        let run: @Sendable (WriteBatch) throws -> (bytes: Int, answer: @Sendable () -> Void)
        /// Answers the caller with an error: nothing of its write was committed.
        let fail: @Sendable (any Error) -> Void
    }

    private struct Queue {
        var writes: [Pending] = []
        var next = 0
        var draining = false
        var statistics = GroupCommitStatistics()

        var waiting: Int { writes.count - next }

        mutating func pop() -> Pending? {
            guard next < writes.count else { return nil }
            let write = writes[next]
            next += 1
            if next == writes.count {
                writes.removeAll(keepingCapacity: true)
                next = 0
            } else if next >= 1024 {
                writes.removeFirst(next)
                next = 0
            }
            return write
        }
    }

    private let queue = Mutex(Queue())
    private let database: DatabasePool
    private let path: String
    private let configuration: LedgerConfiguration
    private let signedKeys: SignedKeys
    private let ledgerID: String

    init(database: DatabasePool, path: String, ledgerID: String, configuration: LedgerConfiguration, signedKeys: SignedKeys) {
        self.ledgerID = ledgerID
        self.database = database
        self.path = path
        self.configuration = configuration
        self.signedKeys = signedKeys
    }

    /// What the queue has done so far.
    var statistics: GroupCommitStatistics {
        queue.withLock { queue in
            var statistics = queue.statistics
            statistics.waiting = queue.waiting
            return statistics
        }
    }

    /// Queues `work` and returns its result once the transaction that ran it is committed.
    /// `work` returns its result and the bytes it appended (which bound the batch).
    /// - Throws: what `work` threw, SQLite errors as `LedgerError`s, `.overloaded` when the
    ///   queue is full (nothing is then run).
    func perform<T: Sendable>(_ work: @escaping @Sendable (WriteBatch) throws -> (T, bytes: Int)) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let pending = Pending(
                run: { batch in
                    let (result, bytes) = try work(batch)
                    return (bytes, { continuation.resume(returning: result) })
                },
                fail: { continuation.resume(throwing: $0) })
            if let refusal = enqueue(pending) { continuation.resume(throwing: refusal) }
        }
    }

    /// Queues `write`, starting a drain unless one runs; the refusal when the queue is full.
    private func enqueue(_ write: Pending) -> LedgerError? {
        let limit = configuration.maxQueuedWrites
        var refusedAt: Int?
        var startDrain = false
        queue.withLock { queue in
            guard queue.waiting < limit else {
                queue.statistics.refused += 1
                refusedAt = queue.waiting
                return
            }
            queue.writes.append(write)
            startDrain = !queue.draining
            queue.draining = true
        }
        if let waiting = refusedAt {
            return LedgerError(
                .overloaded,
                "'\(path)' has \(waiting) writes waiting for its writer, the most this process queues (\(limit)); nothing was written. Retry shortly.")
        }
        if startDrain { database.asyncWriteWithoutTransaction { db in self.drain(db) } }
        return nil
    }

    /// Commits batches until the queue is empty. The queue is found empty and the drain
    /// marked finished under one lock, so a write queued meanwhile always has a drain.
    private func drain(_ db: Database) {
        while let first = take(finishingWhenEmpty: true) {
            commitBatch(startingWith: first, db)
        }
    }

    private func take(finishingWhenEmpty finishing: Bool) -> Pending? {
        queue.withLock { queue in
            if let write = queue.pop() { return write }
            if finishing { queue.draining = false }
            return nil
        }
    }

    private func commitBatch(startingWith first: Pending, _ db: Database) {
        let batch: WriteBatch
        do {
            try db.beginTransaction(.immediate)
            batch = try WriteBatch(db: db, configuration: configuration, signedKeys: signedKeys, ledgerID: ledgerID)
        } catch {
            try? db.rollback()
            // Only the first write waited out the lock; the others get their own turn, as
            // they would have without group commit.
            first.fail(StorageErrors.map(error, path: path))
            return
        }
        var done: [(write: Pending, answer: @Sendable () -> Void)] = []
        var (run, bytes) = (0, 0)
        var next: Pending? = first
        while let write = next {
            run += 1
            let memory = batch.appender.memory
            var outcome: (bytes: Int, answer: @Sendable () -> Void)?
            do {
                try db.inSavepoint {
                    outcome = try write.run(batch)
                    return .commit
                }
            } catch {
                batch.appender.memory = memory
                let error = StorageErrors.map(error, path: path)
                write.fail(error)
                guard db.isInsideTransaction else {
                    // SQLite rolled the whole transaction back: the writes before this one
                    // are gone with it.
                    for (write, _) in done { write.fail(error) }
                    return
                }
                outcome = nil
            }
            if let outcome {
                done.append((write, outcome.answer))
                bytes += outcome.bytes
            }
            next = run < configuration.maxWritesPerCommit && bytes < configuration.maxBytesPerCommit
                ? take(finishingWhenEmpty: false) : nil
        }
        do {
            try db.commit()
        } catch {
            try? db.rollback()
            let error = StorageErrors.map(error, path: path)
            for (write, _) in done { write.fail(error) }
            return
        }
        queue.withLock { queue in
            queue.statistics.commits += 1
            queue.statistics.writes += run
        }
        for (_, answer) in done { answer() }
    }
}

/// How a ledger's group commit has batched its writes since the `Ledger` was opened.
public struct GroupCommitStatistics: Sendable, Hashable {
    /// SQLite transactions committed by the queue.
    public var commits = 0
    /// Writes run in them (including those that failed and rolled back their savepoint).
    public var writes = 0
    /// Writes refused because the queue was full (`LedgerError.overloaded`).
    public var refused = 0
    /// Writes queued now, not yet taken by a batch.
    public var waiting = 0

    public init() {}
}
