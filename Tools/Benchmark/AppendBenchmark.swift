import ApprovalLedger

/// Times appends. Only the `append` calls are timed: building the drafts is the caller's work.
enum AppendBenchmark {
    /// Appends `events` workload events in transactions of `batchSize`
    /// (`Ledger.append(_ drafts:signer:)`).
    static func batches(_ scratch: ScratchLedger, _ workload: Workload, events: Int, batchSize: Int) async throws -> PhaseTiming {
        var timing = PhaseTiming()
        var start = 0
        while start < events {
            let drafts = workload.drafts(start..<min(start + batchSize, events))
            start += drafts.count
            try await timing.time(events: drafts.count) {
                let recorded = try await scratch.ledger.append(drafts, signer: scratch.signer)
                guard recorded.count == drafts.count else {
                    throw BenchmarkError.invalidRun("a batch of \(drafts.count) drafts recorded \(recorded.count) events")
                }
            }
        }
        return timing
    }

    /// Appends `count` workload events one per transaction (`Ledger.append(_ draft:signer:)`).
    static func singles(_ scratch: ScratchLedger, _ workload: Workload, count: Int) async throws -> PhaseTiming {
        var timing = PhaseTiming()
        for index in 0..<count {
            let draft = workload.draft(index)
            try await timing.time(events: 1) {
                try await scratch.ledger.append(draft, signer: scratch.signer)
            }
        }
        return timing
    }
}
