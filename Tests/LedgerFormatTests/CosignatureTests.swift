import Foundation
import LedgerCrypto
import LedgerFormat
import Testing

/// Ed25519 cosignature/v1 (c2sp.org/tlog-cosignature), each rule checked from first principles
/// with SHA-256 and Ed25519 rather than through the code under test.
@Suite struct CosignatureTests {
    let key = try! Ed25519PrivateKey()
    let text = Array("example.test/log\n5\nBoMMe1wd25Tco0mYGROkyqxHZWx+hcSCtMV315Lu6Lg=\n".utf8)

    @Test func theLineIsKeyHashTimestampAndSignatureOverTheHeaderTimeAndText() throws {
        let line = try Cosignature.sign(text, timestamp: 1_679_315_147, name: "witness.test/w1", key: key)
        let expectedHash = SHA256.hash(Array("witness.test/w1\n".utf8) + [0x04] + key.publicKey.rawRepresentation).bytes.prefix(4)
        #expect(line.keyHash == Array(expectedHash))
        #expect(line.signature.count == 72)
        #expect(Array(line.signature.prefix(8)) == [0, 0, 0, 0, 0x64, 0x18, 0x50, 0xCB])
        let message = Array("cosignature/v1\ntime 1679315147\n".utf8) + text
        #expect(key.publicKey.isValidSignature(Array(line.signature.dropFirst(8)), for: message))
        let cosignature = try Cosignature(line)
        #expect(cosignature.timestamp == 1_679_315_147)
    }

    @Test func aCosignedNoteVerifiesUnderTheCosignerKeyAndNotAsALogSignature() throws {
        let logKey = try Ed25519PrivateKey()
        let log = NoteVerifierKey(name: "example.test/log", publicKey: logKey.publicKey)
        let witness = CosignerKey(name: "witness.test/w1", publicKey: key.publicKey)
        let note = SignedNote(text: text, signatures: [
            try SignedNote.sign(text, name: log.name, key: logKey),
            try Cosignature.sign(text, timestamp: 1_700_000_000, name: witness.name, key: key),
        ])
        let read = try SignedNote(note.bytes)
        #expect(try read.verified(by: [witness]) == [witness])
        #expect(try read.verified(by: [log]) == [log])
        // The same key and name as a plain note key has another key hash: the line is not its.
        let plain = NoteVerifierKey(name: witness.name, publicKey: key.publicKey)
        #expect(plain.keyHash != witness.keyHash)
        #expect(throws: FormatError.self) { try SignedNote(text: text, signatures: [read.signatures[1]]).verified(by: [plain]) }
        // A changed timestamp or text no longer verifies.
        var later = read
        later.signatures[1].signature[7] ^= 1
        #expect(throws: FormatError.self) { try later.verified(by: [witness]) }
        var otherText = read
        otherText.text[otherText.text.count - 2] ^= 1
        #expect(throws: FormatError.self) { try otherText.verified(by: [witness]) }
    }

    @Test func theCosignerKeyTextRoundTripsAndIsNotALogKey() throws {
        // A key whose hash has a hex letter, so that its upper-case spelling differs (with a
        // random key, 2% of hashes are all digits).
        var key = self.key
        while !Hex.encode(CosignerKey(name: "witness.test/w1", publicKey: key.publicKey).keyHash).contains(where: \.isLetter) {
            key = try Ed25519PrivateKey()
        }
        let witness = CosignerKey(name: "witness.test/w1", publicKey: key.publicKey)
        let text = witness.description
        #expect(text.hasPrefix("witness.test/w1+\(Hex.encode(witness.keyHash))+B"))  // base64 of 0x04 starts with B
        #expect(try CosignerKey(text) == witness)
        #expect(throws: FormatError.self) { try NoteVerifierKey(text) }
        let log = NoteVerifierKey(name: "witness.test/w1", publicKey: key.publicKey)
        #expect(throws: FormatError.self) { try CosignerKey(log.description) }
        let parts = text.split(separator: "+")
        #expect(throws: FormatError.self) { try CosignerKey("\(parts[0])+00000000+\(parts[2])") }
        #expect(throws: FormatError.self) { try CosignerKey("\(parts[0])+\(parts[1].uppercased())+\(parts[2])") }
    }

    @Test func timestampsOutsideTheAllowedRangeAreRefused() throws {
        #expect(throws: FormatError.self) { try Cosignature.sign(text, timestamp: 0, name: "w", key: key) }
        #expect(throws: FormatError.self) { try Cosignature.sign(text, timestamp: UInt64(Int64.max) + 1, name: "w", key: key) }
        var line = try Cosignature.sign(text, timestamp: UInt64(Int64.max), name: "w", key: key)
        #expect(try Cosignature(line).timestamp == UInt64(Int64.max))
        line.signature[0] |= 0x80
        #expect(throws: FormatError.self) { try Cosignature(line) }
        line.signature.removeLast()
        #expect(throws: FormatError.self) { try Cosignature(line) }
    }
}
