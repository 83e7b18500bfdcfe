internal import GRDB
public import LedgerCrypto
public import LedgerFormat

/// The Merkle tree over the events (docs/FORMAT.md §Merkle tree): roots and proofs, each in
/// O(log n) reads of one snapshot.
extension Ledger {
    /// The tree's root over the first `size` events (default: all of them), with that size.
    /// - Throws: `LedgerError.notFound` when the ledger has fewer events.
    public func treeRoot(size: Int64? = nil) async throws -> (size: Int64, root: SHA256Digest) {
        try await readTree { db, head in
            let size = size ?? head
            try Self.requireTree(size: size, head: head)
            return (size, try MerkleTree.root(size: UInt64(size), subtree: MerkleNodes(db: db).subtree))
        }
    }

    /// The proof that event `seq` is leaf `seq - 1` of the tree of `size` events (default: all).
    public func inclusionProof(seq: Int64, size: Int64? = nil) async throws -> (proof: InclusionProof, root: SHA256Digest, event: RecordedEvent) {
        try await readTree { db, head in
            let size = size ?? head
            try Self.requireTree(size: size, head: head)
            guard seq >= 1, seq <= size else {
                throw LedgerError(.notFound, "event \(seq) is not in the tree of \(size) events (seqs 1…\(size))", seq: seq)
            }
            let nodes = MerkleNodes(db: db)
            let proof = try MerkleTree.inclusionProof(leafIndex: UInt64(seq - 1), treeSize: UInt64(size), subtree: nodes.subtree)
            let root = try MerkleTree.root(size: UInt64(size), subtree: nodes.subtree)
            guard let row = try Row.fetchOne(try db.cachedStatement(sql: StoredEvent.selection + " AND e.seq = ?"), arguments: [seq]) else {
                throw LedgerError(.notFound, "event \(seq) is not in the ledger", seq: seq)
            }
            return (proof, root, try StoredEvent(row: row).recordedEvent())
        }
    }

    /// The proof that the tree of `newSize` events (default: all) extends the tree of `oldSize`.
    public func consistencyProof(from oldSize: Int64, to newSize: Int64? = nil) async throws -> (proof: ConsistencyProof, oldRoot: SHA256Digest, newRoot: SHA256Digest) {
        try await readTree { db, head in
            let newSize = newSize ?? head
            try Self.requireTree(size: newSize, head: head)
            guard oldSize >= 1, oldSize <= newSize else {
                throw LedgerError(.notFound, "a consistency proof goes from a size of at least 1 to a size no smaller (asked \(oldSize) to \(newSize))")
            }
            let nodes = MerkleNodes(db: db)
            let proof = try MerkleTree.consistencyProof(oldSize: UInt64(oldSize), newSize: UInt64(newSize), subtree: nodes.subtree)
            return (
                proof, try MerkleTree.root(size: UInt64(oldSize), subtree: nodes.subtree),
                try MerkleTree.root(size: UInt64(newSize), subtree: nodes.subtree)
            )
        }
    }

    /// Signs a checkpoint of the tree at its current size, as a C2SP checkpoint note, with a
    /// registered, unrevoked key of the ledger.
    public func treeCheckpoint(signer: Signer) async throws -> TreeCheckpoint {
        let keyID = signer.key.publicKey.keyID
        guard let record = try await key(keyID), !record.isRevoked else {
            throw LedgerError(.unknownKey, "key \(keyID) is not a registered, unrevoked key of this ledger; a checkpoint must be signed by one")
        }
        let (size, root) = try await treeRoot()
        do {
            return try TreeCheckpoint.sign(ledgerID: ledgerID, size: size, root: root, key: signer.key)
        } catch {
            throw LedgerError(.crypto, "signing the checkpoint failed: \(error)")
        }
    }

    /// Writes the tree of a ledger written before it existed (on its first writable open).
    func fillTree() async throws {
        try await StorageErrors.mapping(path: path) {
            try await database.write { db in
                guard try Int64.fetchOne(db, sql: "SELECT COUNT(*) FROM merkle_nodes") == 0 else { return }
                try MerkleNodes.fill(db, events: try Self.headSeq(db))
            }
        }
    }

    private func readTree<T: Sendable>(_ body: @escaping @Sendable (Database, Int64) throws -> T) async throws -> T {
        try await StorageErrors.mapping(path: path) {
            try await database.read { db in
                guard try db.tableExists("merkle_nodes") else {
                    throw LedgerError(.unsupportedVersion, "this ledger file has no Merkle tree yet: open it once writable with this `ledger` (any command that appends, or `ledger rebuild`) to add it")
                }
                return try body(db, try Self.headSeq(db))
            }
        }
    }

    private static func requireTree(size: Int64, head: Int64) throws {
        guard size >= 1, size <= head else {
            throw LedgerError(.notFound, "the ledger has \(head) events; there is no tree of \(size)")
        }
    }
}
