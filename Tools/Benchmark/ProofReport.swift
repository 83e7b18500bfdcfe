import Foundation

/// The proof phase: every size's figures from both trees, the cost of a stored read derived
/// from them, and the budgets of issue 18.
struct ProofReport {
    /// An inclusion proof at the largest size fits in 1 KB…
    static let maxInclusionBytes = 1_000
    /// …and is produced and checked within a millisecond.
    static let maxInclusionMicroseconds = 1_000.0
    /// A proof's cost may grow with log n, not with n: from the smallest size to the largest it
    /// may grow by log₂ largest ÷ log₂ smallest, times this room for a shared machine's noise
    /// (the scaling budgets' room). A constant part per proof only makes the growth smaller;
    /// cost ∝ n would be 10⁵× here.
    static let growthTolerance = ScalingReport.maxGrowth

    /// The ledger the phase built for its stored tree.
    struct StoredLedger {
        var events: Int
        var buildEventsPerSecond: Double
    }

    var rows: [ProofFigures]
    var repetitions: Int
    var storedLedger: StoredLedger?

    /// The µs one stored read adds to a proof: at the largest size proved from both trees, the
    /// stored medians minus the synthetic ones, over the reads, summed over every position.
    /// It charges the per-call costs (the hop to the reader, its read transaction, the event's
    /// row) to the reads too, so scaling it by more reads overstates a larger tree's cost: the
    /// safe side for a budget.
    var readCost: (leaves: Int, microseconds: Double)? {
        guard let stored = rows.filter({ $0.tree == .stored }).max(by: { $0.leaves < $1.leaves }),
              let synthetic = rows.first(where: { $0.tree == .synthetic && $0.leaves == stored.leaves })
        else { return nil }
        let pairs = Array(zip(stored.inclusion + stored.consistency, synthetic.inclusion + synthetic.consistency))
        let reads = pairs.map(\.0.reads).reduce(0, +)
        guard reads > 0 else { return nil }
        let extra = pairs.map { $0.0.median - $0.1.median }.reduce(0, +)
        return (stored.leaves, max(0, extra / Double(reads)))
    }

    /// The slowest position's median µs; on the synthetic tree with its reads costed at
    /// `readCost` when there is one.
    func slowest(_ positions: [ProofFigures.Position], tree: ProofFigures.Tree) -> Double {
        let perRead = tree == .synthetic ? (readCost?.microseconds ?? 0) : 0
        return positions.map { $0.median + Double($0.reads) * perRead }.max() ?? .nan
    }

    /// The figures the size budgets hold: the largest size, its stored tree's when it has one.
    var largest: ProofFigures? {
        rows.max { ($0.leaves, $0.tree == .stored ? 1 : 0) < ($1.leaves, $1.tree == .stored ? 1 : 0) }
    }

    var budgets: [Budget] {
        guard let largest else { return [] }
        let size = ResultTable.grouped(Double(largest.leaves))
        let bytes = largest.inclusion.map(\.bytes).max() ?? 0
        let micros = slowest(largest.inclusion, tree: largest.tree)
        let how = largest.tree == .stored
            ? "stored tree"
            : readCost.map { String(format: "synthetic tree + %.2f µs per read as on %@ stored leaves", $0.microseconds, ResultTable.grouped(Double($0.leaves))) }
                ?? "synthetic tree, reads not costed: no stored tree"
        var budgets = [
            Budget(
                name: "Merkle inclusion proof at \(size) leaves: size",
                detail: "\(bytes) bytes = \(bytes / 32) hashes (≤ \(ResultTable.grouped(Double(Self.maxInclusionBytes))) bytes)",
                passes: bytes <= Self.maxInclusionBytes),
            Budget(
                name: "Merkle inclusion proof at \(size) leaves: produce + check",
                detail: String(format: "%.1f µs, slowest position's median, %@ (< %.0f µs)", micros, how, Self.maxInclusionMicroseconds),
                passes: micros < Self.maxInclusionMicroseconds),
        ]
        for tree in [ProofFigures.Tree.synthetic, .stored] {
            let sized = rows.filter { $0.tree == tree }.sorted { $0.leaves < $1.leaves }
            guard let small = sized.first, let large = sized.last, large.leaves > small.leaves else { continue }
            let bound = Self.growthTolerance * Self.log2(large.leaves) / Self.log2(small.leaves)
            for (kind, from, to) in [
                ("inclusion", small.inclusion, large.inclusion), ("consistency", small.consistency, large.consistency),
            ] {
                let (before, after) = (ProofFigures.meanMedian(from), ProofFigures.meanMedian(to))
                budgets.append(Budget(
                    name: "Merkle \(kind) proofs, \(tree.rawValue) tree: logarithmic growth, "
                        + "\(ResultTable.grouped(Double(small.leaves))) → \(ResultTable.grouped(Double(large.leaves))) leaves",
                    detail: String(
                        format: "%.2f → %.2f µs per proof = %.2f× (≤ %.2f× = %.2f × log₂ n ratio)", before, after, after / before, bound,
                        Self.growthTolerance),
                    passes: after / before <= bound))
            }
        }
        return budgets
    }

    static func log2(_ leaves: Int) -> Double { Foundation.log2(Double(max(leaves, 2))) }

    /// The table's lines.
    func render() -> [String] {
        guard !rows.isEmpty else { return [] }
        let cell = { (value: Double) in ResultTable.padLeft(String(format: "%.2f", value), 9) }
        var lines = [
            "Merkle proofs (issue 18): produce + check, median µs of \(repetitions) repetitions per position; bytes = most hashes × 32;",
            "  reads = subtree hashes asked of the store for the proof and its root(s) (one SQLite read each on the stored tree)",
            "  " + ResultTable.pad("leaves", 13) + ResultTable.pad("tree", 10) + ResultTable.pad("inclusion of leaf:", 18)
                + ["first", "middle", "last", "random", "bytes", "reads"].map { ResultTable.padLeft($0, 9) }.joined()
                + "   " + ResultTable.pad("consistency from:", 17)
                + ["1", "n/2", "n-1", "random", "bytes", "reads"].map { ResultTable.padLeft($0, 9) }.joined(),
        ]
        for row in rows {
            func columns(_ positions: [ProofFigures.Position]) -> String {
                positions.map { cell($0.median) }.joined()
                    + ResultTable.padLeft("\(positions.map(\.bytes).max() ?? 0)", 9) + ResultTable.padLeft("\(positions.map(\.reads).max() ?? 0)", 9)
            }
            lines.append(
                "  " + ResultTable.pad(ResultTable.grouped(Double(row.leaves)), 13) + ResultTable.pad(row.tree.rawValue, 10)
                    + ResultTable.pad("", 18) + columns(row.inclusion) + "   " + ResultTable.pad("", 17) + columns(row.consistency))
        }
        if let storedLedger {
            lines.append(
                "  stored tree: one ledger of \(ResultTable.grouped(Double(storedLedger.events))) events (its first n events are the tree of n), "
                    + "appended at \(ResultTable.grouped(storedLedger.buildEventsPerSecond)) events/s, NORMAL")
        }
        if let readCost {
            lines.append(String(
                format: "  a stored read adds %.2f µs (stored − synthetic medians ÷ reads at %@ leaves, per-call costs included)", readCost.microseconds,
                ResultTable.grouped(Double(readCost.leaves))))
            if let largest, largest.tree == .synthetic {
                lines.append(String(
                    format: "  at %@ leaves with reads so costed: inclusion ≤ %.2f µs, consistency ≤ %.2f µs (slowest position)",
                    ResultTable.grouped(Double(largest.leaves)), slowest(largest.inclusion, tree: .synthetic),
                    slowest(largest.consistency, tree: .synthetic)))
            }
        }
        return lines + [""]
    }

    /// The figures as the JSON file holds them.
    var json: [String: Any] {
        func positions(_ positions: [ProofFigures.Position]) -> [[String: Any]] {
            positions.map { position in
                let statistic = Statistic(position.microseconds)
                return [
                    "position": position.name, "medianMicroseconds": position.median, "minMicroseconds": statistic?.minimum ?? NSNull(),
                    "maxMicroseconds": statistic?.maximum ?? NSNull(), "hashes": position.hashes, "bytes": position.bytes,
                    "reads": position.reads,
                ]
            }
        }
        return [
            "repetitions": repetitions,
            "storedLedger": storedLedger.map { ["events": $0.events, "buildEventsPerSecond": $0.buildEventsPerSecond] as [String: Any] } ?? NSNull(),
            "readMicroseconds": readCost?.microseconds ?? NSNull(),
            "readCostLeaves": readCost?.leaves ?? NSNull(),
            "rows": rows.map { row -> [String: Any] in
                [
                    "leaves": row.leaves, "tree": row.tree.rawValue, "inclusion": positions(row.inclusion),
                    "consistency": positions(row.consistency),
                ]
            },
        ]
    }
}
