/// The body of a C2SP tlog-witness `add-checkpoint` request: `old <size>` LF, up to 63
/// consistency-proof hashes in base64 (one a line), a blank line, then the checkpoint note.
///
/// Parsing checks the shape only; whether the witness cosigns is `WitnessedLog`'s decision.
public struct AddCheckpointRequest: Sendable, Hashable {
    /// The most proof lines a client may send (c2sp.org/tlog-witness).
    public static let maxProofHashes = 63
    /// The largest body read: a 64 KiB checkpoint note and a full proof fit with room to spare.
    public static let maxBytes = 128 * 1024

    /// The size of the checkpoint the client believes the witness last cosigned (0 for none).
    public var oldSize: UInt64
    /// The RFC 6962 consistency proof from `oldSize` to the checkpoint's size, 32 bytes a hash.
    public var proof: [[UInt8]]
    /// The checkpoint, with every signature it carries.
    public var checkpoint: SignedNote

    public init(oldSize: UInt64, proof: [[UInt8]], checkpoint: SignedNote) {
        self.oldSize = oldSize
        self.proof = proof
        self.checkpoint = checkpoint
    }

    /// Parses a request body.
    /// - Throws: `FormatError.invalidField` for a body over `maxBytes`, a missing or
    ///   non-canonical old size line, a proof line that is not 32 bytes of canonical base64,
    ///   more than 63 of them, no blank line, or a malformed note.
    public init(body: [UInt8]) throws(FormatError) {
        guard body.count <= Self.maxBytes else { throw FormatError(.invalidField, "an add-checkpoint body is at most \(Self.maxBytes) bytes") }
        var lines: [ArraySlice<UInt8>] = []
        var start = body.startIndex
        // The header ends at the first empty line; the note (which has blank lines of its own) follows.
        while true {
            guard let end = body[start...].firstIndex(of: 0x0A) else {
                throw FormatError(.invalidField, "an add-checkpoint body is an old size line, proof lines and a blank line before the checkpoint")
            }
            let line = body[start..<end]
            start = end + 1
            if line.isEmpty { break }
            lines.append(line)
            guard lines.count <= 1 + Self.maxProofHashes else {
                throw FormatError(.invalidField, "an add-checkpoint request carries at most \(Self.maxProofHashes) proof hashes")
            }
        }
        let prefix = Array("old ".utf8)
        guard let first = lines.first, first.starts(with: prefix),
              let oldSize = CheckpointText.decimal(String(decoding: first.dropFirst(prefix.count), as: UTF8.self))
        else {
            throw FormatError(.invalidField, "an add-checkpoint body starts with `old <size>`, the size in decimal without leading zeros")
        }
        var proof: [[UInt8]] = []
        for (position, line) in lines.dropFirst().enumerated() {
            guard let hash = Base64.decode(String(decoding: line, as: UTF8.self)), hash.count == 32 else {
                throw FormatError(.invalidField, "proof line \(position + 1) is not a 32-byte hash in canonical base64")
            }
            proof.append(hash)
        }
        self.init(oldSize: oldSize, proof: proof, checkpoint: try SignedNote(Array(body[start...])))
    }

    /// The body as a client sends it.
    public var body: [UInt8] {
        Array((["old \(oldSize)"] + proof.map { Base64.encode($0) }).map { $0 + "\n" }.joined().utf8) + [0x0A] + checkpoint.bytes
    }
}
