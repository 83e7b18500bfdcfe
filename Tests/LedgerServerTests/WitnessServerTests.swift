import ApprovalLedger
import Foundation
import Testing
import TestSupport

/// `ledger serve --witness`: C2SP tlog-witness `POST /add-checkpoint` on a loopback port,
/// cosigning the served ledger's own checkpoints (written by `ledger checkpoint`, trusted
/// with `ledger witness add-log`), with the statuses and bodies the protocol fixes.
@Suite("ledger serve --witness")
struct WitnessServerTests {
    let witnessDirectory = try! TemporaryDirectory()
    let witnessKey = try! Ed25519PrivateKey()
    var state: String { witnessDirectory.file("state") }
    var cosigner: CosignerKey { CosignerKey(name: "witness.test/w1", publicKey: witnessKey.publicKey) }

    func startServer() throws -> ServerHarness {
        try KeyFile.writePrivateKey(witnessKey, toPath: witnessDirectory.file("witness.pem"))
        _ = try WitnessDirectory.create(path: state, identity: WitnessIdentity(cosignerKey: cosigner))
        return try ServerHarness(extraArguments: ["--witness", state, "--witness-key", witnessDirectory.file("witness.pem")])
    }

    /// `ledger checkpoint` into `name`: the note's bytes and the command's JSON summary.
    func checkpoint(_ server: ServerHarness, _ name: String) throws -> (note: [UInt8], summary: [String: Any]) {
        let result = try server.ledger(["--ledger", server.ledgerPath, "--key", "root.pem", "checkpoint", "--out", name, "--format", "json"])
        try #require(result.status == 0, "\(result.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        return (Array(try Data(contentsOf: URL(fileURLWithPath: server.directory.file(name)))), summary)
    }

    func addCheckpoint(_ server: ServerHarness, old: Int, proof: [String] = [], note: [UInt8]) throws -> HTTPConnection.Response {
        let body = Array((["old \(old)"] + proof).map { $0 + "\n" }.joined().utf8) + [0x0A] + note
        return try server.request("POST", "/add-checkpoint", contentType: "text/plain", body: body)
    }

    @Test func cosignsTheLedgersCheckpointsAndAnswersTheProtocolsStatuses() throws {
        let server = try startServer()
        defer { _ = server.stop() }
        let first = try checkpoint(server, "c1.checkpoint")
        let origin = try #require(first.summary["origin"] as? String)
        let logKey = try #require(first.summary["verifierKey"] as? String)

        // Unknown origin until the operator trusts the log: 404 (a problem).
        let unknown = try addCheckpoint(server, old: 0, note: first.note)
        #expect(unknown.status == 404)
        #expect(try unknown.problemCode() == "unknown-log")
        let added = try server.ledger(["witness", "add-log", "--state", state, "--origin", origin, "--log-key", logKey])
        #expect(added.status == 0, "\(added.stderr)")

        // 200: one cosignature line that verifies under the witness's key.
        let answer = try addCheckpoint(server, old: 0, note: first.note)
        #expect(answer.status == 200, "\(answer)")
        let cosigned = try SignedNote(first.note + answer.body)
        #expect(try cosigned.verified(by: [cosigner]) == [cosigner])
        #expect(answer.text.hasPrefix("\u{2014} witness.test/w1 ") && answer.text.filter { $0 == "\n" }.count == 1)

        // The same old size again: 409 with the witness's size, as text/x.tlog.size.
        let size = try #require(first.summary["size"] as? Int)
        let stale = try addCheckpoint(server, old: 0, note: first.note)
        #expect(stale.status == 409)
        #expect(stale.header("Content-Type") == "text/x.tlog.size")
        #expect(stale.text == "\(size)\n")

        // The ledger grows; the next checkpoint comes with `ledger prove consistency`'s proof.
        _ = try server.ledger(["key", "generate", "--out", "extra.pem"])
        let registered = try server.ledger(
            ["--ledger", server.ledgerPath, "--key", "root.pem", "key", "register", "--identity", "extra", "--public-key", "extra.pem.pub"])
        #expect(registered.status == 0, "\(registered.stderr)")
        let second = try checkpoint(server, "c2.checkpoint")
        let proved = try server.ledger(["--ledger", server.ledgerPath, "prove", "consistency", "c1.checkpoint", "c2.checkpoint", "--format", "json"])
        #expect(proved.status == 0, "\(proved.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(proved.stdout.utf8)) as? [String: Any])
        let proof = try #require(document["hashes"] as? [String]).map { Data(Hex.decode($0)!).base64EncodedString() }
        #expect(!proof.isEmpty)

        var broken = proof
        broken[0] = Data(repeating: 7, count: 32).base64EncodedString()
        let inconsistent = try addCheckpoint(server, old: size, proof: broken, note: second.note)
        #expect(inconsistent.status == 422)
        #expect(try inconsistent.problemCode() == "inconsistent-checkpoint")

        let advanced = try addCheckpoint(server, old: size, proof: proof, note: second.note)
        #expect(advanced.status == 200, "\(advanced)")
        #expect(try SignedNote(second.note + advanced.body).verified(by: [cosigner]) == [cosigner])

        // The witness's record survives (it is the directory): the CLI reads the new size.
        let logs = try server.ledger(["witness", "logs", "--state", state, "--format", "json"])
        #expect(logs.stdout.contains("\"size\":\"\(try #require(second.summary["size"] as? Int))\""))
    }

    @Test func refusalsAreProblemDetailsWithTheProtocolsStatuses() throws {
        let server = try startServer()
        defer { _ = server.stop() }
        let first = try checkpoint(server, "c1.checkpoint")
        let origin = try #require(first.summary["origin"] as? String)
        _ = try server.ledger(["witness", "add-log", "--state", state, "--origin", origin, "--log-key", try #require(first.summary["verifierKey"] as? String)])

        // A checkpoint signed by another key under the log's name: 403.
        _ = try server.ledger(["key", "generate", "--out", "other.pem"])
        let text = try SignedNote(first.note).text
        let forged = SignedNote(text: text, signatures: [try SignedNote.sign(text, name: origin, key: KeyFile.readPrivateKey(atPath: server.directory.file("other.pem")))])
        let untrusted = try addCheckpoint(server, old: 0, note: forged.bytes)
        #expect(untrusted.status == 403)
        #expect(try untrusted.problemCode() == "untrusted-checkpoint")

        // Not an add-checkpoint body: 400. A proof from old size 0: 422. Old size above: 400.
        let malformed = try server.request("POST", "/add-checkpoint", contentType: "text/plain", body: Array("old 01\n\n".utf8) + first.note)
        #expect(malformed.status == 400)
        #expect(try malformed.problemCode() == "malformed-request")
        let withProof = try addCheckpoint(server, old: 0, proof: [Data(repeating: 1, count: 32).base64EncodedString()], note: first.note)
        #expect(withProof.status == 422)
        let above = try addCheckpoint(server, old: 1_000_000, note: first.note)
        #expect(above.status == 400)
        #expect(try above.problemCode() == "old-size-too-large")
    }

    @Test func withoutWitnessTheEndpointIs404() throws {
        let server = try ServerHarness()
        defer { _ = server.stop() }
        let response = try server.request("POST", "/add-checkpoint", contentType: "text/plain", body: Array("old 0\n\n".utf8))
        #expect(response.status == 404)
        #expect(try response.problemCode() == "witness-not-enabled")
    }
}
