import ApprovalLedger
import Logging
import ServiceLifecycle

/// The clock inside the server: appends escalations and expiries when they fall due
/// (`Approvals.tick` with the server's key, which holds `clock`), so no cron job is needed.
///
/// It ticks at least once a second, and at once when the earliest pending deadline arrives;
/// every append the server makes wakes it to look at the deadlines again (a new request may
/// be due sooner). A tick that is due for nothing appends nothing.
struct Sweeper: Service {
    let environment: ServerEnvironment
    static let interval = Duration.seconds(1)

    func run() async throws {
        var lastProblem: String?
        let clock = ContinuousClock()
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            do {
                let appended = try await environment.approvals.tick(signer: environment.serverSigner)
                if !appended.isEmpty {
                    environment.metrics.swept(appended.count)
                    environment.changes.notify()
                }
                lastProblem = nil
            } catch {
                // Logged once per distinct failure, not once a second.
                let text = (error as? any ClassifiedError).map { "[\($0.stableCode)] \($0.failureMessage)" } ?? String(describing: error)
                if text != lastProblem { environment.logger.error("sweeper: \(text)") }
                lastProblem = text
            }
            let next = clock.now.advanced(by: Self.interval)
            while !Task.isCancelled, !Task.isShuttingDownGracefully, clock.now < next {
                var sleep = next - clock.now
                if let due = try? await earliestDeadline() {
                    let untilDue = Duration.milliseconds(due.millisecondsSinceEpoch - SystemClock.now().millisecondsSinceEpoch)
                    if untilDue <= .zero { break }
                    sleep = min(sleep, untilDue)
                }
                await environment.changes.wait(upTo: sleep)
            }
        }
    }

    /// The earliest deadline among pending requests (escalations fall due before their
    /// deadline and are caught by the one-second tick).
    private func earliestDeadline() async throws -> Timestamp? {
        try await environment.approvals.list(status: [.pending]).compactMap { Timestamp($0.deadline) }.min()
    }
}

/// Marks the server as draining the moment graceful shutdown begins (it is shut down before
/// the HTTP server), so long-poll waits and event streams answer and end instead of holding
/// the drain open.
struct DrainWatcher: Service {
    let environment: ServerEnvironment

    func run() async throws {
        try? await gracefulShutdown()
        environment.draining.set()
        environment.changes.notify()
        environment.logger.info("shutting down: draining in-flight requests")
    }
}
