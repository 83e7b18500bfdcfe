public import ApprovalLedger

/// What an attempt does to a subscription's state: pure, so the backoff schedule and the
/// disabling are tested without a clock or a network.
extension WebhookDeliveryState {
    /// The event at `seq` was answered 2xx: the cursor moves past it, failures are forgotten.
    public func delivered(seq: Int64, status: Int, at time: Timestamp) -> WebhookDeliveryState {
        var next = self
        next.cursor = seq
        next.delivered += 1
        next.failures = 0
        next.failingSince = nil
        next.nextAttemptAt = nil
        next.lastAttemptAt = time
        next.lastStatus = status
        next.lastError = nil
        return next
    }

    /// The event at `seq` failed (`status` nil when no answer came back): the cursor moves
    /// only up to the event before it (past events that did not match), the failure is
    /// counted, and either the next attempt waits out the backoff or, when `policy` says so
    /// (or the receiver answered 410 Gone, which the specification reads as "stop sending"),
    /// the subscription is disabled. `unit` (0..<1) places the jitter. A receiver's
    /// `Retry-After` (`retryAfter`) lengthens the wait, never beyond the policy's cap, so a
    /// receiver cannot park a subscription for ever.
    public func failed(
        seq: Int64, status: Int?, error: String, at time: Timestamp, policy: WebhookRetryPolicy, unit: Double, retryAfter: Duration? = nil
    ) -> WebhookDeliveryState {
        var next = self
        next.cursor = max(cursor, seq - 1)
        next.failures += 1
        next.failingSince = failingSince ?? time
        next.lastAttemptAt = time
        next.lastStatus = status
        next.lastError = error
        let failingFor = Duration.milliseconds(time.millisecondsSinceEpoch - next.failingSince!.millisecondsSinceEpoch)
        if status == 410 || policy.shouldDisable(failures: next.failures, failingFor: failingFor) {
            next.disabledAt = time
            next.nextAttemptAt = nil
        } else {
            var delay = policy.delay(afterFailures: next.failures, unit: unit)
            if let retryAfter { delay = max(delay, min(retryAfter, policy.cap)) }
            next.nextAttemptAt = time.adding(milliseconds: WebhookRetryPolicy.milliseconds(delay))
        }
        return next
    }

    /// Delivery resumed by an operator: from the same cursor (nothing skipped), with the
    /// failure count and backoff cleared. A subscription that is not disabled is unchanged.
    public func enabled() -> WebhookDeliveryState {
        guard disabledAt != nil else { return self }
        var next = self
        next.disabledAt = nil
        next.failures = 0
        next.failingSince = nil
        next.nextAttemptAt = nil
        return next
    }

    /// `active`, `retrying` (the last attempt failed; the next waits out the backoff) or
    /// `disabled`.
    public var condition: String {
        disabledAt != nil ? "disabled" : failures > 0 ? "retrying" : "active"
    }
}
