public import LedgerCrypto

/// The Merkle tree a database keeps beside the events (docs/FORMAT.md §Merkle tree): derived
/// data, which verification holds to the tree it rebuilds from the events' recomputed hashes.
/// Rows are numbered in the order appends complete them (`LedgerSnapshot.treePosition`).
public protocol StoredTree {
    /// Whether this database has the tree at all (a file written before it has none).
    func hasTree() throws -> Bool
    /// The stored tree rows with `pos` in `range`, in order, as (pos, bytes).
    func treeRows(_ range: Range<Int64>) throws -> [(pos: Int64, hash: [UInt8])]
    /// Stored tree rows at or past `pos`, or below 0 (rows no append of the ledger's events
    /// completes); at most `limit`.
    func treeRows(from pos: Int64, limit: Int) throws -> [Int64]
    /// The perfect subtree at `level`, `index`, from the stored tree (level 0: the event row).
    func subtree(level: Int, index: UInt64) throws -> SHA256Digest
}
