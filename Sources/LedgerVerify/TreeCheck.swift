internal import LedgerCrypto
internal import LedgerFormat
internal import LedgerStore

/// Holds the stored Merkle tree (`merkle_nodes`) to the tree the walk rebuilds from the
/// events' recomputed hashes, batch by batch: the nodes a batch completes are one range read
/// of rows, because rows are numbered in the order appends complete them.
///
/// A wrong row cannot make a false proof verify (a proof is checked against a signed root),
/// but it makes the ledger hand out proofs that fail, so it is reported like an edited
/// projection (`tree-mismatch`).
struct TreeCheck {
    private var findings = 0
    private static let maxFindings = 100

    mutating func check(_ nodes: [(level: Int, index: UInt64, hash: SHA256Digest)], tree: any StoredTree) throws -> [Finding] {
        guard let first = nodes.first, findings < Self.maxFindings else { return [] }
        let start = LedgerSnapshot.treePosition(level: first.level, index: first.index)
        let stored = try tree.treeRows(start..<(start + Int64(nodes.count)))
        var result: [Finding] = []
        var rows = stored.makeIterator()
        var next = rows.next()
        for (offset, node) in nodes.enumerated() where findings < Self.maxFindings {
            let pos = start + Int64(offset)
            while let row = next, row.pos < pos { next = rows.next() }
            if let row = next, row.pos == pos, constantTimeEquals(row.hash, node.hash.bytes) { continue }
            findings += 1
            let completing = ((node.index + 1) << node.level)
            result.append(Finding(
                .treeMismatch, seq: Int64(completing),
                next?.pos == pos
                    ? "the stored Merkle tree node \(node.level)/\(node.index) (row \(pos)) differs from the hash of events \(node.index << node.level + 1)…\(completing): the row was edited, so proofs that use it fail"
                    : "the stored Merkle tree lacks node \(node.level)/\(node.index) (row \(pos)), which event \(completing) completes: proofs that need it cannot be made"))
        }
        return result
    }

    /// Rows beyond the tree of the `size` events walked, which no append made.
    func finish(size: UInt64, tree: any StoredTree) throws -> [Finding] {
        let expected = Int64(size) - Int64(size.nonzeroBitCount)
        return try tree.treeRows(from: expected, limit: 10).map { pos in
            Finding(.treeMismatch, seq: nil, "the stored Merkle tree has row \(pos), but the ledger's \(size) events make only \(expected) rows: it was written by hand, or events were removed from the end")
        }
    }
}
