public import LedgerCrypto

/// Why a Merkle proof does not prove what it claims.
public struct MerkleProofError: Error, Sendable, Hashable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

/// An RFC 9162 inclusion proof: the audit path of one leaf in a tree of a given size.
public struct InclusionProof: Sendable, Hashable {
    public var leafIndex: UInt64
    public var treeSize: UInt64
    /// Sibling hashes, leaf first. Kept as bytes so that a proof read from outside can be
    /// checked (and refused) as it came.
    public var hashes: [[UInt8]]

    public init(leafIndex: UInt64, treeSize: UInt64, hashes: [[UInt8]]) {
        self.leafIndex = leafIndex
        self.treeSize = treeSize
        self.hashes = hashes
    }

    /// The root the path leads to from `leafHash` (RFC 9162 §2.1.3.2).
    public func root(leafHash: [UInt8]) throws(MerkleProofError) -> SHA256Digest {
        guard leafIndex < treeSize else { throw MerkleProofError("leaf index \(leafIndex) is outside a tree of \(treeSize)") }
        guard let leaf = SHA256Digest(bytes: leafHash) else { throw MerkleProofError("a leaf hash is 32 bytes, not \(leafHash.count)") }
        let path = try digests(hashes)
        guard path.count == Self.pathLength(leafIndex: leafIndex, treeSize: treeSize) else {
            throw MerkleProofError("an inclusion proof of leaf \(leafIndex) in a tree of \(treeSize) has \(Self.pathLength(leafIndex: leafIndex, treeSize: treeSize)) hashes, not \(path.count)")
        }
        var index = leafIndex, last = treeSize - 1, hash = leaf
        for sibling in path {
            if index & 1 == 1 || index == last {
                hash = MerkleTree.nodeHash(sibling, hash)
                // A right-edge node with no right sibling moves up until it is a right child.
                while index & 1 == 0 && index != 0 {
                    index >>= 1
                    last >>= 1
                }
            } else {
                hash = MerkleTree.nodeHash(hash, sibling)
            }
            index >>= 1
            last >>= 1
        }
        return hash
    }

    /// Checks that the path leads from `leafHash` to `root`.
    public func verify(leafHash: [UInt8], root: [UInt8]) throws(MerkleProofError) {
        let computed = try self.root(leafHash: leafHash)
        guard let expected = SHA256Digest(bytes: root), computed.constantTimeEquals(expected) else {
            throw MerkleProofError("the inclusion proof of leaf \(leafIndex) leads to root \(computed.hex), not to the root given")
        }
    }

    /// How many hashes the path of `leafIndex` in a tree of `treeSize` has.
    static func pathLength(leafIndex: UInt64, treeSize: UInt64) -> Int {
        // The levels below the point where the leaf's path and the right edge part, plus the
        // right edge's ones from there up.
        let inner = 64 - (leafIndex ^ (treeSize - 1)).leadingZeroBitCount
        let border = (leafIndex >> inner).nonzeroBitCount
        return inner + border
    }
}

/// An RFC 9162 consistency proof: the tree of `newSize` leaves extends the tree of `oldSize`.
public struct ConsistencyProof: Sendable, Hashable {
    public var oldSize: UInt64
    public var newSize: UInt64
    public var hashes: [[UInt8]]

    public init(oldSize: UInt64, newSize: UInt64, hashes: [[UInt8]]) {
        self.oldSize = oldSize
        self.newSize = newSize
        self.hashes = hashes
    }

    /// Checks the proof against both roots (RFC 9162 §2.1.4.2).
    ///
    /// Where the RFC leaves the case open, this follows transparency-dev/merkle: an old size of
    /// 0 proves nothing and is refused, and equal sizes need an empty proof and equal roots.
    public func verify(oldRoot: [UInt8], newRoot: [UInt8]) throws(MerkleProofError) {
        guard oldSize > 0 else { throw MerkleProofError("a consistency proof needs an old tree of at least one leaf") }
        guard oldSize <= newSize else { throw MerkleProofError("the old size \(oldSize) is larger than the new size \(newSize)") }
        if oldSize == newSize {
            guard hashes.isEmpty else { throw MerkleProofError("a proof between equal sizes must be empty, not \(hashes.count) hashes") }
            guard constantTimeEquals(oldRoot, newRoot) else { throw MerkleProofError("the two trees have the same size \(oldSize) and different roots") }
            return
        }
        guard let first = SHA256Digest(bytes: oldRoot), let second = SHA256Digest(bytes: newRoot) else {
            throw MerkleProofError("a root hash is 32 bytes")
        }
        var path = try digests(hashes)
        // The old tree is a perfect subtree: its root is the proof's first step, left out.
        if oldSize & (oldSize - 1) == 0 { path.insert(first, at: 0) }
        guard !path.isEmpty else { throw MerkleProofError("an empty proof cannot join trees of \(oldSize) and \(newSize)") }
        var index = oldSize - 1, last = newSize - 1
        while index & 1 == 1 {
            index >>= 1
            last >>= 1
        }
        var oldHash = path[0], newHash = path[0]
        for step in path.dropFirst() {
            guard last != 0 else { throw MerkleProofError("the consistency proof from \(oldSize) to \(newSize) is too long") }
            if index & 1 == 1 || index == last {
                oldHash = MerkleTree.nodeHash(step, oldHash)
                newHash = MerkleTree.nodeHash(step, newHash)
                while index & 1 == 0 && index != 0 {
                    index >>= 1
                    last >>= 1
                }
            } else {
                newHash = MerkleTree.nodeHash(newHash, step)
            }
            index >>= 1
            last >>= 1
        }
        guard last == 0 else { throw MerkleProofError("the consistency proof from \(oldSize) to \(newSize) is too short") }
        guard oldHash.constantTimeEquals(first) else { throw MerkleProofError("the consistency proof does not lead to the old root") }
        guard newHash.constantTimeEquals(second) else { throw MerkleProofError("the consistency proof does not lead to the new root") }
    }
}

private func digests(_ hashes: [[UInt8]]) throws(MerkleProofError) -> [SHA256Digest] {
    var digests: [SHA256Digest] = []
    digests.reserveCapacity(hashes.count)
    for (position, bytes) in hashes.enumerated() {
        guard let digest = SHA256Digest(bytes: bytes) else {
            throw MerkleProofError("proof hash \(position) is \(bytes.count) bytes, not 32")
        }
        digests.append(digest)
    }
    return digests
}
