/// A rate set beside what bounds it (a physical limit) or what it competes with (the peer),
/// with the budget it must meet when there is one.
///
/// The share is the median over runs of each run's rate ÷ that run's limit (measured seconds
/// apart), not the ratio of the two medians, so drift between runs cancels out.
struct Comparison {
    var metric: Metric
    /// Median rate over the runs.
    var rate: Double
    /// What bounds the rate, e.g. "Ed25519 verify/s, all cores".
    var limitName: String
    /// Median limit over the runs.
    var limit: Double
    /// Each run's rate ÷ limit.
    var fractions: [Double]
    /// The share of `limit` the rate must reach; nil for a figure reported without a budget.
    var requiredFraction: Double?
    /// Against a peer rather than a limit: shown as a ratio (2.1×), not a share (210%).
    var isRatio = false

    var fraction: Double { Statistic(fractions)?.median ?? 0 }

    /// nil when there is no budget.
    var passes: Bool? { requiredFraction.map { fraction >= $0 } }

    /// `fraction` as the table prints it: "62.9%" or "1.3×".
    var formattedFraction: String {
        isRatio ? String(format: "%.2f×", fraction) : String(format: "%.1f%%", fraction * 100)
    }

    /// The budget as the table prints it: "≥ 70%" or "≥ 5×".
    var formattedBudget: String {
        guard let required = requiredFraction else { return "-" }
        return isRatio ? "≥ \(String(format: "%g", required))×" : "≥ \(Int((required * 100).rounded()))%"
    }

    /// The comparisons the benchmark reports.
    static func all(_ runs: [[Metric: Double]], cores: Int) -> [Comparison] {
        var rows: [Comparison] = []
        func add(_ metric: Metric, _ limitName: String, budget: Double? = nil, ratio: Bool = false, _ limit: ([Metric: Double]) -> Double?) {
            let pairs = runs.compactMap { run -> (rate: Double, limit: Double)? in
                guard let rate = run[metric], let limit = limit(run), limit > 0 else { return nil }
                return (rate, limit)
            }
            guard let rate = Statistic(pairs.map(\.rate)), let limitValue = Statistic(pairs.map(\.limit)) else { return }
            rows.append(Comparison(
                metric: metric, rate: rate.median, limitName: limitName, limit: limitValue.median,
                fractions: pairs.map { $0.rate / $0.limit }, requiredFraction: budget, isRatio: ratio))
        }
        let coreCount = Double(cores)
        add(.saveFull, "peer, per save, FULL", budget: 5, ratio: true) { $0[.peerSave] }
        add(.saveFull, "SQLite commits/s (1 event a commit)") { $0[.commitsPerSecond] }
        add(.peerSave, "SQLite commits/s (1 event a commit)") { $0[.commitsPerSecond] }
        add(.saveNormal, "peer, per save, FULL", ratio: true) { $0[.peerSave] }
        add(.approvalsSave, "peer, per save, FULL", budget: 1, ratio: true) { $0[.peerSave] }
        add(.batchAppend, "Ed25519 sign/s, 1 core", budget: 0.70) { $0[.signsPerSecond] }
        add(.batchAppend, "openssl speed sign/s") { $0[.opensslSignsPerSecond] }
        add(.verify, "Ed25519 verify/s, all cores at once", budget: 0.85) { $0[.parallelVerifiesPerSecond] }
        add(.verify, "\(cores) × Ed25519 verify/s, 1 core") { $0[.verifiesPerSecond].map { $0 * coreCount } }
        add(.verify, "\(cores) × openssl speed verify/s") { $0[.opensslVerifiesPerSecond].map { $0 * coreCount } }
        return rows
    }
}
