import ApprovalLedger
import Foundation

/// Merkle proofs from 10³ to 10⁸ leaves (issue 18): at each `--proof-sizes` size, inclusion
/// proofs of the first, middle, last and a random leaf, and consistency proofs from old sizes
/// 1, n/2, n−1 and a random one, each produced and checked `--proof-repetitions` times.
///
/// Sizes up to `--proof-ledger-events` are proved from a real ledger's stored tree through
/// `Ledger.inclusionProof` / `consistencyProof`, SQLite reads and the hop to the reader
/// included. One ledger of the largest such size serves them all: the tree of its first n
/// events is the tree of n leaves (`size:`). The scaling and batch ledgers are deleted as their
/// phase ends, so this phase builds its own. Every size is also proved from a `SyntheticTree`,
/// the only way to reach 10⁸, and the sizes measured both ways give the cost of a read.
struct ProofBenchmark {
    let options: BenchmarkOptions
    let log: (String) -> Void

    /// Untimed proofs before each position's timed ones: the first read of a page, the
    /// statement cache and the reader's connection are not what a proof costs.
    static let warmUp = 20

    func run() async throws -> ProofReport {
        let parent = options.directory ?? FileManager.default.temporaryDirectory.path
        let directory = "\(parent)/ledger-bench-proofs-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { if !options.keepLedgers { try? FileManager.default.removeItem(atPath: directory) } }

        var report = ProofReport(rows: [], repetitions: options.proofRepetitions)
        var stored: (scratch: ScratchLedger, events: Int)?
        if let events = options.proofSizes.filter({ $0 <= options.proofLedgerEvents }).max() {
            log("proofs: building a ledger of \(events) events for its stored tree, \(options.batchSize) per transaction, NORMAL")
            let scratch = try await ScratchLedger.create(in: directory, name: "proofs", durability: .normal)
            let timing = try await AppendBenchmark.batches(scratch, Workload(streams: options.streams), events: events, batchSize: options.batchSize)
            report.storedLedger = .init(events: events + 2, buildEventsPerSecond: timing.eventsPerSecond)
            stored = (scratch, events)
        }
        var random = SplitMix64(seed: 18)
        for size in options.proofSizes {
            log("proofs: \(size) leaves, synthetic tree, \(options.proofRepetitions) repetitions per position")
            report.rows.append(try await syntheticTree(size: UInt64(size), random: &random))
            if let stored, size <= stored.events {
                log("proofs: \(size) leaves, the stored tree of a \(stored.events + 2)-event ledger")
                report.rows.append(try await storedTree(stored.scratch.ledger, size: UInt64(size), random: &random))
            }
        }
        return report
    }

    private func syntheticTree(size: UInt64, random: inout SplitMix64) async throws -> ProofFigures {
        let tree = SyntheticTree()
        let subtree: MerkleTree.Subtree = { tree.subtree(level: $0, index: $1) }
        var figures = ProofFigures(leaves: Int(size), tree: .synthetic, inclusion: [], consistency: [])
        for (name, pick) in Self.leaves(size) {
            figures.inclusion.append(try await time(name, pick, &random, reads: { Self.inclusionReads(leaf: $0, size: size) }) { leaf in
                let proof = try MerkleTree.inclusionProof(leafIndex: leaf, treeSize: size, subtree: subtree)
                let root = try MerkleTree.root(size: size, subtree: subtree)
                return try Self.check(proof, leafHash: tree.leafHash, root: root)
            })
        }
        for (name, pick) in Self.oldSizes(size) {
            figures.consistency.append(try await time(name, pick, &random, reads: { Self.consistencyReads(old: $0, size: size) }) { old in
                let proof = try MerkleTree.consistencyProof(oldSize: old, newSize: size, subtree: subtree)
                let oldRoot = try MerkleTree.root(size: old, subtree: subtree), newRoot = try MerkleTree.root(size: size, subtree: subtree)
                return try Self.check(proof, oldRoot: oldRoot, newRoot: newRoot)
            })
        }
        return figures
    }

    private func storedTree(_ ledger: Ledger, size: UInt64, random: inout SplitMix64) async throws -> ProofFigures {
        var figures = ProofFigures(leaves: Int(size), tree: .stored, inclusion: [], consistency: [])
        for (name, pick) in Self.leaves(size) {
            figures.inclusion.append(try await time(name, pick, &random, reads: { Self.inclusionReads(leaf: $0, size: size) }) { leaf in
                let (proof, root, event) = try await ledger.inclusionProof(seq: Int64(leaf) + 1, size: Int64(size))
                return try Self.check(proof, leafHash: MerkleTree.leafHash(event.hash.bytes), root: root)
            })
        }
        for (name, pick) in Self.oldSizes(size) {
            figures.consistency.append(try await time(name, pick, &random, reads: { Self.consistencyReads(old: $0, size: size) }) { old in
                let (proof, oldRoot, newRoot) = try await ledger.consistencyProof(from: Int64(old), to: Int64(size))
                return try Self.check(proof, oldRoot: oldRoot, newRoot: newRoot)
            })
        }
        return figures
    }

    // The checks are synchronous functions of their own: Swift 6.3.1's optimizer crashes
    // (signal 11 splitting the coroutine) on a typed-throws `verify` inside an async closure.

    /// Checks an inclusion proof; returns its hash count.
    static func check(_ proof: InclusionProof, leafHash: SHA256Digest, root: SHA256Digest) throws -> Int {
        try proof.verify(leafHash: leafHash.bytes, root: root.bytes)
        return proof.hashes.count
    }

    /// Checks a consistency proof; returns its hash count.
    static func check(_ proof: ConsistencyProof, oldRoot: SHA256Digest, newRoot: SHA256Digest) throws -> Int {
        try proof.verify(oldRoot: oldRoot.bytes, newRoot: newRoot.bytes)
        return proof.hashes.count
    }

    /// Times `prove` (which returns its proof's hash count) at the position `pick` chooses,
    /// after the warm-up, one repetition at a time. The synthetic tree's proofs never suspend:
    /// called through an async closure they cost a few nanoseconds more.
    private func time(
        _ name: String, _ pick: (inout SplitMix64) -> UInt64, _ random: inout SplitMix64, reads: (UInt64) -> Int,
        _ prove: (UInt64) async throws -> Int
    ) async throws -> ProofFigures.Position {
        var position = ProofFigures.Position(name: name, microseconds: [], hashes: 0, reads: 0)
        for repetition in 0..<(Self.warmUp + options.proofRepetitions) {
            let at = pick(&random)
            let start = ContinuousClock.now
            let hashes = try await prove(at)
            let elapsed = (ContinuousClock.now - start).seconds
            guard repetition >= Self.warmUp else { continue }
            position.microseconds.append(elapsed * 1e6)
            position.hashes = max(position.hashes, hashes)
            position.reads = max(position.reads, reads(at))
        }
        return position
    }

    /// The leaves proved: first, middle, last, and a new random one each repetition.
    static func leaves(_ size: UInt64) -> [(String, (inout SplitMix64) -> UInt64)] {
        [
            ("first", { _ in 0 }), ("middle", { _ in size / 2 }), ("last", { _ in size - 1 }),
            ("random", { UInt64.random(in: 0..<size, using: &$0) }),
        ]
    }

    /// The old sizes proved consistent with `size`: 1, n/2, n−1 and a random one (1 when n is 1).
    static func oldSizes(_ size: UInt64) -> [(String, (inout SplitMix64) -> UInt64)] {
        let below = max(1, size - 1)
        return [
            ("1", { _ in 1 }), ("n/2", { _ in max(1, size / 2) }), ("n-1", { _ in below }),
            ("random", { UInt64.random(in: 1...below, using: &$0) }),
        ]
    }

    /// Subtree hashes an inclusion proof and its root ask the store for.
    static func inclusionReads(leaf: UInt64, size: UInt64) -> Int {
        counted { subtree in
            _ = try MerkleTree.inclusionProof(leafIndex: leaf, treeSize: size, subtree: subtree)
            _ = try MerkleTree.root(size: size, subtree: subtree)
        }
    }

    /// Subtree hashes a consistency proof and its two roots ask the store for.
    static func consistencyReads(old: UInt64, size: UInt64) -> Int {
        counted { subtree in
            _ = try MerkleTree.consistencyProof(oldSize: old, newSize: size, subtree: subtree)
            _ = try MerkleTree.root(size: old, subtree: subtree)
            _ = try MerkleTree.root(size: size, subtree: subtree)
        }
    }

    private static func counted(_ body: (MerkleTree.Subtree) throws -> Void) -> Int {
        let tree = SyntheticTree()
        var count = 0
        // The synthetic tree never throws.
        try? body { level, index in
            count += 1
            return tree.subtree(level: level, index: index)
        }
        return count
    }
}
