public import ApprovalLedger
public import Logging

/// What every route shares: the ledger and its workflow, the server's own key, the limits,
/// and the signals between routes and background services. Public so that a
/// `ServerExtension` (the Slack gateway, webhook delivery) works over the same services.
public final class ServerEnvironment: Sendable {
    public let ledger: Ledger
    public let approvals: Approvals
    /// The server's key, registered to `serverIdentity`: it signs relayed commands, the
    /// sweeper's clock events and checkpoints.
    public let serverSigner: Signer
    public let limits: ServerLimits
    let changes = ChangeSignal()
    let writes: WriteGate
    let opens: OpenRateLimit
    let metrics = ServerMetrics()
    let draining = DrainFlag()
    let voteChannels = VoteChannelTally()
    let verification = VerificationCache()
    public let logger: Logger

    init(ledger: Ledger, serverSigner: Signer, limits: ServerLimits, logger: Logger) {
        self.ledger = ledger
        self.approvals = Approvals(ledger: ledger)
        self.serverSigner = serverSigner
        self.limits = limits
        self.writes = WriteGate(limit: limits.maxInFlightWrites)
        self.opens = OpenRateLimit(perMinute: limits.maxOpensPerMinute)
        self.logger = logger
    }

    /// Runs a write within the in-flight bound, then wakes waiters and the sweeper.
    public func write<T: Sendable>(_ body: () async throws -> T) async throws -> T {
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

    /// Returns after the next write this server makes, after `duration`, or on cancellation.
    /// Other processes may append too, so a waiter still reads the ledger when it returns.
    public func waitForChange(upTo duration: Duration) async {
        await changes.wait(upTo: duration)
    }
}
