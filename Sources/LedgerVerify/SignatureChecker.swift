internal import Dispatch
internal import LedgerCrypto
internal import Synchronization

/// The parallel half of verification: checks batches of Ed25519 signatures on every core while
/// the chain walker goes on with the next batch. At most `maxInFlight` batches are queued, so
/// memory stays bounded however long the ledger is.
final class SignatureChecker: Sendable {
    private let queue = DispatchQueue(label: "ledger.verify.signatures", attributes: .concurrent)
    private let inFlight: DispatchSemaphore
    private let group = DispatchGroup()
    private let failures = Mutex<[(seq: Int64, kind: ChainWalker.SignatureJob.Kind)]>([])
    private let checked = Atomic<Int64>(0)
    private let chunkSize: Int

    init(maxInFlightChunks: Int, chunkSize: Int = 256) {
        self.inFlight = DispatchSemaphore(value: maxInFlightChunks)
        self.chunkSize = chunkSize
    }

    /// Queues `jobs`; returns as soon as they are queued (blocking only while too many are).
    func submit(_ jobs: [ChainWalker.SignatureJob]) {
        var start = 0
        while start < jobs.count {
            let chunk = Array(jobs[start..<min(start + chunkSize, jobs.count)])
            start += chunkSize
            inFlight.wait()
            queue.async(group: group) { [self] in
                var failed: [(seq: Int64, kind: ChainWalker.SignatureJob.Kind)] = []
                for job in chunk where !job.publicKey.isValidSignature(job.signature, for: job.message) {
                    failed.append((job.seq, job.kind))
                }
                if !failed.isEmpty { failures.withLock { $0.append(contentsOf: failed) } }
                checked.add(Int64(chunk.count), ordering: .relaxed)
                inFlight.signal()
            }
        }
    }

    /// Waits for every queued check; returns the signatures that failed, by seq, and how many
    /// signatures were checked.
    func finish() -> (failed: [(seq: Int64, kind: ChainWalker.SignatureJob.Kind)], checked: Int64) {
        group.wait()
        return (failures.withLock { $0.sorted { $0.seq < $1.seq } }, checked.load(ordering: .relaxed))
    }
}
