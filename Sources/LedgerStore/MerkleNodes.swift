internal import Foundation
internal import GRDB
internal import LedgerCrypto
internal import LedgerFormat

/// The stored Merkle tree (`Migrations/0005_merkle.sql`): perfect-subtree hashes read from
/// one database connection, for roots and proofs in O(log n) reads.
struct MerkleNodes {
    let db: Database

    /// The row of the interior node at `level` ≥ 1 and `index`: rows are numbered in the order
    /// appends complete them (see the migration).
    static func position(level: Int, index: UInt64) -> Int64 {
        let completingLeaf = ((index + 1) << level) - 1
        return Int64(completingLeaf) - Int64(completingLeaf.nonzeroBitCount) + Int64(level) - 1
    }

    /// How many interior nodes a tree of `size` leaves has.
    static func count(size: UInt64) -> Int64 {
        Int64(size) - Int64(size.nonzeroBitCount)
    }

    /// The hash of the perfect subtree at `level`, `index`; a leaf (level 0) is recomputed from
    /// its event's hash.
    func subtree(level: Int, index: UInt64) throws -> SHA256Digest {
        if level == 0 {
            let statement = try db.cachedStatement(sql: "SELECT hash FROM events WHERE seq = ?")
            return MerkleTree.leafHash(try digest(statement, Int64(index) + 1, what: "event \(index + 1)").bytes)
        }
        let statement = try db.cachedStatement(sql: "SELECT hash FROM merkle_nodes WHERE pos = ?")
        return try digest(statement, Self.position(level: level, index: index), what: "tree node \(level)/\(index)")
    }

    private func digest(_ statement: Statement, _ key: Int64, what: String) throws -> SHA256Digest {
        try Self.digest(try DatabaseValue.fetchOne(statement, arguments: [key])?.storage.blobBytes, what: what)
    }

    /// A stored node's hash, refused when absent or malformed.
    static func digest(_ bytes: [UInt8]?, what: String) throws -> SHA256Digest {
        guard let bytes, let digest = SHA256Digest(bytes: bytes) else {
            throw LedgerError(.corrupt, "the ledger's Merkle tree lacks \(what) or holds a malformed hash there; run `ledger verify` to see what is wrong")
        }
        return digest
    }

    /// Writes every interior node of the first `events` events' tree: into an empty table,
    /// for a ledger written before the tree existed, or around the rows already there.
    static func fill(_ db: Database, events: Int64, skippingExisting: Bool = false) throws {
        let insert = try db.makeStatement(sql: "INSERT \(skippingExisting ? "OR IGNORE " : "")INTO merkle_nodes (pos, hash) VALUES (?, ?)")
        var frontier = MerkleFrontier()
        let hashes = try Row.fetchCursor(db, sql: "SELECT hash FROM events WHERE seq BETWEEN 1 AND ? ORDER BY seq", arguments: [events])
        var position: Int64 = 0
        while let row = try hashes.next() {
            let data: Data = row[0]
            for node in frontier.append(MerkleTree.leafHash([UInt8](data))) {
                try insert.execute(arguments: [position, Data(node.hash.bytes)])
                position += 1
            }
        }
    }
}
