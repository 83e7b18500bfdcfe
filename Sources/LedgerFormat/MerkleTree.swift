public import LedgerCrypto

/// The RFC 6962 / RFC 9162 Merkle tree over a log's entries, with SHA-256.
///
/// A leaf is SHA-256(0x00 ‖ entry) and an interior node SHA-256(0x01 ‖ left ‖ right); a tree
/// of n > 1 entries splits at the largest power of two below n. The ledger's entries are its
/// event hashes in seq order (leaf index = seq - 1), so the tree commits to the same bytes the
/// hash chain does (docs/FORMAT.md §Merkle tree).
///
/// Proofs and roots are computed from *perfect subtrees*: the hash of the 2^level leaves
/// starting at `index · 2^level`. A store keeps those, so every root and proof costs
/// O(log n) reads.
public enum MerkleTree {
    /// The hash of a perfect subtree (`level` 0 is a leaf hash); throws what the store throws.
    public typealias Subtree = (_ level: Int, _ index: UInt64) throws -> SHA256Digest

    /// The root of the empty tree: SHA-256 of nothing.
    public static let emptyRoot = SHA256.hash([UInt8]())

    /// SHA-256(0x00 ‖ entry).
    public static func leafHash(_ entry: some Collection<UInt8>) -> SHA256Digest {
        var bytes = [UInt8](repeating: 0, count: 1)
        bytes.reserveCapacity(1 + entry.count)
        bytes.append(contentsOf: entry)
        return SHA256.hash(bytes)
    }

    /// SHA-256(0x01 ‖ left ‖ right).
    public static func nodeHash(_ left: SHA256Digest, _ right: SHA256Digest) -> SHA256Digest {
        var bytes = [UInt8](repeating: 1, count: 1)
        bytes.reserveCapacity(65)
        bytes.append(contentsOf: left.bytes)
        bytes.append(contentsOf: right.bytes)
        return SHA256.hash(bytes)
    }

    /// The root of the first `size` leaves.
    public static func root(size: UInt64, subtree: Subtree) throws -> SHA256Digest {
        size == 0 ? emptyRoot : try rangeHash(0, size, subtree)
    }

    /// The audit path of leaf `index` in the tree of `size` leaves (RFC 9162 §2.1.3.1).
    /// - Precondition: `index < size`.
    public static func inclusionProof(leafIndex index: UInt64, treeSize size: UInt64, subtree: Subtree) throws -> InclusionProof {
        precondition(index < size, "leaf index \(index) is outside a tree of \(size)")
        var hashes: [SHA256Digest] = []
        var low: UInt64 = 0, high = size
        // Walks down from the root; the sibling of each step is appended, then reversed so the
        // proof lists them leaf first.
        while high - low > 1 {
            let split = largestPowerOfTwo(below: high - low)
            if index < low + split {
                hashes.append(try rangeHash(low + split, high, subtree))
                high = low + split
            } else {
                hashes.append(try rangeHash(low, low + split, subtree))
                low += split
            }
        }
        return InclusionProof(leafIndex: index, treeSize: size, hashes: hashes.reversed().map(\.bytes))
    }

    /// The proof that the tree of `newSize` leaves extends the tree of `oldSize`
    /// (RFC 9162 §2.1.4.1).
    /// - Precondition: `0 < oldSize <= newSize`.
    public static func consistencyProof(oldSize: UInt64, newSize: UInt64, subtree: Subtree) throws -> ConsistencyProof {
        precondition(oldSize > 0 && oldSize <= newSize, "no consistency proof from \(oldSize) to \(newSize)")
        var hashes: [SHA256Digest] = []
        var low: UInt64 = 0, high = newSize, old = oldSize
        var wholeOldTree = true
        while old != high - low {
            let split = largestPowerOfTwo(below: high - low)
            if old <= split {
                hashes.append(try rangeHash(low + split, high, subtree))
                high = low + split
            } else {
                hashes.append(try rangeHash(low, low + split, subtree))
                low += split
                old -= split
                wholeOldTree = false
            }
        }
        // The old tree's own root is left out when the verifier already holds it.
        if !wholeOldTree { hashes.append(try rangeHash(low, high, subtree)) }
        return ConsistencyProof(oldSize: oldSize, newSize: newSize, hashes: hashes.reversed().map(\.bytes))
    }

    /// The hash of leaves [low, high) as the RFC's recursion splits them: `low` is always a
    /// multiple of the largest power of two not above `high - low`, so perfect pieces are
    /// stored subtrees. At most log2(n) reads, all along the right edge.
    static func rangeHash(_ low: UInt64, _ high: UInt64, _ subtree: Subtree) throws -> SHA256Digest {
        let count = high - low
        if count & (count - 1) == 0 {
            let level = count.trailingZeroBitCount
            return try subtree(level, low >> level)
        }
        let split = largestPowerOfTwo(below: count)
        return nodeHash(try subtree(split.trailingZeroBitCount, low >> split.trailingZeroBitCount), try rangeHash(low + split, high, subtree))
    }

    /// The largest power of two strictly below `n` (n ≥ 2).
    static func largestPowerOfTwo(below n: UInt64) -> UInt64 {
        1 << (63 - (n - 1).leadingZeroBitCount)
    }
}
