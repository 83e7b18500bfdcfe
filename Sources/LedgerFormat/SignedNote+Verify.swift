import LedgerCrypto

extension SignedNote {
    /// Checks the note against the keys the caller trusts, as c2sp.org/signed-note asks, and
    /// returns the keys whose signature verified (each once, in the order their lines appear).
    ///
    /// A line is a trusted key's only when both its name and its key hash match; every other
    /// line is ignored, including one that shares just the name or just the hash.
    /// - Throws: `FormatError.badSignature` when a line matching a trusted key does not verify
    ///   (the whole note is then rejected, even if another trusted key's line verifies), or when
    ///   no line is from a trusted key.
    public func verified<Key: NoteVerifier>(by keys: [Key]) throws(FormatError) -> [Key] {
        var verified: [Key] = []
        for signature in signatures {
            for key in keys where key.name == signature.name && key.keyHash == signature.keyHash {
                guard key.isValid(signature, text: text) else {
                    throw FormatError(.badSignature, "the signature of trusted key \(key.name)+\(Hex.encode(key.keyHash)) does not verify: the note was changed or forged")
                }
                if !verified.contains(key) { verified.append(key) }
            }
        }
        guard !verified.isEmpty else {
            let names = Set(signatures.map(\.name)).sorted().map { "'\(Identifier.printable($0))'" }
            throw FormatError(.badSignature, "the note carries no signature by a trusted key (it is signed by \(names.joined(separator: ", ")))")
        }
        return verified
    }
}
