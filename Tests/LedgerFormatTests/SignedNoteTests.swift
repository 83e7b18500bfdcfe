import Foundation
import LedgerCrypto
import LedgerFormat
import Testing
import TestSupport

/// C2SP signed notes against notes no one here wrote: the Go implementation's reference note
/// and two checkpoints published by sum.golang.org (../shared/vectors/c2sp).
@Suite struct SignedNoteTests {
    let vectors = try! TestPaths.vectorJSON("c2sp/signed_notes.json") as! [String: Any]
    var reference: [String: String] { vectors["note_ed25519"] as! [String: String] }
    var sumdb: [String: Any] { vectors["sumdb_checkpoints"] as! [String: Any] }

    @Test func referenceNoteVerifiesAndIsReproducedByteForByte() throws {
        let key = try NoteVerifierKey(reference["verifierKey"]!)
        #expect(key.description == reference["verifierKey"]!)
        let note = try SignedNote(Array(reference["note"]!.utf8))
        #expect(note.text == Array(reference["text"]!.utf8))
        #expect(note.isSigned(by: key))
        // The signer key is PRIVATE+KEY+NAME+HASH+base64(0x01 ‖ seed).
        let parts = reference["signerKey"]!.split(separator: "+", maxSplits: 4)
        let seed = Base64.decode(parts[4])!
        #expect(seed.first == 0x01)
        let signer = try Ed25519PrivateKey(seed: Array(seed.dropFirst()))
        let signature = try SignedNote.sign(note.text, name: String(parts[2]), key: signer)
        #expect(SignedNote(text: note.text, signatures: [signature]).bytes == Array(reference["note"]!.utf8))
    }

    @Test func sumGolangOrgCheckpointsVerifyAndNoChangedByteDoes() throws {
        let key = try NoteVerifierKey(sumdb["verifierKey"] as! String)
        for checkpoint in sumdb["checkpoints"] as! [String] {
            let bytes = Array(checkpoint.utf8)
            #expect(try SignedNote(bytes).isSigned(by: key))
            for index in bytes.indices {
                var changed = bytes
                changed[index] ^= 0x01
                let verified = (try? SignedNote(changed))?.isSigned(by: key) ?? false
                #expect(!verified, "byte \(index) changed")
            }
        }
    }

    @Test(arguments: [
        "no blank line\n\u{2014} a AAAAAAA=\n",
        "text\n\n",
        "text\n\n\u{2014} name\n",
        "text\n\n- name AAAAAAAAAA==\n",
        "text\n\n\u{2014} name AAAA\n",
        "text\n\n\u{2014} name AAAAAAAAAA==",
        "te\u{01}xt\n\n\u{2014} name AAAAAAAAAA==\n",
    ])
    func malformedNotesAreRefused(_ text: String) {
        #expect(throws: FormatError.self) { try SignedNote(Array(text.utf8)) }
    }

    @Test func base64IsStrict() {
        #expect(Base64.encode([UInt8]("hello".utf8)) == "aGVsbG8=")
        #expect(Base64.decode("aGVsbG8=") == Array("hello".utf8))
        #expect(Base64.decode("aGVsbG9=") == nil)  // non-zero padding bits
        #expect(Base64.decode("aGVsbG8") == nil)
        #expect(Base64.decode("aGVs bG8=") == nil)
        for count in 0..<40 {
            let bytes = (0..<count).map { UInt8(truncatingIfNeeded: $0 * 37 + 11) }
            #expect(Base64.decode(Base64.encode(bytes)) == bytes)
            #expect(Base64.encode(bytes) == Data(bytes).base64EncodedString())
        }
    }

    @Test func treeCheckpointRoundTripsAndNamesItsSigner() throws {
        let key = try Ed25519PrivateKey(), other = try Ed25519PrivateKey()
        let root = SHA256.hash([UInt8]("root".utf8))
        let checkpoint = try TreeCheckpoint.sign(ledgerID: "0f1e2d3c-aaaa", size: 42, root: root, key: key)
        #expect(String(decoding: checkpoint.note.text, as: UTF8.self) == "approval-ledger/0f1e2d3c-aaaa\n42\n\(Data(root.bytes).base64EncodedString())\n")
        let read = try TreeCheckpoint(fileBytes: checkpoint.fileBytes)
        #expect(read == checkpoint)
        #expect(read.signer(among: [other.publicKey, key.publicKey]) == key.publicKey)
        #expect(read.signer(among: [other.publicKey]) == nil)
        var forged = checkpoint.fileBytes
        forged[forged.firstIndex(of: UInt8(ascii: "4"))!] = UInt8(ascii: "5")
        #expect(try TreeCheckpoint(fileBytes: forged).signer(among: [key.publicKey]) == nil)
        #expect(throws: FormatError.self) { try TreeCheckpoint(fileBytes: Array("approval-ledger/x\n042\nAAAA\n\n\u{2014} approval-ledger/x AAAAAAAAAA==\n".utf8)) }
    }
}
