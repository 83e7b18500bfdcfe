public import LedgerDomain
public import LedgerFormat

/// What the HTML report charts over time beside the SLIs, per hour or per day: the requests
/// opened, by status, and the pending queue (its peak and its time-weighted mean).
///
/// Computed from the same projection rows and query as `ApprovalMetrics`, so the openings of
/// a day (or an hour) are M8's count for it, and a request counts as pending exactly when
/// `RequestTimings.isPending(at:)` says so.
public struct ReportSeries: Sendable, Hashable {
    /// One hour, one day, or a run of days.
    public struct Bucket: Sendable, Hashable {
        /// The start of the UTC hour or day, in ms since the epoch.
        public let startMs: Int64
        /// Requests opened in the bucket, by their status at the query's `now`.
        public internal(set) var opened: [RequestState.Status: Int] = [:]
        /// The most requests pending at any one instant of the bucket (within the span).
        public internal(set) var peakPending = 0
        /// The requests pending on average over the bucket (within the span), weighted by time.
        public internal(set) var meanPending = 0.0

        /// Requests opened in the bucket.
        public var openedTotal: Int { opened.values.reduce(0, +) }
    }

    /// The length of each bucket in ms: an hour for spans of up to `hourlyUpTo`, else as many
    /// days as keep the buckets at most `maxBuckets`.
    public let widthMs: Int64
    /// Consecutive buckets covering the span, the first starting at the UTC hour or day the
    /// span starts in.
    public let buckets: [Bucket]

    static let hourMs: Int64 = 3_600_000
    static let dayMs: Int64 = 86_400_000
    /// The longest span drawn hour by hour (96 buckets at most).
    static let hourlyUpTo: Int64 = 4 * dayMs
    static let maxBuckets: Int64 = 92

    /// The series over `[start, end)`; nil when the span is empty.
    ///
    /// One pass over the requests, a sort of their openings and resolutions, and one sweep
    /// over the buckets: O(n log n + buckets).
    public init?(facts: MetricsFacts, query: MetricsQuery, start: Timestamp, end: Timestamp) {
        let from = start.millisecondsSinceEpoch, to = end.millisecondsSinceEpoch
        guard from < to else { return nil }
        let now = query.now.millisecondsSinceEpoch
        let first: Int64, width: Int64
        if to - from <= Self.hourlyUpTo {
            first = Self.floor(from, Self.hourMs)
            width = Self.hourMs
        } else {
            first = Self.floor(from, Self.dayMs)
            let days = (to - first + Self.dayMs - 1) / Self.dayMs
            width = Self.dayMs * ((days + Self.maxBuckets - 1) / Self.maxBuckets)
        }
        widthMs = width
        let count = Int((to - first + width - 1) / width)
        var buckets = (0..<count).map { Bucket(startMs: first + Int64($0) * width) }

        // +1 when a request opens, -1 when it stops being pending, as `isPending(at:)` counts.
        var changes: [(timeMs: Int64, delta: Int)] = []
        for request in facts.requests {
            guard request.openedMs <= now, query.selects(environment: request.environment, action: request.action) else { continue }
            changes.append((request.openedMs, 1))
            let resolved = request.resolvedMs.flatMap { $0 <= now ? $0 : nil }
            if let resolved { changes.append((resolved, -1)) }
            let index = Int((request.openedMs - first) / width)
            if query.inWindow(request.openedMs), request.openedMs >= first, buckets.indices.contains(index) {
                buckets[index].opened[resolved == nil ? .pending : request.outcome ?? .pending, default: 0] += 1
            }
        }
        changes.sort { $0.timeMs < $1.timeMs }

        var next = 0, pending = 0
        // Applies every change at or before `time`: pending is then the count at `time`.
        func advance(through time: Int64) {
            while next < changes.count, changes[next].timeMs <= time {
                pending += changes[next].delta
                next += 1
            }
        }
        for index in buckets.indices {
            let low = max(buckets[index].startMs, from), high = min(buckets[index].startMs + width, to)
            advance(through: low)
            // `pending` holds from `since` until the next change.
            var peak = pending, since = low, pendingMs: Int64 = 0
            while next < changes.count, changes[next].timeMs < high {
                let time = changes[next].timeMs
                pendingMs += Int64(pending) * (time - since)
                since = time
                advance(through: time)
                peak = max(peak, pending)
            }
            pendingMs += Int64(pending) * (high - since)
            buckets[index].peakPending = peak
            buckets[index].meanPending = Double(pendingMs) / Double(high - low)
        }
        self.buckets = buckets
    }

    /// The start of the bucket after the last: where the span's chart ends.
    public var endMs: Int64 { (buckets.last?.startMs ?? 0) + widthMs }

    static func floor(_ milliseconds: Int64, _ unit: Int64) -> Int64 {
        let remainder = milliseconds % unit
        return milliseconds - (remainder < 0 ? remainder + unit : remainder)
    }
}
