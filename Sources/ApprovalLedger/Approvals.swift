import Foundation

/// The approval workflow for services and the CLI: open requests, vote, await the decision,
/// report how execution went. Every command runs in one ledger transaction that reads the
/// request's events, asks the pure `Decider`, appends what it returns and updates the request
/// projection, so a vote and the decision it completes are committed together.
public struct Approvals: Sendable {
    /// A SQLite file or a PostgreSQL database: the workflow runs the same on both.
    public let ledger: any LedgerWriting

    public init(ledger: any LedgerWriting) {
        self.ledger = ledger
    }

    /// The ledger as a SQLite file, for the reports that read one whole snapshot of it
    /// (metrics, policy simulation), which PostgreSQL does not serve yet.
    func file(for report: String) throws -> Ledger {
        guard let file = ledger as? Ledger else {
            throw LedgerError(
                .storage,
                "\(report) reads a ledger file; copy this one into a file first (`ledger copy \(ledger.address) FILE`) and run it there")
        }
        return file
    }

    /// A new request id: `req-` and 10 random hex digits.
    public static func newRequestID() -> String {
        var generator = SystemRandomNumberGenerator()
        return "req-" + Hex.encode((0..<5).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    // MARK: Policy

    /// Publishes `policy` as the one new requests are judged under. `signer` must be admin.
    @discardableResult
    public func publish(_ policy: Policy, signer: Signer) async throws -> PublishedPolicy {
        let content = policy.jsonValue
        let hash = policy.contentHash.hex
        let event = try await ledger.transaction { tx in
            try tx.append(
                EventDraft(type: ApprovalEvents.policyPublished, stream: ApprovalEvents.policyStream, payload: [
                    "name": .string(policy.name), "hash": .string(hash), "content": content,
                ]),
                signer: signer)
        }
        return PublishedPolicy(policy: policy, version: event.envelope.seq, hash: hash)
    }

    /// The policy new requests are judged under, if one was published.
    public func currentPolicy() async throws -> PublishedPolicy? {
        try await ledger.transaction { tx in try PolicyLookup(tx: tx).current() }
    }

    // MARK: Requests

    /// Opens a request under the current policy (which may grant or deny it at once, by risk).
    /// - Throws: `ApprovalError` (`no-policy`, `no-matching-rule`, `invalid-request`).
    public func open(_ request: OpenRequest, signer: Signer) async throws -> RequestState {
        try await run(request.requestID, .open(request), signer: signer)
    }

    /// Records an emergency action taken without approval, opening its post-hoc review.
    public func bypass(_ request: OpenRequest, reason: String, signer: Signer) async throws -> RequestState {
        try await run(request.requestID, .bypass(request, reason: reason), signer: signer)
    }

    /// Votes to approve. The signer's identity is the claimed voter; the key must be theirs.
    /// - Throws: `ApprovalError` with the refusal code when the vote is not allowed (the
    ///   attempt is then recorded as a `vote.rejected` event).
    public func approve(_ id: String, reason: String, signer: Signer, requestVersion: Int64? = nil) async throws -> RequestState {
        try await run(id, .vote(VoteCommand(approve: true, reason: reason, claimedIdentity: signer.identity, requestVersion: requestVersion)), signer: signer)
    }

    /// Votes to deny (see `approve`).
    public func deny(_ id: String, reason: String, signer: Signer, requestVersion: Int64? = nil) async throws -> RequestState {
        try await run(id, .vote(VoteCommand(approve: false, reason: reason, claimedIdentity: signer.identity, requestVersion: requestVersion)), signer: signer)
    }

    public func comment(_ id: String, _ text: String, signer: Signer) async throws -> RequestState {
        try await run(id, .comment(text), signer: signer)
    }

    public func cancel(_ id: String, reason: String, signer: Signer) async throws -> RequestState {
        try await run(id, .cancel(reason: reason), signer: signer)
    }

    /// Reports an execution under the request's grant. Refused (and recorded) without a grant,
    /// after it expired, for another change digest, or a second time on a one-shot grant.
    public func execute(_ id: String, succeeded: Bool, changeDigest: String? = nil, detail: String? = nil, signer: Signer) async throws -> RequestState {
        try await run(id, .execute(succeeded: succeeded, changeDigest: changeDigest, detail: detail), signer: signer)
    }

    public func rollback(_ id: String, reason: String, signer: Signer) async throws -> RequestState {
        try await run(id, .rollback(reason: reason), signer: signer)
    }

    public func recover(_ id: String, detail: String, signer: Signer) async throws -> RequestState {
        try await run(id, .recover(detail: detail), signer: signer)
    }

    /// Closes the post-hoc review of a break-glass bypass.
    public func closeReview(_ id: String, accepted: Bool, reason: String, signer: Signer) async throws -> RequestState {
        try await run(id, .closeReview(accepted: accepted, reason: reason), signer: signer)
    }

    /// Appends every escalation and expiry due at `at` (default: now) for pending requests.
    /// Idempotent: running it twice appends nothing the second time.
    /// - Returns: the events appended.
    @discardableResult
    /// - Throws: `LedgerError` `key-not-allowed` unless the signer's key may keep time (`clock`
    ///   or `admin`), `time-ahead` when `at` is later than the clock plus the allowed skew.
    public func tick(signer: Signer, at: Timestamp? = nil) async throws -> [RecordedEvent] {
        try await ledger.transaction(at: at) { tx in
            // Whoever ticks moves the ledger's time (expiries, escalations, timeout denials):
            // refused up front, even when nothing is due, so a wrong key fails at once.
            let keyID = signer.key.publicKey.keyID
            guard let key = try tx.key(keyID), SignerAuthority(capabilities: key.capabilities).keepsTime else {
                throw LedgerError(
                    .keyNotAllowed,
                    "key \(keyID) may not keep time: `ledger tick` and the sweeper need a key registered with the clock capability (`ledger key register --capability clock`) or an admin key")
            }
            let ids = try tx.requestIDs(status: [RequestState.Status.pending.rawValue])
            let lookup = PolicyLookup(tx: tx)
            var appended: [RecordedEvent] = []
            for id in ids {
                appended += try CommandTransaction(tx: tx, lookup: lookup).apply(id, .tick, signer: signer).appended
            }
            return appended
        }
    }

    /// The request's current state, folded from its events.
    public func request(_ id: String) async throws -> RequestState? {
        try await ledger.transaction { tx in try CommandTransaction(tx: tx, lookup: PolicyLookup(tx: tx)).state(id) }
    }

    /// Requests from the projection, newest first.
    public func list(status: [RequestState.Status] = [], limit: Int = 1000) async throws -> [RequestRow] {
        try await ledger.requestRows(status: status.map(\.rawValue), limit: limit)
    }

    /// Waits until the request is decided, polling the ledger (which other processes append to).
    ///
    /// A pending request can no longer be granted once its deadline passes (votes are refused
    /// as expired), whether or not `tick` has recorded the expiry yet, so waiting ends there.
    /// The deadline is judged by the ledger's clock, as the rules judge a vote.
    /// - Throws: `ApprovalError` `deadline-passed` when the request is still pending at its
    ///   deadline, `timed-out` when `timeout` passes first (neither is recorded);
    ///   `LedgerError.notFound` for an unknown id.
    public func awaitDecision(_ id: String, timeout: Duration, pollInterval: Duration = .milliseconds(250)) async throws -> RequestState {
        let clock = ContinuousClock()
        let giveUp = clock.now.advanced(by: timeout)
        while true {
            let (found, now) = try await ledger.transaction { tx in
                (try CommandTransaction(tx: tx, lookup: PolicyLookup(tx: tx)).state(id), tx.now)
            }
            guard let state = found else { throw Self.notFound(id) }
            if state.status.isTerminal { return state }
            if now >= state.deadline {
                throw ApprovalError(
                    code: "deadline-passed",
                    message: "\(id) is still pending at its deadline \(state.deadline): no vote can grant it any more; `ledger tick` records its timeout, and a new request can be opened",
                    requestID: id, recorded: false)
            }
            if clock.now >= giveUp {
                throw ApprovalError(code: "timed-out", message: "\(id) is still pending after \(timeout)", requestID: id, recorded: false)
            }
            let untilDeadline = Duration.milliseconds(state.deadline.millisecondsSinceEpoch - now.millisecondsSinceEpoch)
            try await Task.sleep(for: min(pollInterval, giveUp - clock.now, untilDeadline))
        }
    }

    private func run(_ id: String, _ command: ApprovalCommand, signer: Signer) async throws -> RequestState {
        // Checked here, before the rules, not in `Decider`: the verifier replays recorded
        // commands through `Decider`, and a limit added later must not fail old ledgers.
        if let violation = TextLimits.violation(command) {
            throw ApprovalError(code: "invalid-request", message: violation, requestID: id, recorded: false)
        }
        let signer = try await verifiedCommand(signer, command, id: id)
        let outcome = try await ledger.transaction { tx in
            try CommandTransaction(tx: tx, lookup: PolicyLookup(tx: tx)).apply(id, command, signer: signer)
        }
        return try settle(id, outcome)
    }

    /// The request as a command left it, or the refusal it met as an `ApprovalError`.
    func settle(_ id: String, _ outcome: CommandTransaction.Outcome) throws -> RequestState {
        if let refusal = outcome.refusal {
            if refusal.code == "not-found" { throw Self.notFound(id) }
            throw ApprovalError(code: refusal.code, message: refusal.message, requestID: id, recorded: !outcome.appended.isEmpty)
        }
        guard let state = outcome.state else { throw Self.notFound(id) }
        return state
    }

    /// Checks a caller's signature over its command before the write transaction, so callers'
    /// signatures are checked in parallel rather than one after another by the writer; the
    /// transaction still re-reads the key's status. A key it cannot find is left to the
    /// transaction, which says why.
    func verifiedCommand(_ signer: Signer, _ command: ApprovalCommand, id: String) async throws -> Signer {
        // A signed vote without the version seen is refused by the transaction, with its reason.
        if case .vote(let vote) = command, vote.requestVersion == nil { return signer }
        guard case .signed(let signature) = signer.origin,
              let hash = command.statementHash(of: signature, ledgerID: ledger.ledgerID, stream: id),
              let key = try await ledger.key(signature.keyID)
        else { return signer }
        return try signer.verifyingCommand(hash, publicKey: key.publicKey)
    }

    /// An unknown id is not a refusal by the rules: nothing was there to judge.
    static func notFound(_ id: String) -> LedgerError {
        LedgerError(.notFound, "no request \(Identifier.printable(id)) in this ledger; `ledger request list` shows them", stream: id)
    }
}
