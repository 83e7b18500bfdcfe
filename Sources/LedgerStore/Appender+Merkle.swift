internal import LedgerCrypto
internal import LedgerFormat

extension Appender {
    /// Adds the event at `seq` (leaf `seq - 1`) to the Merkle tree, writing the interior nodes
    /// it completes, in the same transaction as the event itself.
    ///
    /// The left siblings it merges with are the last node written at each level, kept in
    /// `treeEdge` across the transaction's appends; the first append of a transaction reads
    /// them (one row per level that merges, one on average).
    func extendTree(seq: Int64, hash: SHA256Digest) throws {
        if !treeCaughtUp { try catchUpTree(events: seq - 1) }
        var index = UInt64(seq - 1), level = 0
        var node = MerkleTree.leafHash(hash.bytes)
        treeEdge[0] = (index, node)
        while index & 1 == 1 {
            node = MerkleTree.nodeHash(try treeNode(level: level, index: index - 1), node)
            level += 1
            index >>= 1
            try storage.insertTreeNode(position: MerkleNodes.position(level: level, index: index), hash: node)
            treeEdge[level] = (index, node)
        }
    }

    /// Writes the nodes missing for the first `events` events when the table holds fewer
    /// rows than they make: rows written by another tool (a restore, a copy, a hand edit)
    /// without their tree. One indexed read per transaction when nothing is missing.
    private func catchUpTree(events: Int64) throws {
        if try storage.treeNodeCount() < MerkleNodes.count(size: UInt64(max(0, events))) {
            try storage.fillTree(events: events)
        }
        treeCaughtUp = true
    }

    private func treeNode(level: Int, index: UInt64) throws -> SHA256Digest {
        if let edge = treeEdge[level], edge.index == index { return edge.hash }
        if level == 0 {
            return MerkleTree.leafHash(try MerkleNodes.digest(try storage.eventHash(seq: Int64(index) + 1), what: "event \(index + 1)").bytes)
        }
        return try MerkleNodes.digest(try storage.treeNode(position: MerkleNodes.position(level: level, index: index)), what: "tree node \(level)/\(index)")
    }
}
