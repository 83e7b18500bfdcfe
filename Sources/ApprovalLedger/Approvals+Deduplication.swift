/// Approval spam: a pipeline that retries, or runs twice, asks for the same approval again.
/// Approvers should see one request, not a channel full of copies.
extension Approvals {
    /// Opens `request`, unless the same requester already has a pending request with the same
    /// action, resource, environment, summary, links, change digest and release: then that
    /// one is answered (`existing` true) and nothing is appended. The check and the open are
    /// one transaction, so two identical requests sent at once open one request.
    public func openOnce(_ request: OpenRequest, signer: Signer) async throws -> (state: RequestState, existing: Bool) {
        if let violation = TextLimits.violation(.open(request)) {
            throw ApprovalError(code: "invalid-request", message: violation, requestID: request.requestID, recorded: false)
        }
        let signer = try await verifiedCommand(signer, .open(request), id: request.requestID)
        let (outcome, existing) = try await ledger.transaction { tx -> (CommandTransaction.Outcome, Bool) in
            let commands = CommandTransaction(tx: tx, lookup: PolicyLookup(tx: tx))
            let requester = signer.origin == nil ? (try tx.key(signer.key.publicKey.keyID)?.identity ?? signer.identity) : signer.identity
            let candidates = try tx.pendingRequestIDs(
                action: request.action, resource: request.resource, environment: request.environment, requester: requester, summary: request.summary)
            for id in candidates {
                guard let state = try commands.state(id), state.status == .pending, Self.sameContent(state, request) else { continue }
                return (CommandTransaction.Outcome(state: state, refusal: nil, appended: []), true)
            }
            return (try commands.apply(request.requestID, .open(request), signer: signer), false)
        }
        return (try settle(request.requestID, outcome), existing)
    }

    static func sameContent(_ state: RequestState, _ request: OpenRequest) -> Bool {
        state.links == request.links && state.changeDigest == request.changeDigest && state.release == request.release
    }
}
