import ApprovalLedger

/// The RFC 6962 tree of any number of leaves that are all the same entry: a real Merkle tree,
/// whose proofs verify, at sizes no ledger of a benchmark run can hold (10⁸ leaves).
///
/// A tree of distinct leaves cannot be had at 10⁸ without hashing 10⁸ entries and storing
/// 10⁸ nodes. With equal leaves every perfect subtree of one level has the same hash,
/// H₀ = leafHash(entry) and H_{l+1} = nodeHash(H_l, H_l), so the 64 possible levels are
/// computed once and `subtree` is a lookup. Proofs and roots go through the same
/// `MerkleTree` code as the stored tree's, which asks for the same (level, index) subtrees
/// and hashes the same ragged right edge: the hash operations are identical, and each lookup
/// stands where the stored tree does one SQLite read. Only the cost of those reads is missing;
/// `ProofReport` adds it back from what it measured on the stored tree.
struct SyntheticTree {
    private let levels: [SHA256Digest]

    /// The leaf entry, as the ledger's entries are: a 32-byte event hash.
    static let entry = SHA256.hash(Array("ledger-bench synthetic leaf".utf8))

    init(entry: SHA256Digest = Self.entry) {
        var levels = [MerkleTree.leafHash(entry.bytes)]
        while levels.count < 64 { levels.append(MerkleTree.nodeHash(levels[levels.count - 1], levels[levels.count - 1])) }
        self.levels = levels
    }

    /// The leaf hash of every leaf.
    var leafHash: SHA256Digest { levels[0] }

    /// The hash of the perfect subtree at `level`: the same for every index.
    func subtree(level: Int, index: UInt64) -> SHA256Digest { levels[level] }
}
