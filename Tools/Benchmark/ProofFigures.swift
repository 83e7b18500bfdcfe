/// The proofs of one tree size from one kind of tree: each position's timing.
struct ProofFigures {
    /// Where the subtree hashes come from.
    enum Tree: String {
        /// A real ledger's `merkle_nodes` table, through `Ledger.inclusionProof` and
        /// `consistencyProof`: SQLite reads included.
        case stored
        /// `SyntheticTree`: the same proof code and hashing, lookups in memory.
        case synthetic
    }

    /// One position (a leaf, or an old size for consistency) timed over the repetitions.
    struct Position {
        /// "first", "middle", "last", "random" (a new one each repetition) for inclusion; "1",
        /// "n/2", "n-1", "random" for the old size of a consistency proof.
        var name: String
        /// Produce + check of each repetition, in µs.
        var microseconds: [Double]
        /// The most hashes a proof held over the repetitions (the random position's vary).
        var hashes: Int
        /// The most subtree hashes producing a proof and its root(s) asked for: on the stored
        /// tree each is one SQLite read (an inclusion proof also reads its event's row).
        var reads: Int

        var median: Double { Statistic(microseconds)?.median ?? .nan }
        var bytes: Int { hashes * 32 }
    }

    var leaves: Int
    var tree: Tree
    var inclusion: [Position]
    var consistency: [Position]

    /// The mean over positions of their median µs: the cost of a proof, wherever it points.
    static func meanMedian(_ positions: [Position]) -> Double {
        positions.isEmpty ? .nan : positions.map(\.median).reduce(0, +) / Double(positions.count)
    }

    /// The slowest position's median µs.
    static func slowestMedian(_ positions: [Position]) -> Double {
        positions.map(\.median).max() ?? .nan
    }
}
