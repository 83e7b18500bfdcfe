/// Count, mean, percentiles and histogram of a set of durations in milliseconds.
///
/// Percentiles use the nearest-rank method: the p-th percentile of n sorted values is the
/// value at rank ⌈p·n/100⌉ (1-based), always one of the observations, so a hand count can
/// check it.
public struct DurationSummary: Sendable, Hashable {
    /// Histogram bucket upper bounds, in milliseconds: 1m, 5m, 15m, 30m, 1h, 2h, 4h, 8h, 24h
    /// (and +Inf, which is `count`).
    public static let bucketBounds: [Int64] = [60_000, 300_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 14_400_000, 28_800_000, 86_400_000]

    /// Observations.
    public var count: Int
    /// Their sum, and the smallest and largest (nil without observations).
    public var sumMs: Int64
    public var minMs: Int64?
    public var maxMs: Int64?
    /// Nearest-rank percentiles; nil without observations.
    public var p50Ms: Int64?
    public var p90Ms: Int64?
    public var p99Ms: Int64?
    /// Cumulative: observations ≤ each of `bucketBounds`.
    public var buckets: [Int]

    /// The arithmetic mean in milliseconds; nil when there are no observations.
    public var meanMs: Double? { count == 0 ? nil : Double(sumMs) / Double(count) }

    /// Summarizes `values` (milliseconds, in any order).
    public init(_ values: [Int64]) {
        let sorted = values.sorted()
        count = sorted.count
        sumMs = sorted.reduce(0, +)
        minMs = sorted.first
        maxMs = sorted.last
        p50Ms = Self.percentile(50, of: sorted)
        p90Ms = Self.percentile(90, of: sorted)
        p99Ms = Self.percentile(99, of: sorted)
        var buckets: [Int] = []
        var index = 0
        for bound in Self.bucketBounds {
            while index < sorted.count, sorted[index] <= bound { index += 1 }
            buckets.append(index)
        }
        self.buckets = buckets
    }

    /// The nearest-rank `p`-th percentile of ascending `sorted` values.
    public static func percentile(_ p: Int, of sorted: [Int64]) -> Int64? {
        guard !sorted.isEmpty else { return nil }
        let rank = (p * sorted.count + 99) / 100
        return sorted[max(rank, 1) - 1]
    }
}
