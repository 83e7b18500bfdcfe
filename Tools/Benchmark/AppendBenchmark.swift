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

    /// The durable per-save workload (`SaveWorkload`): for each of `requests` approval requests,
    /// `Ledger.append(_ draft:signer:)` of its `approval.requested` event, then of its
    /// `approval.approved` event, each its own transaction: two events, two commits.
    static func saves(_ scratch: ScratchLedger, requests: Int) async throws -> PhaseTiming {
        var timing = PhaseTiming()
        for number in 0..<requests {
            let (requested, approved) = (SaveWorkload.requested(number), SaveWorkload.approved(number))
            try await timing.time(events: 2) {
                try await scratch.ledger.append(requested, signer: scratch.signer)
                try await scratch.ledger.append(approved, signer: scratch.signer)
            }
        }
        return timing
    }

    /// The same requests through the approval workflow (`Approvals.open`, then `approve` by
    /// another identity): each command is one transaction that reads the request's stream,
    /// judges it under the published policy, appends and updates the request projection. The
    /// approval appends the vote and the grant it completes, so a request writes three events in
    /// two commits; `events` counts the two saves, as the peer's figure does.
    static func approvals(_ scratch: ApprovalsLedger, requests: Int) async throws -> PhaseTiming {
        var timing = PhaseTiming()
        for number in 0..<requests {
            let open = OpenRequest(
                requestID: "req-\(String(number, radix: 16))", action: "deploy", resource: "svc-payments-\(number % 40)",
                environment: "production", summary: "Roll out release 2024.06.\(number % 97) to the production fleet")
            try await timing.time(events: 2) {
                _ = try await scratch.approvals.open(open, signer: scratch.requester)
                let state = try await scratch.approvals.approve(open.requestID, reason: "canary error rate flat", signer: scratch.approver)
                guard state.status == .granted else {
                    throw BenchmarkError.invalidRun("request \(open.requestID) is \(state.status.rawValue) after its approval, not granted")
                }
            }
        }
        return timing
    }
}
