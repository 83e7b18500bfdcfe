import HTTPTypes
import Synchronization

/// Approval spam: each requester may open at most `perMinute` requests in any minute (a token
/// bucket refilled continuously), so a pipeline stuck in a loop cannot bury the approvers'
/// channel. One more is answered 429 `rate-limited` with `Retry-After`; nothing is recorded.
/// Break-glass bypasses are not limited: an emergency is never refused for being frequent.
final class OpenRateLimit: Sendable {
    let perMinute: Int
    private struct Bucket {
        var tokens: Double
        var refilledAt: ContinuousClock.Instant
    }
    private let buckets = Mutex<[String: Bucket]>([:])
    private let clock = ContinuousClock()

    init(perMinute: Int) {
        self.perMinute = perMinute
    }

    /// Takes one token of `requester`'s, or throws the 429 problem.
    func admit(_ requester: String) throws {
        let now = clock.now
        let capacity = Double(perMinute)
        let wait: Double? = buckets.withLock { buckets in
            var bucket = buckets[requester] ?? Bucket(tokens: capacity, refilledAt: now)
            let elapsed = Double((now - bucket.refilledAt).components.attoseconds) / 1e18 + Double((now - bucket.refilledAt).components.seconds)
            bucket.tokens = min(capacity, bucket.tokens + elapsed * capacity / 60)
            bucket.refilledAt = now
            defer { buckets[requester] = bucket }
            guard bucket.tokens >= 1 else { return (1 - bucket.tokens) * 60 / capacity }
            bucket.tokens -= 1
            return nil
        }
        if let wait {
            throw Problem(
                status: .tooManyRequests, code: "rate-limited",
                detail: "'\(requester)' opened \(perMinute) requests in the last minute, the most this server allows (--max-opens-per-minute); an identical pending request is answered without opening another, so retry after the time Retry-After gives"
            ).with(header: .retryAfter, String(Int(wait.rounded(.up))))
        }
    }
}
