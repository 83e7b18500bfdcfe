/// A key a signed note is checked against: the name and key hash its signature lines carry,
/// and the rule for what its signature covers. `NoteVerifierKey` (a log's Ed25519 key, type
/// 0x01) and `CosignerKey` (a witness's cosignature/v1 key, type 0x04) are the two kinds.
public protocol NoteVerifier: Sendable, Hashable {
    /// The key name signature lines repeat.
    var name: String { get }
    /// The 4-byte key hash signature lines start with.
    var keyHash: [UInt8] { get }
    /// True when `signature`, a line already matched to this key by name and key hash, is
    /// valid over the note's `text`.
    func isValid(_ signature: SignedNote.Signature, text: [UInt8]) -> Bool
}

extension NoteVerifierKey: NoteVerifier {
    public func isValid(_ signature: SignedNote.Signature, text: [UInt8]) -> Bool {
        signature.signature.count == 64 && publicKey.isValidSignature(signature.signature, for: text)
    }
}
