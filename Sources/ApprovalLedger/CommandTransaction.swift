import Foundation

/// One approval command inside one ledger transaction: fold the stream, decide, append, and
/// hand the transaction the fold of the stream as it now stands, from which it writes the
/// projection rows (the stream is read and folded once per command).
struct CommandTransaction {
    let tx: LedgerTransaction
    let lookup: PolicyLookup

    struct Outcome: Sendable {
        var state: RequestState?
        var refusal: Refusal?
        var appended: [RecordedEvent]
    }

    func state(_ id: String) throws -> RequestState? {
        RequestState.fold(try tx.requestEvents(stream: id))
    }

    /// `idempotencyKey` goes on the command's own event (a chat action's id, so a redelivery
    /// is found and not recorded twice).
    func apply(_ id: String, _ command: ApprovalCommand, signer: Signer, idempotencyKey: String? = nil) throws -> Outcome {
        // The identity that acts is the one the key is registered to, or, for a relay, the
        // caller it speaks for; what the caller claims only matters for votes, where a
        // mismatch is a recorded security signal.
        let keyID = signer.key.publicKey.keyID
        guard let key = try tx.key(keyID) else {
            throw LedgerError(.unknownKey, "key \(keyID) is not registered in this ledger; ask an admin to run `ledger key register`")
        }
        if let revoked = key.revokedSeq {
            throw LedgerError(.revokedKey, "key \(keyID) was revoked at seq \(revoked) and can no longer sign")
        }
        let isVote = if case .vote = command { true } else { false }
        if !isVote, signer.origin == nil, signer.identity != key.identity {
            throw LedgerError(.keyNotAllowed, "key \(keyID) is registered to '\(key.identity)', not '\(Identifier.printable(signer.identity))'")
        }
        let (command, commandSigner, capabilities) = try attributed(command, id: id, signer: signer, key: key)
        let events = try tx.requestEvents(stream: id)
        let state = RequestState.fold(events)
        if !events.isEmpty, state == nil {
            throw ApprovalError(code: "not-a-request", message: "stream \(id) is not an approval request", requestID: id, recorded: false)
        }
        let policy: PublishedPolicy?
        switch command {
        case .open, .bypass:
            guard state == nil, events.isEmpty else {
                throw ApprovalError(code: "already-exists", message: "request \(id) already exists", requestID: id, recorded: false)
            }
            policy = try lookup.current()
            // Before the rules, not in `Decider` (which the verifier replays): see `RiskModel.inputProblem`.
            if case .open(let request) = command, let problem = policy?.policy.risk.inputProblem(request.riskInputs) {
                throw ApprovalError(code: "invalid-request", message: problem, requestID: id, recorded: false)
            }
            if case .bypass(let request, _) = command, let problem = policy?.policy.risk.inputProblem(request.riskInputs) {
                throw ApprovalError(code: "invalid-request", message: problem, requestID: id, recorded: false)
            }
        default:
            policy = try state.flatMap { try lookup.version($0.policyVersion) }
        }
        let actor = signer.origin == nil ? key.identity : signer.identity
        let decision = Decider.decide(
            state: state, command: command, actor: actor, policy: policy, now: tx.now,
            mayVote: Capability.allows(capabilities, eventType: ApprovalEvents.voteCast))
        // The command's own event speaks for the actor; the outcomes the rules add in the same
        // transaction are the signing key's own (a relay ran the rules, not its caller).
        let own = Signer(identity: key.identity, key: signer.key)
        var appended: [RecordedEvent] = []
        for event in decision.events {
            let expected: ExpectedVersion = appended.isEmpty ? (state.map { .exactly($0.version) } ?? .noStream) : .any
            let eventSigner = appended.isEmpty ? (signer.origin == nil ? own : commandSigner) : own
            var draft = EventDraft(type: event.type, stream: id, payload: event.payload, expectedVersion: expected)
            if appended.isEmpty { draft.idempotencyKey = idempotencyKey }
            appended.append(try tx.append(draft, signer: eventSigner))
        }
        guard !appended.isEmpty else { return Outcome(state: state, refusal: decision.refusal, appended: []) }
        // What was appended, applied to the state the decision started from (a new request's
        // opening is folded here for the first time); the transaction rewrites the request's
        // projection rows from it before it commits.
        let added = try tx.requestEvents(stream: id).dropFirst(events.count)
        let newState = state.map { added.reduce(into: $0) { $0.apply($1) } } ?? RequestState.fold(Array(added))
        if let newState { tx.projectRequest(stream: id, folded: newState) }
        return Outcome(state: newState, refusal: decision.refusal, appended: appended)
    }

    /// A relayed command: the command as the rules judge it (a relayed vote says so, for rules
    /// that count only own-key votes), the signer carrying the hash of the command statement the
    /// caller signed, and the capabilities that speak for the caller: its own key's when it
    /// signed, the relay's when the relay vouches.
    private func attributed(
        _ command: ApprovalCommand, id: String, signer: Signer, key: KeyRecord
    ) throws -> (ApprovalCommand, Signer, [Capability]) {
        switch signer.origin {
        case nil:
            return (command, signer, key.capabilities)
        case .relayed(let via, _):
            guard case .vote(var vote) = command else { return (command, signer, key.capabilities) }
            vote.relayedVia = via
            return (.vote(vote), signer, key.capabilities)
        case .signed(let signature):
            if case .vote(let vote) = command, vote.requestVersion == nil {
                throw ApprovalError(
                    code: "invalid-request",
                    message: "a signed vote names the request version the voter saw (`requestVersion`), so the signature covers what was approved",
                    requestID: id, recorded: false)
            }
            guard let hash = command.statementHash(of: signature, ledgerID: tx.ledgerID, stream: id) else {
                throw ApprovalError(code: "invalid-request", message: "this command cannot be signed on a caller's behalf", requestID: id, recorded: false)
            }
            let caller = try tx.key(signature.keyID)
            return (command, signer.withCommandHash(hash), caller?.capabilities ?? [])
        }
    }
}

/// Finds published policies in the ledger. Each version is parsed once per `Ledger`, not per
/// command: a committed `policy.published` event never changes, and parsing checked its
/// content against the hash it states.
struct PolicyLookup {
    let tx: LedgerTransaction

    func current() throws -> PublishedPolicy? {
        // `$policy` holds only `policy.published` events, so its latest is the current policy.
        try tx.lastSeq(stream: ApprovalEvents.policyStream).flatMap(version)
    }

    func version(_ seq: Int64) throws -> PublishedPolicy? {
        if let cached = tx.policies[seq] { return cached }
        guard let event = try tx.event(seq: seq), event.envelope.type == ApprovalEvents.policyPublished else { return nil }
        guard let payload = try event.payload() else {
            throw LedgerError(.invalidEvent, "the payload of policy version \(seq) is redacted; publish the policy again", seq: seq)
        }
        let policy = try PublishedPolicy(publishedAt: seq, payload: payload)
        // A policy published in this very transaction could still roll back.
        if seq <= tx.committedSeq { tx.policies[seq] = policy }
        return policy
    }
}
