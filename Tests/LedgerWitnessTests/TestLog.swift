import LedgerCrypto
import LedgerFormat

/// A toy transparency log for witness tests: entries, its Merkle tree (through the library's
/// RFC 6962 code, itself tested against published vectors), and a key signing checkpoints.
struct TestLog: Sendable {
    let origin: String
    let key: Ed25519PrivateKey
    let leaves: [SHA256Digest]

    init(origin: String = "example.test/log", entries: Int = 20, salt: String = "") throws {
        self.origin = origin
        key = try Ed25519PrivateKey()
        leaves = (0..<entries).map { MerkleTree.leafHash(Array("\(salt)entry \($0)".utf8)) }
    }

    var verifierKey: NoteVerifierKey { NoteVerifierKey(name: origin, publicKey: key.publicKey) }

    func root(_ size: UInt64) throws -> [UInt8] {
        try MerkleTree.root(size: size, subtree: subtree).bytes
    }

    /// A checkpoint note of the first `size` entries, signed by the log (or by `signer`).
    func checkpoint(_ size: UInt64, root: [UInt8]? = nil, signer: Ed25519PrivateKey? = nil) throws -> SignedNote {
        let text = try CheckpointText(origin: origin, size: size, rootHash: root ?? self.root(size)).text
        return SignedNote(text: text, signatures: [try SignedNote.sign(text, name: origin, key: signer ?? key)])
    }

    func proof(from old: UInt64, to new: UInt64) throws -> [[UInt8]] {
        guard old > 0, old < new else { return [] }
        return try MerkleTree.consistencyProof(oldSize: old, newSize: new, subtree: subtree).hashes
    }

    func request(old: UInt64, size: UInt64) throws -> AddCheckpointRequest {
        AddCheckpointRequest(oldSize: old, proof: try proof(from: old, to: size), checkpoint: try checkpoint(size))
    }

    /// The perfect subtree of 2^level leaves starting at leaf index · 2^level.
    private func subtree(_ level: Int, _ index: UInt64) throws -> SHA256Digest {
        if level == 0 { return leaves[Int(index)] }
        return MerkleTree.nodeHash(try subtree(level - 1, 2 * index), try subtree(level - 1, 2 * index + 1))
    }
}
