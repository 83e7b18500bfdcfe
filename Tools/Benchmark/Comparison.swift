/// A ledger rate set beside the physical limit that bounds it, with the budget it must meet
/// when there is one.
struct Comparison {
    var metric: Metric
    var rate: Double
    /// What bounds the rate, e.g. "2 × Ed25519 verify/s".
    var limitName: String
    var limit: Double
    /// The share of `limit` the rate must reach; nil for a figure reported without a budget.
    var requiredFraction: Double?

    var fraction: Double { rate / limit }

    /// nil when there is no budget.
    var passes: Bool? { requiredFraction.map { fraction >= $0 } }

    /// The comparisons the benchmark reports, from the medians of its runs.
    static func all(_ medians: [Metric: Double], cores: Int) -> [Comparison] {
        var rows: [Comparison] = []
        func add(_ metric: Metric, _ limitName: String, _ limit: Double?, budget: Double? = nil) {
            guard let rate = medians[metric], let limit, limit > 0 else { return }
            rows.append(Comparison(metric: metric, rate: rate, limitName: limitName, limit: limit, requiredFraction: budget))
        }
        let sign = medians[.signsPerSecond]
        let verify = medians[.verifiesPerSecond]
        add(.batchAppend, "Ed25519 sign/s, 1 core", sign, budget: 0.70)
        add(.batchAppend, "openssl speed sign/s", medians[.opensslSignsPerSecond])
        add(.singleAppendFull, "fdatasync/s", medians[.fsyncsPerSecond])
        add(.singleAppendNormal, "Ed25519 sign/s, 1 core", sign)
        add(.verify, "\(cores) × Ed25519 verify/s", verify.map { $0 * Double(cores) }, budget: 0.85)
        add(.verify, "verify/s, all cores measured", medians[.parallelVerifiesPerSecond])
        add(.verify, "\(cores) × openssl speed verify/s", medians[.opensslVerifiesPerSecond].map { $0 * Double(cores) })
        return rows
    }
}
