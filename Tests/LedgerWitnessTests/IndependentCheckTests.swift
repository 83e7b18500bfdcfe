import Foundation
import LedgerCrypto
import LedgerFormat
import LedgerWitness
import Testing
import TestSupport

/// Tools/check_cosigned_checkpoint.py, written from the C2SP texts with pyca/cryptography
/// alone, accepts a ledger checkpoint note cosigned by our witness, and refuses it changed.
@Suite struct IndependentCheckTests {
    static let script = TestPaths.packageRoot.appendingPathComponent("Tools/check_cosigned_checkpoint.py").path

    @Test func pythonChecksTheLogSignatureKeyHashesAndCosignature() throws {
        let temporary = try TemporaryDirectory()
        let log = try TestLog(origin: TreeCheckpoint.originPrefix + "0f1e2d3c-test")
        // A checkpoint exactly as `ledger checkpoint` writes it, over the toy log's root.
        let tree = try TreeCheckpoint.sign(
            ledgerID: "0f1e2d3c-test", size: 6, root: try #require(SHA256Digest(bytes: log.root(6))), key: log.key)
        let witnessKey = try Ed25519PrivateKey()
        let identity = WitnessIdentity(cosignerKey: CosignerKey(name: "witness.test/w1", publicKey: witnessKey.publicKey))
        let directory = try WitnessDirectory.create(path: temporary.file("w"), identity: identity)
        try directory.addLog(WitnessedLog(origin: tree.origin, logKeys: [tree.verifierKey(log.key.publicKey)]))
        let witness = try Witness(directory: directory, key: witnessKey)
        _ = try witness.addCheckpoint(AddCheckpointRequest(oldSize: 0, proof: [], checkpoint: tree.note))
        let cosigned = try #require(try directory.log(origin: tree.origin)?.checkpoint)

        let arguments = ["--log-key", tree.verifierKey(log.key.publicKey).description, "--witness-key", identity.cosignerKey.description]
        let note = temporary.file("note")
        try Data(cosigned.bytes).write(to: URL(fileURLWithPath: note))
        let result = try ProcessRunner.run("python3", [Self.script, note] + arguments)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(report?["ok"] as? Bool == true)
        #expect((report?["checkpoint"] as? [String: Any])?["size"] as? Int == 6)

        // One bit of the cosignature's timestamp: the witness's line no longer verifies.
        var changed = cosigned
        changed.signatures[1].signature[7] ^= 1
        try Data(changed.bytes).write(to: URL(fileURLWithPath: note))
        #expect(try ProcessRunner.run("python3", [Self.script, note] + arguments).status == 1)
        // The log's key offered as a witness key has the wrong type byte: refused.
        try Data(cosigned.bytes).write(to: URL(fileURLWithPath: note))
        let swapped = ["--witness-key", tree.verifierKey(log.key.publicKey).description]
        #expect(try ProcessRunner.run("python3", [Self.script, note] + swapped).status == 1)
    }
}
