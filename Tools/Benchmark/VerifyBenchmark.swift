import ApprovalLedger

/// Times `Verifier().verify(ledger)` and the memory it needs.
enum VerifyBenchmark {
    struct Result {
        var timing: PhaseTiming
        /// VmHWM after verification, for the whole process (includes the appends before it).
        var processPeakBytes: Int?
        /// VmHWM reset just before verification and read just after: the peak while verifying.
        var verifyPeakBytes: Int?
        /// VmRSS just before verification: the peak minus this is what verifying added.
        var residentBeforeBytes: Int?
    }

    /// Verifies the ledger and checks that it verified completely: a failed or partial
    /// verification would make the rate meaningless.
    static func run(_ scratch: ScratchLedger, expectedEvents: Int64) throws -> Result {
        let peakBefore = ProcessMemory.peakResidentBytes
        let residentBefore = ProcessMemory.residentBytes
        let reset = ProcessMemory.resetPeak()
        var verification: VerificationReport?
        var timing = PhaseTiming()
        try timing.time(events: Int(expectedEvents)) {
            verification = try Verifier().verify(scratch.ledger)
        }
        let peakAfter = ProcessMemory.peakResidentBytes
        guard let report = verification else { throw BenchmarkError.invalidRun("verify returned no report") }
        guard report.isVerified() else {
            let first = report.findings.first.map { "\($0.code.rawValue) at seq \($0.seq ?? 0): \($0.message)" } ?? "?"
            throw BenchmarkError.invalidRun("the benchmark ledger did not verify (\(report.findings.count) findings; first: \(first))")
        }
        guard report.events == expectedEvents, report.signaturesChecked == expectedEvents else {
            throw BenchmarkError.invalidRun(
                "verify saw \(report.events) events and checked \(report.signaturesChecked) signatures; expected \(expectedEvents)")
        }
        return Result(
            timing: timing,
            processPeakBytes: [peakBefore, peakAfter].compactMap { $0 }.max(),
            verifyPeakBytes: reset ? peakAfter : nil, residentBeforeBytes: residentBefore)
    }
}
