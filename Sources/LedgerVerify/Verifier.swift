internal import Foundation
public import LedgerFormat
public import LedgerStore

/// `ledger verify`: one streaming pass over a ledger that proves it complete, untouched and
/// correctly signed, or says exactly where it is not.
///
/// Memory is bounded by the batch size and the number of keys and streams, not by the number
/// of events; signatures are checked on all cores while the chain is walked.
public struct Verifier: Sendable {
    /// Findings kept in a report; the rest are counted in `findingsOmitted`.
    public static let maxFindings = 10_000

    public var anchors: [Checkpoint]
    /// Called with the number of events walked so far, for progress display.
    public var progress: (@Sendable (Int64) -> Void)?

    public init(anchors: [Checkpoint] = [], progress: (@Sendable (Int64) -> Void)? = nil) {
        self.anchors = anchors
        self.progress = progress
    }

    /// Verifies `ledger` from one read snapshot.
    /// - Throws: only when the ledger cannot be read at all; every problem in its content is a
    ///   finding in the report.
    public func verify(_ ledger: Ledger) throws -> VerificationReport {
        var walker = ChainWalker(anchors: anchors)
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let checker = SignatureChecker(maxInFlightChunks: max(4, cores * 4))
        try ledger.scan(batchSize: 1024) { rows in
            var jobs: [ChainWalker.SignatureJob] = []
            jobs.reserveCapacity(rows.count)
            for row in rows {
                if let job = walker.walk(row) { jobs.append(job) }
            }
            checker.submit(jobs)
            progress?(walker.count)
        }
        walker.finish()
        let (failed, checked) = checker.finish()

        var findings = walker.findings
        findings += failed.map { Finding(.signatureInvalid, seq: $0, "the Ed25519 signature does not verify under the key the event names: the event was forged or altered") }
        findings.sort { ($0.seq ?? .max, $0.code.rawValue) < ($1.seq ?? .max, $1.code.rawValue) }

        var report = VerificationReport()
        report.ledgerID = walker.ledgerID
        report.events = walker.count
        report.headHash = walker.headHash?.hex
        report.firstTime = walker.firstTime
        report.lastTime = walker.lastTime
        report.keysSeen = walker.timeline.entries.count
        report.signaturesChecked = checked
        report.anchorsChecked = anchors.count
        report.checks = Self.checks(anchored: !anchors.isEmpty)
        report.findingsOmitted = max(0, findings.count - Self.maxFindings)
        report.findings = Array(findings.prefix(Self.maxFindings))
        return report
    }

    static func checks(anchored: Bool) -> [String] {
        var checks = [
            "sequence", "hashes", "chain", "columns", "payload-commitments", "stream-versions", "key-timeline",
            "signatures",
        ]
        if anchored { checks.append("anchors") }
        return checks
    }
}
