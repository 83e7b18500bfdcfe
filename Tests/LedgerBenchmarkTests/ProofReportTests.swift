import ApprovalLedger
@testable import LedgerBenchmark
import Testing

@Suite("Merkle proof figures: the synthetic tree and the proof budgets")
struct ProofReportTests {
    @Test func theSyntheticTreeIsTheTreeOfEqualLeaves() throws {
        let tree = SyntheticTree()
        var frontier = MerkleFrontier()
        for size in UInt64(1)...70 {
            frontier.append(tree.leafHash)
            let root = try MerkleTree.root(size: size, subtree: { tree.subtree(level: $0, index: $1) })
            #expect(root == frontier.root, "size \(size)")
            for leaf in [0, size / 2, size - 1] {
                let proof = try MerkleTree.inclusionProof(leafIndex: leaf, treeSize: size, subtree: { tree.subtree(level: $0, index: $1) })
                try proof.verify(leafHash: tree.leafHash.bytes, root: root.bytes)
            }
        }
    }

    @Test func readsAreTheSubtreesTheProofCodeAsksFor() {
        // A perfect tree: the path's siblings and the root itself, one subtree each.
        #expect(ProofBenchmark.inclusionReads(leaf: 0, size: 1024) == 11)
        #expect(ProofBenchmark.inclusionReads(leaf: 0, size: 1) == 1)
        #expect(ProofBenchmark.consistencyReads(old: 512, size: 1024) > 0)
    }

    static func position(_ name: String, _ microseconds: Double, hashes: Int, reads: Int) -> ProofFigures.Position {
        .init(name: name, microseconds: [microseconds, microseconds], hashes: hashes, reads: reads)
    }

    static func figures(_ leaves: Int, _ tree: ProofFigures.Tree, _ microseconds: Double, hashes: Int) -> ProofFigures {
        let positions = ["first", "random"].map { position($0, microseconds, hashes: hashes, reads: hashes + 1) }
        return ProofFigures(leaves: leaves, tree: tree, inclusion: positions, consistency: positions)
    }

    @Test func budgetsHoldTheLargestSizeAndGrowthToLogN() throws {
        let report = ProofReport(
            rows: [
                Self.figures(1_000, .synthetic, 2, hashes: 10), Self.figures(1_000, .stored, 12, hashes: 10),
                Self.figures(1_000_000, .synthetic, 4, hashes: 20), Self.figures(1_000_000, .stored, 46, hashes: 20),
                Self.figures(100_000_000, .synthetic, 6, hashes: 27),
            ],
            repetitions: 2)
        // (46 − 4) µs over 21 reads per position.
        let cost = try #require(report.readCost)
        #expect(cost.leaves == 1_000_000)
        #expect(abs(cost.microseconds - 2) < 1e-9)
        #expect(abs(report.slowest(report.largest!.inclusion, tree: .synthetic) - (6 + 28 * 2)) < 1e-9)
        let budgets = report.budgets
        #expect(budgets.count == 6)
        #expect(budgets.allSatisfy(\.passes) == false)
        // 864 bytes ≤ 1,000 and 62 µs < 1 ms; synthetic growth 3× ≤ 1.25 × 8/3; stored 3.83× > 1.25 × 2.
        #expect(budgets.map(\.passes) == [true, true, true, true, false, false])
    }

    @Test func theTreeCostIsHeldToTheShareBeforeTheTree() {
        let comparison = Comparison(
            metric: .batchAppend, rate: 20_000, limitName: "Ed25519 sign/s, 1 core", limit: 25_000, fractions: [0.80], requiredFraction: 0.70)
        let statistics: [Metric: Statistic] = [.treeUpkeepCPU: Statistic([3])!, .batchAppendCPU: Statistic([60])!]
        let budgets = AppendTreeCost(comparisons: [comparison], statistics: statistics).budgets
        // 80% ÷ 90.2% = 88.7% < 90%; 3 of 60 µs = 5% ≤ 10%.
        #expect(budgets.map(\.passes) == [false, true])
    }
}
