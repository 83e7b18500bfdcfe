/// A ledger rate set beside the physical limit that bounds it, with the budget it must meet
/// when there is one.
///
/// The share is the median over runs of each run's rate ÷ that run's limit (measured seconds
/// apart), not the ratio of the two medians, so drift between runs cancels out.
struct Comparison {
    var metric: Metric
    /// Median rate over the runs.
    var rate: Double
    /// What bounds the rate, e.g. "2 × Ed25519 verify/s".
    var limitName: String
    /// Median limit over the runs.
    var limit: Double
    /// Each run's rate ÷ limit.
    var fractions: [Double]
    /// The share of `limit` the rate must reach; nil for a figure reported without a budget.
    var requiredFraction: Double?

    var fraction: Double { Statistic(fractions)?.median ?? 0 }

    /// nil when there is no budget.
    var passes: Bool? { requiredFraction.map { fraction >= $0 } }

    /// The comparisons the benchmark reports.
    static func all(_ runs: [[Metric: Double]], cores: Int) -> [Comparison] {
        var rows: [Comparison] = []
        func add(_ metric: Metric, _ limitName: String, budget: Double? = nil, _ limit: ([Metric: Double]) -> Double?) {
            let pairs = runs.compactMap { run -> (rate: Double, limit: Double)? in
                guard let rate = run[metric], let limit = limit(run), limit > 0 else { return nil }
                return (rate, limit)
            }
            guard let rate = Statistic(pairs.map(\.rate)), let limitValue = Statistic(pairs.map(\.limit)) else { return }
            rows.append(Comparison(
                metric: metric, rate: rate.median, limitName: limitName, limit: limitValue.median,
                fractions: pairs.map { $0.rate / $0.limit }, requiredFraction: budget))
        }
        let coreCount = Double(cores)
        add(.batchAppend, "Ed25519 sign/s, 1 core", budget: 0.70) { $0[.signsPerSecond] }
        add(.batchAppend, "openssl speed sign/s") { $0[.opensslSignsPerSecond] }
        add(.singleAppendFull, "fdatasync/s") { $0[.fsyncsPerSecond] }
        add(.singleAppendFull, "Ed25519 sign/s, 1 core") { $0[.signsPerSecond] }
        add(.singleAppendNormal, "Ed25519 sign/s, 1 core") { $0[.signsPerSecond] }
        add(.verify, "\(cores) × Ed25519 verify/s", budget: 0.85) { $0[.verifiesPerSecond].map { $0 * coreCount } }
        add(.verify, "verify/s, all cores measured") { $0[.parallelVerifiesPerSecond] }
        add(.verify, "\(cores) × openssl speed verify/s") { $0[.opensslVerifiesPerSecond].map { $0 * coreCount } }
        return rows
    }
}
