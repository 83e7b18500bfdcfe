internal import Dispatch
internal import LedgerCrypto
internal import Synchronization

/// A projection digest being computed on another connection, waited for once.
final class PendingDigest: Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let result = Mutex<Result<SHA256Digest, any Error>?>(nil)

    func fulfil(_ value: Result<SHA256Digest, any Error>) {
        result.withLock { $0 = value }
        done.signal()
    }

    func wait() throws -> SHA256Digest {
        done.wait()
        return try result.withLock { $0! }.get()
    }
}
