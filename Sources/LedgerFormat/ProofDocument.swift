public import LedgerCrypto

/// A Merkle proof as a file: what `ledger prove` prints with `--format json`, what an
/// evidence bundle carries beside each event of a request, and what `ledger prove check`
/// reads back (docs/FORMAT.md §Proofs). Every hash is lowercase hex.
public enum ProofDocument: Sendable, Hashable {
    /// Event `seq` (leaf `seq - 1`, the tree's entry being the event hash) is in the tree of
    /// `proof.treeSize` events whose root is `root`.
    case inclusion(ledgerID: String, seq: Int64, eventHash: SHA256Digest, proof: InclusionProof, root: SHA256Digest)
    /// The tree of `proof.newSize` events (root `newRoot`) extends that of `proof.oldSize`.
    case consistency(ledgerID: String, proof: ConsistencyProof, oldRoot: SHA256Digest, newRoot: SHA256Digest)

    public static let inclusionType = "approval-ledger.inclusion-proof"
    public static let consistencyType = "approval-ledger.consistency-proof"
    /// What `ledger prove --format json` adds about its own check; read past, never trusted.
    static let annotations: Set<String> = ["checked", "failure"]

    public var jsonValue: JSONValue {
        switch self {
        case .inclusion(let ledgerID, let seq, let eventHash, let proof, let root):
            [
                "type": .string(Self.inclusionType), "v": .integer(EventEnvelope.formatVersion), "ledgerId": .string(ledgerID),
                "seq": .integer(seq), "eventHash": .string(eventHash.hex),
                "leafIndex": .integer(Int64(proof.leafIndex)), "treeSize": .integer(Int64(proof.treeSize)),
                "hashes": .array(proof.hashes.map { .string(Hex.encode($0)) }), "root": .string(root.hex),
            ]
        case .consistency(let ledgerID, let proof, let oldRoot, let newRoot):
            [
                "type": .string(Self.consistencyType), "v": .integer(EventEnvelope.formatVersion), "ledgerId": .string(ledgerID),
                "oldSize": .integer(Int64(proof.oldSize)), "newSize": .integer(Int64(proof.newSize)),
                "hashes": .array(proof.hashes.map { .string(Hex.encode($0)) }),
                "oldRoot": .string(oldRoot.hex), "newRoot": .string(newRoot.hex),
            ]
        }
    }

    /// Reads a proof document. The proof itself is not checked here: call `check()`.
    public init(_ value: JSONValue) throws(FormatError) {
        let fields = try FieldReader(value, what: "proof")
        let type = try fields.string("type")
        guard try fields.integer("v") == EventEnvelope.formatVersion else {
            throw FormatError(.unsupportedVersion, "proof format version is not \(EventEnvelope.formatVersion)")
        }
        let hashes = try fields.stringArray("hashes")
        var bytes: [[UInt8]] = []
        for (position, hash) in hashes.enumerated() {
            guard let digest = SHA256Digest(hex: hash), hash == hash.lowercased() else {
                throw FormatError(.invalidField, "proof hash \(position) must be 64 lowercase hex digits")
            }
            bytes.append(digest.bytes)
        }
        switch type {
        case Self.inclusionType:
            try fields.rejectUnknown(allowed: Self.annotations.union(["type", "v", "ledgerId", "seq", "eventHash", "leafIndex", "treeSize", "hashes", "root"]))
            let seq = try fields.integer("seq", minimum: 1)
            let leafIndex = try fields.integer("leafIndex", minimum: 0)
            guard leafIndex == seq - 1 else {
                throw FormatError(.invalidField, "proof field \"leafIndex\" must be seq - 1 (\(seq - 1)): the tree's leaf i is event i + 1")
            }
            self = .inclusion(
                ledgerID: try fields.token("ledgerId"), seq: seq, eventHash: try fields.digest("eventHash"),
                proof: InclusionProof(leafIndex: UInt64(leafIndex), treeSize: UInt64(try fields.integer("treeSize", minimum: 1)), hashes: bytes),
                root: try fields.digest("root"))
        case Self.consistencyType:
            try fields.rejectUnknown(allowed: Self.annotations.union(["type", "v", "ledgerId", "oldSize", "newSize", "hashes", "oldRoot", "newRoot"]))
            self = .consistency(
                ledgerID: try fields.token("ledgerId"),
                proof: ConsistencyProof(
                    oldSize: UInt64(try fields.integer("oldSize", minimum: 1)), newSize: UInt64(try fields.integer("newSize", minimum: 1)),
                    hashes: bytes),
                oldRoot: try fields.digest("oldRoot"), newRoot: try fields.digest("newRoot"))
        default:
            throw FormatError(.invalidField, "proof field \"type\" must be \"\(Self.inclusionType)\" or \"\(Self.consistencyType)\"")
        }
    }

    /// Checks the proof against the roots it names.
    public func check() throws(MerkleProofError) {
        switch self {
        case .inclusion(_, _, let eventHash, let proof, let root):
            try proof.verify(leafHash: MerkleTree.leafHash(eventHash.bytes).bytes, root: root.bytes)
        case .consistency(_, let proof, let oldRoot, let newRoot):
            try proof.verify(oldRoot: oldRoot.bytes, newRoot: newRoot.bytes)
        }
    }
}
