import ApprovalLedger
import LedgerServer
import Logging
import ServiceLifecycle

/// The delivery loop of one subscription, a service of `ledger serve`: reads the events after
/// its cursor in seq order, POSTs each matching one (one at a time, so a receiver sees them in
/// order) and moves the cursor only after a 2xx. The cursor and the failure state live in the
/// ledger file's `webhook_deliveries` table, so a restart resumes where it stopped: an event
/// is never skipped, and one whose 2xx was not recorded before a crash is sent again (at
/// least once). Woken by the server's own appends and, since other processes append to the
/// same file, by polling.
struct WebhookDeliverer: Service {
    let subscription: WebhookSubscription
    let environment: ServerEnvironment
    let poll: Duration
    /// Events read per look at the ledger: the ones that do not match are passed in bulk.
    static let batch = 200

    func run() async throws {
        // Graceful shutdown cancels the loop: an attempt cut short is not recorded, so its
        // event is sent again after the restart (a duplicate at most, never a gap).
        await cancelWhenGracefulShutdown { await self.deliver() }
    }

    private var logger: Logger { environment.logger }
    private var name: String { subscription.name }

    private func deliver() async {
        let ledger = environment.ledger
        let http = OutboundHTTP(client: WebhookHTTPClient.shared, timeout: subscription.timeout)
        var lastProblem: String?
        var opened = false
        while !Task.isCancelled {
            do {
                if !opened {
                    let state = try await ledger.openWebhookDelivery(name: name, fromStart: subscription.fromStart)
                    logger.info("webhook \(name): delivering to \(subscription.url) after seq \(state.cursor) (\(state.condition))")
                    opened = true
                }
                // Read back every time: `POST /v1/webhooks/{name}/enable` changes the row.
                guard var state = try await ledger.webhookDelivery(named: name) else { opened = false; continue }
                if state.disabledAt != nil {
                    try await Task.sleep(for: poll)
                    continue
                }
                let now = SystemClock.now()
                if let due = state.nextAttemptAt, now < due {
                    try await Task.sleep(for: min(poll, .milliseconds(due.millisecondsSinceEpoch - now.millisecondsSinceEpoch)))
                    continue
                }
                let events = try await ledger.events(from: state.cursor + 1, limit: Self.batch)
                guard let last = events.last else {
                    await environment.waitForChange(upTo: poll)
                    continue
                }
                guard let event = events.first(where: { subscription.filter.matches(type: $0.envelope.type, stream: $0.envelope.stream) }) else {
                    state.cursor = last.envelope.seq
                    try await ledger.saveWebhookDelivery(state)
                    continue
                }
                let message = WebhookMessage(event: event, ledgerID: ledger.ledgerID)
                state = try await attempt(message, state: state, http: http)
                try await ledger.saveWebhookDelivery(state)
                lastProblem = nil
            } catch is CancellationError {
                return
            } catch {
                if Task.isCancelled { return }
                // The ledger could not be read or written (locked, disk full): logged once per
                // distinct problem, retried after a poll.
                let text = (error as? any ClassifiedError).map { "[\($0.stableCode)] \($0.failureMessage)" } ?? String(describing: error)
                if text != lastProblem { logger.error("webhook \(name): \(text)") }
                lastProblem = text
                try? await Task.sleep(for: poll)
            }
        }
    }

    /// One POST of `message`, and the state it leaves.
    private func attempt(_ message: WebhookMessage, state: WebhookDeliveryState, http: OutboundHTTP) async throws -> WebhookDeliveryState {
        let started = SystemClock.now()
        let headers = WebhookSignature.headers(id: message.id, timestamp: started.millisecondsSinceEpoch / 1000, body: message.body, secret: subscription.secret)
        let status: Int?
        let problem: String
        var retryAfter: Duration?
        do {
            let answer = try await http.post(subscription.url, headers: headers, body: message.body)
            if (200...299).contains(answer.status) {
                logger.info("webhook \(name): delivered seq \(message.seq) (\(message.type)) as \(message.id): HTTP \(answer.status)")
                return state.delivered(seq: message.seq, status: answer.status, at: SystemClock.now())
            }
            status = answer.status
            problem = "HTTP \(answer.status)"
            // Delay-seconds only; an HTTP-date is rare from receivers and read as no hint.
            retryAfter = answer.header("retry-after").flatMap { Int64($0.trimmingWhitespace()) }.flatMap { $0 >= 0 ? Duration.seconds($0) : nil }
        } catch {
            if Task.isCancelled { throw CancellationError() }
            status = nil
            problem = String(describing: error)
        }
        let next = state.failed(seq: message.seq, status: status, error: problem, at: SystemClock.now(), policy: subscription.retry, unit: Double.random(in: 0..<1), retryAfter: retryAfter)
        if next.disabledAt != nil {
            logger.error("webhook \(name): disabled after \(next.failures) consecutive failures at seq \(message.seq) (last: \(problem)); re-enable with POST /v1/webhooks/\(name)/enable")
        } else if let due = next.nextAttemptAt {
            logger.warning("webhook \(name): seq \(message.seq) failed (\(problem)), attempt \(next.failures); next at \(due)")
        }
        return next
    }
}
