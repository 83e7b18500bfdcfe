import ApprovalLedger
import Dispatch

/// The latest full verification of the ledger (`Verifier().verify`, what `ledger verify`
/// runs), kept until the ledger grows: the debug dashboard shows it beside the recent events.
/// A page load after an append verifies again, off the server's threads, as long as `ledger
/// verify` takes on this ledger; loads meanwhile wait for that one pass instead of starting
/// their own.
actor VerificationCache {
    struct Verified: Sendable {
        /// How many events the pass covered: later ones are not checked yet.
        let size: Int64
        let report: VerificationReport
        let at: Timestamp
    }

    private var latest: Verified?
    private var running: Task<Verified, any Error>?

    func result(_ ledger: Ledger) async throws -> Verified {
        let size = try await ledger.head().size
        if let latest, latest.size >= size { return latest }
        if let running { return try await running.value }
        let task = Task<Verified, any Error> {
            let report = try await withCheckedThrowingContinuation { continuation in
                DispatchQueue.global().async { continuation.resume(with: Swift.Result { try Verifier().verify(ledger) }) }
            }
            return Verified(size: report.events, report: report, at: SystemClock.now())
        }
        running = task
        defer { running = nil }
        let result = try await task.value
        latest = result
        return result
    }
}
