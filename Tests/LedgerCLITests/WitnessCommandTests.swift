import Foundation
import TestSupport
import Testing

/// `ledger witness`, run as a user would: set up, trust a ledger, cosign its checkpoints with
/// `cosign` (and a proof from `ledger prove consistency`), and the refusals' exit codes.
@Suite("ledger witness")
struct WitnessCommandTests {
    func json(_ result: ProcessResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout)\(result.stderr)")
    }

    @Test func setUpTrustCosignAndRefuse() throws {
        let cli = try LedgerCLI().initialised()
        try cli.expectSuccess(cli.run(["key", "generate", "--out", "witness.pem"]))
        let made = try cli.run(["witness", "init", "--state", "wit", "--name", "witness.test/w1", "--key", "witness.pem"])
        try cli.expectSuccess(made)
        let fromState = try cli.run(["witness", "key", "--state", "wit"])
        let fromKey = try cli.run(["witness", "key", "--key", "witness.pem", "--name", "witness.test/w1"])
        #expect(fromState.stdout == made.stdout)
        #expect(fromKey.stdout == made.stdout)
        #expect(made.stdout.hasPrefix("witness.test/w1+"))
        // A second init, or a key that is not the witness's, is refused.
        #expect(try cli.run(["witness", "init", "--state", "wit", "--name", "witness.test/w1", "--key", "witness.pem"]).status == 2)
        let first = try json(cli.run(["--ledger", "ops.ledger", "--key", "root.pem", "checkpoint", "--out", "c1.checkpoint", "--format", "json"]))
        let origin = try #require(first["origin"] as? String), logKey = try #require(first["verifierKey"] as? String)
        let notTrusted = try cli.run(["witness", "cosign", "--state", "wit", "--key", "witness.pem", "--old", "0", "c1.checkpoint"])
        #expect(notTrusted.status == 2)
        #expect(notTrusted.stderr.contains("[unknown-log]"))
        try cli.expectSuccess(cli.run(["witness", "add-log", "--state", "wit", "--origin", origin, "--log-key", logKey]))
        #expect(try cli.run(["witness", "add-log", "--state", "wit", "--origin", origin, "--log-key", logKey]).stderr.contains("[already-exists]"))
        #expect(try cli.run(["witness", "cosign", "--state", "wit", "--key", "root.pem", "--old", "0", "c1.checkpoint"]).stderr.contains("[wrong-key]"))

        let cosigned = try cli.run(["witness", "cosign", "--state", "wit", "--key", "witness.pem", "--old", "0", "c1.checkpoint", "--format", "json"])
        let answer = try json(cosigned)
        #expect((answer["cosignature"] as? String)?.hasPrefix("\u{2014} witness.test/w1 ") == true)
        #expect((answer["note"] as? String)?.hasSuffix(answer["cosignature"] as! String) == true)
        let size = try #require(first["size"] as? Int)
        let again = try cli.run(["witness", "cosign", "--state", "wit", "--key", "witness.pem", "--old", "0", "c1.checkpoint", "--format", "json"])
        #expect(again.status == 2)
        #expect(again.stderr.contains("[size-conflict]"))
        #expect(try json(again)["size"] as? String == String(size))

        // The ledger grows; `ledger prove consistency` supplies the proof.
        try cli.expectSuccess(cli.run(["key", "generate", "--out", "bob.pem"]))
        try cli.expectSuccess(cli.run(["--ledger", "ops.ledger", "--key", "root.pem", "key", "register", "--identity", "bob", "--public-key", "bob.pem.pub"]))
        try cli.expectSuccess(cli.run(["--ledger", "ops.ledger", "--key", "root.pem", "checkpoint", "--out", "c2.checkpoint"]))
        let proof = try cli.run(["--ledger", "ops.ledger", "prove", "consistency", "c1.checkpoint", "c2.checkpoint", "--format", "json"])
        try cli.expectSuccess(proof)
        try Data(proof.stdout.utf8).write(to: URL(fileURLWithPath: cli.path("p.json")))
        let withoutProof = try cli.run(["witness", "cosign", "--state", "wit", "--key", "witness.pem", "--old", String(size), "c2.checkpoint"])
        #expect(withoutProof.stderr.contains("[inconsistent-checkpoint]"))
        let wrongOld = try cli.run(["witness", "cosign", "--state", "wit", "--key", "witness.pem", "--old", "0", "--proof", "p.json", "c2.checkpoint"])
        #expect(wrongOld.status != 0)
        let advanced = try cli.run(["witness", "cosign", "--state", "wit", "--key", "witness.pem", "--old", String(size), "--proof", "p.json", "c2.checkpoint"])
        try cli.expectSuccess(advanced)
        #expect(advanced.stdout.hasPrefix("\u{2014} witness.test/w1 ") && advanced.stdout.hasSuffix("\n"))
        let logs = try cli.run(["witness", "logs", "--state", "wit"])
        #expect(logs.stdout.contains("size \(size + 1)"))
    }
}
