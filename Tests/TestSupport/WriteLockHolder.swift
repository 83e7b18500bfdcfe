internal import Foundation
internal import GRDB

/// Another writer, as SQLite sees it: holds a `BEGIN IMMEDIATE` transaction on a database file
/// (the write lock every append needs) until `release()`, from a thread of its own.
public final class WriteLockHolder: Sendable {
    private let released = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    /// Returns once the lock is held.
    /// - Throws: what SQLite said when the lock could not be taken.
    public init(path: String) throws {
        let queue = try DatabaseQueue(path: path)
        let acquired = DispatchSemaphore(value: 0)
        let failure = Mutex<(any Error)?>(nil)
        Thread.detachNewThread { [released, finished] in
            do {
                try queue.inTransaction(.immediate) { _ in
                    acquired.signal()
                    released.wait()
                    return .rollback
                }
            } catch {
                failure.withLock { $0 = error }
                acquired.signal()
            }
            try? queue.close()
            finished.signal()
        }
        acquired.wait()
        if let error = failure.withLock({ $0 }) {
            finished.wait()
            throw error
        }
    }

    /// Ends the transaction, writing nothing, and waits until the file is closed.
    public func release() {
        released.signal()
        finished.wait()
    }
}

import Synchronization
