import Foundation
import LedgerCrypto
import LedgerFormat
import Testing
import TestSupport

/// `SignedNote.verified(by:)`: a note against a set of trusted keys, with the rules of
/// c2sp.org/signed-note (unknown lines ignored and kept, a failing trusted line rejects all).
@Suite struct NoteVerificationTests {
    let vectors = try! TestPaths.vectorJSON("c2sp/signed_notes.json") as! [String: Any]
    var reference: [String: String] { vectors["note_ed25519"] as! [String: String] }
    var sumdb: [String: Any] { vectors["sumdb_checkpoints"] as! [String: Any] }

    @Test func theVectorsVerifyAgainstASetOfKeys() throws {
        let go = try NoteVerifierKey(reference["verifierKey"]!)
        let sum = try NoteVerifierKey(sumdb["verifierKey"] as! String)
        let note = try SignedNote(Array(reference["note"]!.utf8))
        #expect(try note.verified(by: [sum, go]) == [go])
        for checkpoint in sumdb["checkpoints"] as! [String] {
            let note = try SignedNote(Array(checkpoint.utf8))
            #expect(try note.verified(by: [go, sum]) == [sum])
            #expect(throws: FormatError.self) { try note.verified(by: [go]) }
            let text = try CheckpointText(text: note.text)
            #expect(text.origin == "go.sum database tree")
            #expect(text.text == note.text)
        }
    }

    @Test(arguments: [0x01, 0x20, 0x80] as [UInt8])
    func everyChangedByteOfTheReferenceNoteIsRefused(mask: UInt8) throws {
        let key = try NoteVerifierKey(reference["verifierKey"]!)
        let bytes = Array(reference["note"]!.utf8)
        for index in bytes.indices {
            var changed = bytes
            changed[index] ^= mask
            let accepted = (try? SignedNote(changed).verified(by: [key])) != nil
            #expect(!accepted, "byte \(index) ^ \(mask) was accepted")
        }
    }

    @Test func unknownLinesAreIgnoredAndKeptAndAFailingTrustedLineRejectsTheNote() throws {
        let go = try NoteVerifierKey(reference["verifierKey"]!)
        let text = Array(reference["text"]!.utf8)
        let otherKey = try Ed25519PrivateKey()
        let other = NoteVerifierKey(name: "other.example/log", publicKey: otherKey.publicKey)
        // The trusted key's name with another key (so another hash): ignored, not a failure.
        let impostor = try SignedNote.sign(Array("something else\n".utf8), name: go.name, key: Ed25519PrivateKey())
        var note = try SignedNote(Array(reference["note"]!.utf8))
        note.signatures.insert(try SignedNote.sign(text, name: other.name, key: otherKey), at: 0)
        note.signatures.append(impostor)
        let reread = try SignedNote(note.bytes)
        #expect(reread == note)
        #expect(try reread.verified(by: [go]) == [go])
        #expect(try reread.verified(by: [go, other]) == [other, go])

        // A line matching a trusted key by name and hash that does not verify rejects the
        // note, even though another trusted key's line verifies.
        var forged = note
        forged.signatures[0].signature[0] ^= 1
        #expect(throws: FormatError.self) { try forged.verified(by: [go, other]) }
        #expect(try forged.verified(by: [go]) == [go])

        // The right hash under another name is another key: ignored.
        var renamed = try SignedNote(Array(reference["note"]!.utf8))
        renamed.signatures[0].name = "PeterNeumann2"
        #expect(throws: FormatError.self) { try renamed.verified(by: [go]) }
    }

    @Test func aLineWithTheWrongLengthForItsKeyIsABadSignature() throws {
        let go = try NoteVerifierKey(reference["verifierKey"]!)
        var note = try SignedNote(Array(reference["note"]!.utf8))
        note.signatures[0].signature.append(0)
        let error = #expect(throws: FormatError.self) { try note.verified(by: [go]) }
        #expect(error?.code == .badSignature)
    }
}
