public import LedgerCrypto

/// The right edge of a Merkle tree being built leaf by leaf: the roots of its perfect
/// subtrees, largest first, one per set bit of the size (a "compact range" from 0).
///
/// Enough to append the next leaf and to give the root at the current size, in O(log n)
/// memory: the verifier rebuilds a ledger's tree with it as it walks, and a store fills its
/// node table with the nodes each append completes.
public struct MerkleFrontier: Sendable, Hashable {
    /// Leaves appended so far.
    public private(set) var size: UInt64 = 0
    /// Perfect-subtree roots, largest (leftmost) first.
    public private(set) var subtrees: [SHA256Digest] = []

    public init() {}

    /// A frontier for a tree of `size` leaves whose perfect subtrees, largest first, are
    /// `subtrees` (as `MerkleFrontier.levels(size:)` lists them).
    /// - Returns: nil when the count of subtrees does not fit the size.
    public init?(size: UInt64, subtrees: [SHA256Digest]) {
        guard subtrees.count == size.nonzeroBitCount else { return nil }
        self.size = size
        self.subtrees = subtrees
    }

    /// The (level, index) of each perfect subtree of a tree of `size` leaves, largest first.
    public static func levels(size: UInt64) -> [(level: Int, index: UInt64)] {
        var levels: [(level: Int, index: UInt64)] = []
        var start: UInt64 = 0
        for level in stride(from: 63, through: 0, by: -1) where size & (1 << level) != 0 {
            levels.append((level, start >> level))
            start += 1 << level
        }
        return levels
    }

    /// Appends a leaf hash and returns the interior nodes it completes, lowest first, as
    /// (level, index, hash) with level ≥ 1.
    @discardableResult
    public mutating func append(_ leaf: SHA256Digest) -> [(level: Int, index: UInt64, hash: SHA256Digest)] {
        var completed: [(level: Int, index: UInt64, hash: SHA256Digest)] = []
        var hash = leaf, level = 0, index = size
        // Each trailing one bit of the old size is a subtree of the new leaf's height to merge.
        while index & 1 == 1 {
            hash = MerkleTree.nodeHash(subtrees.removeLast(), hash)
            level += 1
            index >>= 1
            completed.append((level, index, hash))
        }
        subtrees.append(hash)
        size += 1
        return completed
    }

    /// The root at the current size.
    public var root: SHA256Digest {
        guard var hash = subtrees.last else { return MerkleTree.emptyRoot }
        for subtree in subtrees.dropLast().reversed() { hash = MerkleTree.nodeHash(subtree, hash) }
        return hash
    }
}
