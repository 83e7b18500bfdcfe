import ApprovalLedger
import Foundation
import TestSupport
import Testing

/// Request bundles (docs/FORMAT.md §Request bundles): a request's events with their inclusion
/// proofs, checked by both verifiers; an event the log does not hold, or a proof that does
/// not lead to the checkpoint's root, fails both.
@Suite("Request bundles")
struct RequestBundleTests {
    static func lines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    @Test("A request bundle carries the request, the system events and the head, each proven; both verifiers accept it")
    func requestBundleVerifies() async throws {
        let fixture = try await ExportFixture.make()
        let bundle = try await fixture.bundle(ExportScope(requestIDs: ["req-b"]), selectsRequests: true)
        let events = try Self.lines(bundle + "/events.jsonl")
        let proofs = try Self.lines(bundle + "/proofs.jsonl")
        #expect(events.count == proofs.count)
        let head = try await fixture.ledger.head()
        let whole = head.size
        // genesis, 2 key registrations, the policy, req-b's events (open, deny and its
        // consequence), the head: fewer than the ledger holds.
        #expect(events.count < whole)
        let streams = try events.map { line -> String in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            return (object["envelope"] as! [String: Any])["stream"] as! String
        }
        #expect(Set(streams).isSubset(of: ["$ledger", "$keys", "$policy", "req-b", streams.last!]))
        #expect(streams.contains("req-b"))

        let report = try await BundleVerifier().verify(bundleAt: bundle)
        #expect(report.isVerified(), "\(BundleTests.codes(report))")
        #expect(report.manifest?.requests == ["req-b"])
        let python = try pythonVerify(bundle, ["--format", "json"])
        #expect(python.status == 0, "\(python.stdout)\(python.stderr)")
    }

    @Test("An event added to the bundle, re-signed and resealed but not in the log, fails both verifiers (bundle-proof-invalid)")
    func forgedEventFails() async throws {
        let fixture = try await ExportFixture.make()
        let bundle = try await fixture.bundle(ExportScope(requestIDs: ["req-a"]), selectsRequests: true)
        // Change one event's payload and re-sign it with its signer's key (a stolen key): the
        // signature is good, the chain is not checked across gaps, only the proof can tell.
        var events = try Self.lines(bundle + "/events.jsonl")
        let index = try #require(events.firstIndex { $0.contains("\"vote.cast\"") })
        var object = try JSONSerialization.jsonObject(with: Data(events[index].utf8)) as! [String: Any]
        var payload = object["payload"] as! [String: Any]
        payload["reason"] = "rewritten"
        let payloadBytes = CanonicalJSON.encode(try JSONParser.parse([UInt8](try JSONSerialization.data(withJSONObject: payload))))
        let envelope = try EventEnvelope(canonicalBytes: CanonicalJSON.encode(try JSONParser.parse([UInt8](try JSONSerialization.data(withJSONObject: object["envelope"]!)))))
        let forged = EventEnvelope(
            seq: envelope.seq, type: envelope.type, stream: envelope.stream, streamVersion: envelope.streamVersion, actor: envelope.actor,
            keyID: envelope.keyID, time: envelope.time, previousHash: envelope.previousHash, payloadHash: SHA256.hash(payloadBytes),
            idempotencyKey: envelope.idempotencyKey, correlationID: envelope.correlationID, origin: envelope.origin)
        let sealed = try RecordedEvent.seal(forged, payloadBytes: payloadBytes, signer: fixture.bob.key)
        var line: [UInt8] = []
        EventLine.write(sealed, into: &line)
        events[index] = String(decoding: line.dropLast(), as: UTF8.self)
        try (events.joined(separator: "\n") + "\n").write(toFile: bundle + "/events.jsonl", atomically: true, encoding: .utf8)
        object = [:]
        try BundleTests.reseal(bundle, requests: ["req-a"])

        let report = try await BundleVerifier().verify(bundleAt: bundle)
        #expect(!report.isVerified())
        #expect(BundleTests.codes(report).contains("bundle-proof-invalid"), "\(BundleTests.codes(report))")
        let python = try pythonVerify(bundle, ["--format", "json"])
        #expect(python.status == 1, "\(python.stdout)\(python.stderr)")
        #expect(python.stdout.contains("bundle-proof-invalid"))
    }

    @Test("A proof line removed, or a proof of another event swapped in, fails both verifiers")
    func missingOrSwappedProofsFail() async throws {
        let fixture = try await ExportFixture.make()
        for attack in ["drop", "swap"] {
            let bundle = try await fixture.bundle(ExportScope(requestIDs: ["req-c"]), name: "bundle-\(attack)", selectsRequests: true)
            var proofs = try Self.lines(bundle + "/proofs.jsonl")
            if attack == "drop" { proofs.remove(at: 2) } else { proofs.swapAt(1, 2) }
            try (proofs.joined(separator: "\n") + "\n").write(toFile: bundle + "/proofs.jsonl", atomically: true, encoding: .utf8)
            try BundleTests.reseal(bundle, requests: ["req-c"])
            let report = try await BundleVerifier().verify(bundleAt: bundle)
            #expect(BundleTests.codes(report).contains("bundle-proof-invalid"), "\(attack): \(BundleTests.codes(report))")
            let python = try pythonVerify(bundle, ["--format", "json"])
            #expect(python.status == 1 && python.stdout.contains("bundle-proof-invalid"), "\(attack): \(python.stdout)\(python.stderr)")
        }
    }

    @Test("An auditor's newer checkpoint note is checked against a bundle through a consistency proof; without one it stays a warning")
    func newerCheckpointJoinedByProof() async throws {
        let fixture = try await ExportFixture.make()
        let bundle = try await fixture.bundle()
        let size = try await fixture.ledger.head().size
        try await fixture.ledger.append(EventDraft(type: "deploy.note", stream: "svc-notes", payload: ["text": "later"]), signer: fixture.alice)
        let newer = try await fixture.ledger.treeCheckpoint(signer: fixture.root)
        var verifier = BundleVerifier()
        verifier.extraTreeAnchors = [newer]
        let alone = try await verifier.verify(bundleAt: bundle)
        #expect(alone.verification?.findings.map(\.code) == [.anchorBeyondBundle])
        #expect(!alone.isVerified(strict: true))

        let made = try await fixture.ledger.consistencyProof(from: size)
        verifier.consistencyProofs = [.consistency(ledgerID: fixture.ledger.ledgerID, proof: made.proof, oldRoot: made.oldRoot, newRoot: made.newRoot)]
        let joined = try await verifier.verify(bundleAt: bundle)
        #expect(joined.isVerified(strict: true), "\(BundleTests.codes(joined))")

        // A proof to another root (a fork the auditor was shown) joins nothing.
        var forged = made.proof
        forged.hashes[0][0] ^= 1
        verifier.consistencyProofs = [.consistency(ledgerID: fixture.ledger.ledgerID, proof: forged, oldRoot: made.oldRoot, newRoot: made.newRoot)]
        let refused = try await verifier.verify(bundleAt: bundle)
        #expect(refused.verification?.findings.map(\.code) == [.anchorBeyondBundle])
    }
}
