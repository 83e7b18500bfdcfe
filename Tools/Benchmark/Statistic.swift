/// The median and range of one metric over the runs.
struct Statistic {
    var median: Double
    var minimum: Double
    var maximum: Double
    var samples: [Double]

    init?(_ samples: [Double]) {
        guard !samples.isEmpty else { return nil }
        let sorted = samples.sorted()
        let middle = sorted.count / 2
        median = sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
        minimum = sorted[0]
        maximum = sorted[sorted.count - 1]
        self.samples = samples
    }

    /// The median of `metric` over `runs`, nil when no run measured it.
    static func of(_ metric: Metric, in runs: [[Metric: Double]]) -> Statistic? {
        Statistic(runs.compactMap { $0[metric] })
    }
}
