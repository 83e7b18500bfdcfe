public import LedgerDomain
public import LedgerFormat

/// The figures the HTML report states and charts, computed from the requests in an
/// export's scope: outcome counts, decision latency, requests per day by outcome, and the
/// pending queue over the period.
///
/// A deliberately small stand-in: when the shared SLI computation of `ledger metrics`
/// (docs/METRICS.md) is available, the report should take its figures from there so both
/// always agree.
public struct ReportFigures: Sendable {
    /// A bar of the latency histogram: decisions that took less than `upTo` (and at least
    /// the previous bucket's bound).
    public struct LatencyBucket: Sendable, Hashable {
        public let label: String
        /// Exclusive upper bound in milliseconds; nil for the last, open bucket.
        public let upTo: Int64?
        public internal(set) var count = 0
    }

    /// Requests opened on one day (or in one run of days, for long periods), by outcome.
    public struct Day: Sendable, Hashable {
        /// `YYYY-MM-DD`, the first day of the bucket, UTC.
        public let date: String
        public internal(set) var counts: [RequestState.Status: Int] = [:]
        public var total: Int { counts.values.reduce(0, +) }
    }

    /// The number of pending requests from `time` on.
    public struct QueuePoint: Sendable, Hashable {
        public let time: Timestamp
        public let pending: Int
    }

    public internal(set) var requests = 0
    public internal(set) var byStatus: [RequestState.Status: Int] = [:]
    /// Latency of decisions made by people (granted or denied by votes), in milliseconds, sorted.
    public internal(set) var latencies: [Int64] = []
    public internal(set) var latency: [LatencyBucket] = Self.buckets()
    /// Days per bar of `days`: 1, or more when the period is too long to show day by day.
    public internal(set) var daysPerBar = 1
    public internal(set) var days: [Day] = []
    public internal(set) var queue: [QueuePoint] = []
    public internal(set) var start: Timestamp?
    public internal(set) var end: Timestamp?
    public internal(set) var rejectedAttempts = 0
    public internal(set) var refusedExecutions = 0
    /// Granted requests whose last execution failed.
    public internal(set) var failuresAfterApproval = 0
    public internal(set) var rollbacks = 0
    /// Break-glass bypasses, and those whose review is still open at the period's end.
    public internal(set) var bypasses = 0
    public internal(set) var openReviews = 0

    /// The most bars the per-day chart draws; longer periods group days.
    static let maxBars = 92

    public init(_ period: PeriodRecord) {
        let requests = period.requests
        self.requests = requests.count
        for request in requests {
            byStatus[request.status, default: 0] += 1
            if request.decidedByPeople, let latency = request.latencyMilliseconds { latencies.append(latency) }
            guard let state = request.state else { continue }
            rejectedAttempts += state.rejectedAttempts.count
            refusedExecutions += state.refusedExecutions.count
            if request.status == .granted, state.executions.last?.succeeded == false { failuresAfterApproval += 1 }
            if state.rolledBackAt != nil { rollbacks += 1 }
            if request.status == .bypassed {
                bypasses += 1
                if state.review?.closedAt == nil { openReviews += 1 }
            }
        }
        latencies.sort()
        for latency in latencies {
            let index = latency < 0 ? 0 : (self.latency.firstIndex { $0.upTo.map { latency < $0 } ?? true } ?? self.latency.count - 1)
            self.latency[index].count += 1
        }
        let times = requests.flatMap { [$0.openedAt] + ($0.decidedAt.map { [$0] } ?? []) }
        start = period.plan.scope.since ?? times.min()
        end = period.plan.scope.until ?? times.max()
        if let start, let end, start <= end {
            days = Self.days(requests, from: start, to: end, daysPerBar: &daysPerBar)
            queue = Self.queue(requests, from: start, to: end)
        }
    }

    /// The value at quantile `q` (0…1) of the people's decision latencies, nearest rank.
    public func latencyPercentile(_ q: Double) -> Int64? {
        guard !latencies.isEmpty else { return nil }
        let rank = max(1, Int((q * Double(latencies.count)).rounded(.up)))
        return latencies[min(rank, latencies.count) - 1]
    }

    private static func buckets() -> [LatencyBucket] {
        let minute: Int64 = 60_000
        let bounds: [(String, Int64?)] = [
            ("< 1m", minute), ("1–5m", 5 * minute), ("5–15m", 15 * minute), ("15–30m", 30 * minute),
            ("30m–1h", 60 * minute), ("1–2h", 120 * minute), ("2–4h", 240 * minute), ("4–8h", 480 * minute),
            ("8–24h", 1440 * minute), ("≥ 1d", nil),
        ]
        return bounds.map { LatencyBucket(label: $0.0, upTo: $0.1) }
    }

    private static let day: Int64 = 86_400_000

    private static func days(_ requests: [RequestRecord], from start: Timestamp, to end: Timestamp, daysPerBar: inout Int) -> [Day] {
        let first = start.millisecondsSinceEpoch - start.millisecondsSinceEpoch.modulo(day)
        let last = end.millisecondsSinceEpoch
        let count = Int((last - first) / day) + 1
        daysPerBar = max(1, (count + maxBars - 1) / maxBars)
        let width = Int64(daysPerBar) * day
        var days: [Day] = []
        var bar: Int64 = first
        while bar <= last {
            days.append(Day(date: String(Timestamp(millisecondsSinceEpoch: bar).description.prefix(10))))
            bar += width
        }
        for request in requests {
            let index = Int((request.openedAt.millisecondsSinceEpoch - first) / width)
            guard request.openedAt >= start, days.indices.contains(index) else { continue }
            days[index].counts[request.status, default: 0] += 1
        }
        return days
    }

    private static func queue(_ requests: [RequestRecord], from start: Timestamp, to end: Timestamp) -> [QueuePoint] {
        var changes: [(Timestamp, Int)] = []
        for request in requests {
            changes.append((max(request.openedAt, start), 1))
            if let decided = request.decidedAt { changes.append((max(decided, start), -1)) }
        }
        changes.sort { ($0.0, $0.1) < ($1.0, $1.1) }
        var points = [QueuePoint(time: start, pending: 0)]
        var pending = 0
        for (time, change) in changes where time <= end {
            pending += change
            if points.last?.time == time { points.removeLast() }
            points.append(QueuePoint(time: time, pending: pending))
        }
        return points
    }
}

extension Int64 {
    /// The remainder of floor division: never negative for a positive `divisor`.
    func modulo(_ divisor: Int64) -> Int64 {
        let remainder = self % divisor
        return remainder < 0 ? remainder + divisor : remainder
    }
}
