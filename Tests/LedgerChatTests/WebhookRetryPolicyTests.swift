import ApprovalLedger
import LedgerChat
import Testing

@Suite("Webhook retries and disabling")
struct WebhookRetryPolicyTests {
    let policy = WebhookRetryPolicy(base: .seconds(5), cap: .seconds(60), maxFailures: 6, maxFailingDuration: .seconds(600))

    @Test("The ceiling doubles from the base and stops at the cap")
    func schedule() {
        #expect((1...7).map { policy.ceiling(afterFailures: $0) } == [5, 10, 20, 40, 60, 60, 60].map { Duration.seconds($0) })
        // A count far past the cap does not overflow.
        #expect(policy.ceiling(afterFailures: 10_000) == .seconds(60))
    }

    @Test("Jitter keeps each wait between half the ceiling and the ceiling, so waits still grow")
    func jitter() {
        for failures in 1...5 {
            let ceiling = policy.ceiling(afterFailures: failures)
            #expect(policy.delay(afterFailures: failures, unit: 0) == ceiling / 2)
            #expect(policy.delay(afterFailures: failures, unit: 0.999_999_9) <= ceiling)
            #expect(policy.delay(afterFailures: failures, unit: 0.5) > ceiling / 2)
            // The shortest next wait is no shorter than the longest this one.
            if failures < 4 { #expect(policy.delay(afterFailures: failures + 1, unit: 0) >= policy.delay(afterFailures: failures, unit: 0.999_999_9)) }
        }
    }

    @Test("Failures back off, then disable at the count; success resets; enabling resumes at the cursor")
    func failingThenDisabled() throws {
        var state = WebhookDeliveryState(name: "pd", cursor: 10)
        var time = Timestamp(millisecondsSinceEpoch: 1_700_000_000_000)
        for attempt in 1...5 {
            state = state.failed(seq: 12, status: 500, error: "HTTP 500", at: time, policy: policy, unit: 0)
            #expect(state.failures == attempt)
            #expect(state.cursor == 11, "the cursor passes the event that did not match, not the one that failed")
            #expect(state.disabledAt == nil)
            #expect(state.condition == "retrying")
            let wait = try #require(state.nextAttemptAt).millisecondsSinceEpoch - time.millisecondsSinceEpoch
            #expect(wait == WebhookRetryPolicyTests.milliseconds(policy.ceiling(afterFailures: attempt)) / 2)
            time = try #require(state.nextAttemptAt)
        }
        state = state.failed(seq: 12, status: nil, error: "connection refused", at: time, policy: policy, unit: 0)
        #expect(state.condition == "disabled")
        #expect(state.failures == 6)
        #expect(state.lastStatus == nil)
        #expect(state.nextAttemptAt == nil)
        #expect(state.failingSince == Timestamp(millisecondsSinceEpoch: 1_700_000_000_000))
        let enabled = state.enabled()
        #expect(enabled.condition == "active")
        #expect(enabled.cursor == 11)
        let delivered = enabled.delivered(seq: 12, status: 204, at: time)
        #expect(delivered.cursor == 12)
        #expect(delivered.delivered == 1)
        #expect(delivered.lastError == nil)
    }

    @Test("Failing for longer than the duration disables, whatever the count")
    func failingTooLong() {
        let start = Timestamp(millisecondsSinceEpoch: 1_700_000_000_000)
        var state = WebhookDeliveryState(name: "pd", cursor: 0).failed(seq: 1, status: 503, error: "HTTP 503", at: start, policy: policy, unit: 0)
        state = state.failed(seq: 1, status: 503, error: "HTTP 503", at: start.adding(milliseconds: 601_000), policy: policy, unit: 0)
        #expect(state.failures == 2)
        #expect(state.condition == "disabled")
    }

    @Test("Retry-After lengthens the wait, up to the cap and no further")
    func retryAfter() throws {
        let time = Timestamp(millisecondsSinceEpoch: 1_700_000_000_000)
        let state = WebhookDeliveryState(name: "pd", cursor: 0)
        let hinted = state.failed(seq: 1, status: 429, error: "HTTP 429", at: time, policy: policy, unit: 0, retryAfter: .seconds(30))
        #expect(try #require(hinted.nextAttemptAt).millisecondsSinceEpoch - time.millisecondsSinceEpoch == 30_000)
        let greedy = state.failed(seq: 1, status: 503, error: "HTTP 503", at: time, policy: policy, unit: 0, retryAfter: .seconds(86_400))
        #expect(try #require(greedy.nextAttemptAt).millisecondsSinceEpoch - time.millisecondsSinceEpoch == 60_000)
        let short = state.failed(seq: 1, status: 503, error: "HTTP 503", at: time, policy: policy, unit: 0, retryAfter: .seconds(0))
        #expect(try #require(short.nextAttemptAt).millisecondsSinceEpoch - time.millisecondsSinceEpoch == 2_500, "a hint never shortens the backoff")
    }

    @Test("410 Gone disables at once: the receiver asked to stop")
    func gone() {
        let state = WebhookDeliveryState(name: "pd", cursor: 0).failed(
            seq: 1, status: 410, error: "HTTP 410", at: Timestamp(millisecondsSinceEpoch: 0), policy: policy, unit: 0)
        #expect(state.condition == "disabled")
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    }
}
