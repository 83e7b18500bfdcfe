public import LedgerCrypto

/// An Ed25519 cosignature/v1 (c2sp.org/tlog-cosignature): a cosigner's statement that at
/// `timestamp` this checkpoint was the largest tree it had seen for the log and found
/// consistent with all it saw before. It is a note signature line whose bytes after the key
/// hash are the timestamp (8 bytes, big-endian) and a 64-byte Ed25519 signature of
/// `message(timestamp:text:)`.
///
/// The signed message starts with a header no note text can be mistaken for, and does not
/// name the cosigner: one key must serve one cosigner.
public struct Cosignature: Sendable, Hashable {
    /// The signed message's first line, with its line feed.
    public static let header = Array("cosignature/v1\n".utf8)
    /// The largest timestamp allowed, 2^63 − 1.
    public static let maxTimestamp = UInt64(Int64.max)

    /// POSIX seconds when the cosignature was made.
    public var timestamp: UInt64
    /// The Ed25519 signature, 64 bytes.
    public var signature: [UInt8]

    public init(timestamp: UInt64, signature: [UInt8]) {
        self.timestamp = timestamp
        self.signature = signature
    }

    /// Reads a signature line's bytes as a cosignature.
    /// - Throws: `FormatError.invalidField` unless they are 8 + 64 bytes with a timestamp
    ///   ≤ 2^63 − 1.
    public init(_ line: SignedNote.Signature) throws(FormatError) {
        guard line.signature.count == 72 else {
            throw FormatError(.invalidField, "a cosignature/v1 is a timestamp and a signature (72 bytes), not \(line.signature.count) bytes")
        }
        timestamp = line.signature.prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
        signature = Array(line.signature.dropFirst(8))
        guard timestamp <= Self.maxTimestamp else { throw FormatError(.invalidField, "a cosignature's timestamp is at most 2^63-1") }
    }

    /// What is signed: `cosignature/v1` LF, `time <timestamp>` LF (decimal, no leading zeros),
    /// then the whole checkpoint text with its final LF and without any signature line.
    public static func message(timestamp: UInt64, text: [UInt8]) -> [UInt8] {
        header + Array("time \(timestamp)\n".utf8) + text
    }

    /// The bytes after the key hash on the signature line.
    public var lineBytes: [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: timestamp >> (56 - 8 * $0)) } + signature
    }

    /// Cosigns a checkpoint's text as `name` with `key` at `timestamp`, giving the line.
    /// - Throws: `FormatError.invalidField` for a timestamp of 0 (the witness protocol forbids
    ///   omitting it) or above 2^63 − 1; the crypto layer's error if signing fails.
    public static func sign(_ text: [UInt8], timestamp: UInt64, name: String, key: Ed25519PrivateKey) throws -> SignedNote.Signature {
        guard (1...maxTimestamp).contains(timestamp) else {
            throw FormatError(.invalidField, "a cosignature's timestamp is between 1 and 2^63-1, not \(timestamp)")
        }
        let signer = CosignerKey(name: name, publicKey: key.publicKey)
        let cosignature = Cosignature(timestamp: timestamp, signature: try key.signature(for: message(timestamp: timestamp, text: text)))
        return SignedNote.Signature(name: name, keyHash: signer.keyHash, signature: cosignature.lineBytes)
    }
}
