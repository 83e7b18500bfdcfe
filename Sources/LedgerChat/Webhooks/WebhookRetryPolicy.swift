/// When to try again after a failed delivery, and when to give up: exponential backoff
/// (`base · 2^(failures−1)`, at most `cap`) with "equal jitter" (a wait is drawn between half
/// that ceiling and all of it), so receivers that failed together do not all come back at the
/// same instant while every wait still grows; and a subscription is
/// disabled after `maxFailures` consecutive failures, or once it has been failing for longer
/// than `maxFailingDuration`, whichever comes first.
public struct WebhookRetryPolicy: Sendable, Hashable {
    public var base: Duration
    public var cap: Duration
    public var maxFailures: Int
    public var maxFailingDuration: Duration

    /// The defaults follow the Standard Webhooks advice of retrying over days: 5 s doubling to
    /// at most an hour, disabled after 30 failures in a row or 3 days of failing.
    public init(base: Duration = .seconds(5), cap: Duration = .seconds(3600), maxFailures: Int = 30, maxFailingDuration: Duration = .seconds(3 * 86400)) {
        self.base = base
        self.cap = cap
        self.maxFailures = maxFailures
        self.maxFailingDuration = maxFailingDuration
    }

    /// The longest wait after the `failures`-th consecutive failure (1 for the first):
    /// `min(cap, base · 2^(failures−1))`.
    public func ceiling(afterFailures failures: Int) -> Duration {
        let exponent = min(max(failures - 1, 0), 40)
        let milliseconds = Self.milliseconds(base)
        let capped = min(Self.milliseconds(cap), milliseconds.multipliedReportingOverflow(by: Int64(1) << exponent).overflow ? Int64.max : milliseconds << exponent)
        return .milliseconds(capped)
    }

    /// The wait after the `failures`-th failure: uniformly between half the ceiling and the
    /// ceiling (`unit` in 0..<1 picks where), so a wait never collapses to nothing and still
    /// grows with every failure.
    public func delay(afterFailures failures: Int, unit: Double) -> Duration {
        let ceiling = Self.milliseconds(ceiling(afterFailures: failures))
        let half = ceiling / 2
        return .milliseconds(half + Int64(Double(ceiling - half) * min(max(unit, 0), 0.999_999)))
    }

    /// True when a subscription with `failures` consecutive failures, failing since
    /// `failingFor`, must be disabled.
    public func shouldDisable(failures: Int, failingFor: Duration) -> Bool {
        failures >= maxFailures || failingFor > maxFailingDuration
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    }
}
