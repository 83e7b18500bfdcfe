internal import Foundation
internal import GRDB
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
        let insert = try db.cachedStatement(sql: "INSERT INTO merkle_nodes (pos, hash) VALUES (?, ?)")
        while index & 1 == 1 {
            node = MerkleTree.nodeHash(try treeNode(level: level, index: index - 1), node)
            level += 1
            index >>= 1
            try insert.execute(arguments: [MerkleNodes.position(level: level, index: index), Data(node.bytes)])
            treeEdge[level] = (index, node)
        }
    }

    /// Writes the nodes missing for the first `events` events when the table holds fewer
    /// rows than they make: rows written into the file by another tool (a restore, a hand
    /// edit) without their tree. One indexed read per transaction when nothing is missing.
    private func catchUpTree(events: Int64) throws {
        let rows = try Int64.fetchOne(db.cachedStatement(sql: "SELECT IFNULL(MAX(pos) + 1, 0) FROM merkle_nodes")) ?? 0
        if rows < MerkleNodes.count(size: UInt64(max(0, events))) {
            try MerkleNodes.fill(db, events: events, skippingExisting: true)
        }
        treeCaughtUp = true
    }

    private func treeNode(level: Int, index: UInt64) throws -> SHA256Digest {
        if let edge = treeEdge[level], edge.index == index { return edge.hash }
        return try MerkleNodes(db: db).subtree(level: level, index: index)
    }
}
