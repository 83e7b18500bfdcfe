import ApprovalLedger
import Logging

/// What every route shares: the ledger and its workflow, the server's own key, the limits,
/// and the signals between routes and background services.
final class ServerEnvironment: Sendable {
    let ledger: Ledger
    let approvals: Approvals
    /// The server's key, registered to `serverIdentity`: it signs relayed commands, the
    /// sweeper's clock events and checkpoints.
    let serverSigner: Signer
    let limits: ServerLimits
    let changes = ChangeSignal()
    let writes: WriteGate
    let metrics = ServerMetrics()
    let draining = DrainFlag()
    let voteChannels = VoteChannelTally()
    let verification = VerificationCache()
    let logger: Logger

    init(ledger: Ledger, serverSigner: Signer, limits: ServerLimits, logger: Logger) {
        self.ledger = ledger
        self.approvals = Approvals(ledger: ledger)
        self.serverSigner = serverSigner
        self.limits = limits
        self.writes = WriteGate(limit: limits.maxInFlightWrites)
        self.logger = logger
    }

    /// Runs a write within the in-flight bound, then wakes waiters and the sweeper.
    func write<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        do {
            let result = try await writes.run(body)
            changes.notify()
            return result
        } catch {
            // A refused vote or execution is recorded too: waiters may have news either way.
            changes.notify()
            throw error
        }
    }
}
