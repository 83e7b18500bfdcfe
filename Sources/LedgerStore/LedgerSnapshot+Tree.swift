internal import Foundation
internal import GRDB
public import LedgerCrypto
internal import LedgerFormat

extension LedgerSnapshot {
    /// Whether the file has a Merkle tree table (a file written before it, opened read-only,
    /// has none).
    public func hasTree() throws -> Bool {
        try db.tableExists("merkle_nodes")
    }

    /// The stored tree rows with `pos` in `range`, in order, as (pos, bytes).
    public func treeRows(_ range: Range<Int64>) throws -> [(pos: Int64, hash: [UInt8])] {
        let statement = try db.cachedStatement(sql: "SELECT pos, hash FROM merkle_nodes WHERE pos >= ? AND pos < ? ORDER BY pos")
        return try Row.fetchAll(statement, arguments: [range.lowerBound, range.upperBound]).map { row in
            (row[0], Data.fromDatabaseValue(row[1] as DatabaseValue).map { [UInt8]($0) } ?? [])
        }
    }

    /// Stored tree rows at or past `pos` (rows no append of the ledger's events completes);
    /// at most `limit`.
    public func treeRows(from pos: Int64, limit: Int) throws -> [Int64] {
        try Int64.fetchAll(db, sql: "SELECT pos FROM merkle_nodes WHERE pos >= ? OR pos < 0 ORDER BY pos LIMIT ?", arguments: [pos, limit])
    }

    /// The perfect subtree at `level`, `index`, from the stored tree (level 0: the event row).
    public func subtree(level: Int, index: UInt64) throws -> SHA256Digest {
        try MerkleNodes(db: db).subtree(level: level, index: index)
    }

    /// The row number of the tree node at `level` ≥ 1, `index`.
    public static func treePosition(level: Int, index: UInt64) -> Int64 {
        MerkleNodes.position(level: level, index: index)
    }
}
