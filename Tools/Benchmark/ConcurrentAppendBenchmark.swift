import ApprovalLedger

/// Durable single-event appends from concurrent tasks of one process sharing one `Ledger`:
/// what group commit is for. Each task runs its share of `SaveWorkload`'s requests (the
/// `approval.requested` event, then `approval.approved`), one `Ledger.append` at a time, each
/// answered only once durable; every append is timed on its own.
enum ConcurrentAppendBenchmark {
    static let workload = "in-process appends"

    static func run(_ scratch: ScratchLedger, writers: Int, writes: Int) async throws -> LoadFigures {
        let requests = max(writers, writes / 2)
        let before = scratch.ledger.groupCommitStatistics
        let (ledger, signer) = (scratch.ledger, scratch.signer)
        let cpu = PhaseTiming.processCPUSeconds()
        let start = ContinuousClock.now
        let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
            for writer in 0..<writers {
                group.addTask {
                    var latencies: [Double] = []
                    for number in stride(from: writer, to: requests, by: writers) {
                        for draft in [SaveWorkload.requested(number), SaveWorkload.approved(number)] {
                            let sent = ContinuousClock.now
                            try await ledger.append(draft, signer: signer)
                            latencies.append((ContinuousClock.now - sent).seconds * 1000)
                        }
                    }
                    return latencies
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        let wall = (ContinuousClock.now - start).seconds
        let after = scratch.ledger.groupCommitStatistics
        let commits = after.commits - before.commits
        return LoadFigures(
            workload: workload, clients: writers, writes: latencies.count, wallSeconds: wall, latencies: latencies.sorted(),
            writerCPUSeconds: PhaseTiming.processCPUSeconds() - cpu, clientCPUSeconds: nil,
            writesPerCommit: commits > 0 ? Double(after.writes - before.writes) / Double(commits) : nil)
    }
}
