public import LedgerCrypto

/// A C2SP signed note: a text, then a blank line, then one signature line per signer,
/// `— NAME base64(key hash ‖ signature)`. Ed25519 signatures are over the text alone, with
/// the key named by `NoteVerifierKey` (the key hash ties a signature line to one key).
///
/// Checkpoints (`TreeCheckpoint`) and witness cosignatures are signed notes; so are the Go
/// checksum database's, whose published notes our tests verify.
public struct SignedNote: Sendable, Hashable {
    /// One signature line.
    public struct Signature: Sendable, Hashable {
        public var name: String
        /// The first 4 bytes of the key's hash (`NoteVerifierKey.keyHash`).
        public var keyHash: [UInt8]
        /// Everything after the key hash: 64 bytes for Ed25519, more for a cosignature.
        public var signature: [UInt8]

        public init(name: String, keyHash: [UInt8], signature: [UInt8]) {
            self.name = name
            self.keyHash = keyHash
            self.signature = signature
        }

        /// The line, with its final line feed.
        public var line: String { "\u{2014} \(name) \(Base64.encode(keyHash + signature))\n" }
    }

    /// The text, ending in a line feed.
    public var text: [UInt8]
    public var signatures: [Signature]

    /// The most signature lines a note may carry (as the Go implementation allows).
    public static let maxSignatures = 100

    public init(text: [UInt8], signatures: [Signature]) {
        self.text = text
        self.signatures = signatures
    }

    /// The note's bytes: text, blank line, signature lines.
    public var bytes: [UInt8] {
        text + [0x0A] + signatures.flatMap { Array($0.line.utf8) }
    }

    /// Signs `text` as `name` with `key` (Ed25519), giving its signature line.
    public static func sign(_ text: [UInt8], name: String, key: Ed25519PrivateKey) throws -> Signature {
        let verifier = NoteVerifierKey(name: name, publicKey: key.publicKey)
        return Signature(name: name, keyHash: verifier.keyHash, signature: try key.signature(for: text))
    }

    /// Parses a note. Signatures are not checked here (`verifies(by:)` does).
    /// - Throws: `FormatError` when the text does not end in a line feed, holds a control
    ///   character or invalid UTF-8, or a signature line is malformed.
    public init(_ bytes: [UInt8]) throws(FormatError) {
        // The signatures follow the last blank line.
        var split: Int?
        if bytes.count >= 2 {
            for index in stride(from: bytes.count - 2, through: 0, by: -1) where bytes[index] == 0x0A && bytes[index + 1] == 0x0A {
                split = index
                break
            }
        }
        guard let split else { throw FormatError(.invalidField, "a signed note needs a blank line between its text and its signatures") }
        text = Array(bytes[...split])
        guard String(validating: text, as: UTF8.self) != nil, !text.contains(where: { $0 < 0x20 && $0 != 0x0A }) else {
            throw FormatError(.invalidField, "a signed note's text must be UTF-8 without control characters other than line feeds")
        }
        let block = bytes[(split + 2)...]
        guard block.last == 0x0A else { throw FormatError(.invalidField, "a signed note's signatures must end in a line feed") }
        signatures = []
        for line in block.dropLast().split(separator: 0x0A, omittingEmptySubsequences: false) {
            guard signatures.count < Self.maxSignatures else {
                throw FormatError(.invalidField, "a signed note carries at most \(Self.maxSignatures) signatures")
            }
            signatures.append(try Self.signature(line: Array(line)))
        }
        guard !signatures.isEmpty else { throw FormatError(.invalidField, "a signed note has no signature") }
    }

    private static func signature(line: [UInt8]) throws(FormatError) -> Signature {
        let dash = Array("\u{2014} ".utf8)
        guard line.starts(with: dash), let text = String(validating: line[dash.count...], as: UTF8.self) else {
            throw FormatError(.invalidField, "a signed note's signature line must start with an em dash and a space")
        }
        let parts = text.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 2, NoteVerifierKey.isValidName(parts[0]), let bytes = Base64.decode(parts[1]), bytes.count >= 5 else {
            throw FormatError(.invalidField, "a signed note's signature line must be `— NAME BASE64` with a key hash and a signature")
        }
        return Signature(name: String(parts[0]), keyHash: Array(bytes.prefix(4)), signature: Array(bytes.dropFirst(4)))
    }

    /// The signatures by `key` (its name and key hash) that verify over the text.
    public func isSigned(by key: NoteVerifierKey) -> Bool {
        signatures.contains { signature in
            signature.name == key.name && signature.keyHash == key.keyHash && signature.signature.count == 64
                && key.publicKey.isValidSignature(signature.signature, for: text)
        }
    }
}
