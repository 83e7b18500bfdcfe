import ApprovalLedger
import Dispatch

/// The latest full verification of the ledger (`Verifier().verify`, what `ledger verify`
/// runs), kept until the ledger grows: the debug dashboard shows it beside the recent events.
/// A page load after an append verifies again, off the server's threads, as long as `ledger
/// verify` takes on this ledger.
actor VerificationCache {
    struct Verified: Sendable {
        /// The ledger's size when it was verified: events after it are not checked yet.
        let size: Int64
        let report: VerificationReport
        let at: Timestamp
    }

    private var latest: Verified?

    func result(_ ledger: Ledger) async throws -> Verified {
        let size = try await ledger.head().size
        if let latest, latest.size == size { return latest }
        let report = try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Swift.Result { try Verifier().verify(ledger) }) }
        }
        let result = Verified(size: report.events, report: report, at: SystemClock.now())
        latest = result
        return result
    }
}
