import ApprovalLedger
import Foundation
import TestSupport
import Testing

/// Recorded redactions in evidence bundles (docs/FORMAT.md §Redaction record): every bundle
/// carries `$redactions`, and both verifiers (`BundleVerifier`, `Tools/verify_bundle.py`) judge
/// each record and tell an erasure on record from a payload the exporter withheld.
@Suite("Evidence bundles: recorded redactions, in both verifiers")
struct RedactionBundleTests {
    /// The fixture with a data protection officer, and the seq of its first service note.
    static func ledger() async throws -> (ExportFixture, dpo: Signer, note: Int64) {
        let fixture = try await ExportFixture.make()
        let dpo = Signer(identity: "dpo", key: try Ed25519PrivateKey())
        try await fixture.ledger.registerKey(dpo.key.publicKey, identity: "dpo", capabilities: [.redact], signer: fixture.root)
        let note = try #require(try await fixture.ledger.events(stream: "svc-notes").first)
        return (fixture, dpo, note.envelope.seq)
    }

    static func pythonFindings(_ bundle: String) throws -> (codes: [String: String], status: Int32) {
        let python = try pythonVerify(bundle, ["--format", "json"])
        let findings = (try? foundationJSON(python.stdout)["findings"] as? [[String: Any]]) ?? []
        var codes: [String: String] = [:]
        for finding in findings {
            if let code = finding["code"] as? String { codes[code] = (finding["seq"] as? Int).map(String.init) ?? "-" }
        }
        return (codes, python.status)
    }

    @Test("An erasure on record is listed as payload-redacted at its event by both, and the bundle verifies --strict")
    func recordedErasure() async throws {
        let (fixture, dpo, note) = try await Self.ledger()
        try await fixture.ledger.redact(seq: note, reason: "names a customer", basis: "GDPR Art. 17(1)(a)", signer: dpo)
        let bundle = try await fixture.bundle()
        let report = try await BundleVerifier().verify(bundleAt: bundle)
        #expect(report.isVerified(strict: true), "\(report.verification?.findings ?? [])")
        #expect(report.verification?.findings.contains { $0.code == .payloadRedacted && $0.seq == note } == true)
        let python = try Self.pythonFindings(bundle)
        #expect(python.status == 0)
        #expect(python.codes["payload-redacted"] == String(note), "\(python.codes)")
        let (swift, pythonCodes, _) = try await BundleSpecTests.codes(bundle)
        #expect(swift == pythonCodes, "\(swift) \(pythonCodes)")
    }

    @Test("A request bundle carries $redactions; a record naming an event it does not select is not judged")
    func requestBundleCarriesRedactions() async throws {
        let (fixture, dpo, note) = try await Self.ledger()
        let record = try await fixture.ledger.redact(seq: note, reason: "names a customer", basis: "GDPR Art. 17(1)(a)", signer: dpo)
        let bundle = try await fixture.bundle(ExportScope(requestIDs: ["req-a"]), selectsRequests: true)
        let lines = try String(contentsOfFile: bundle + "/events.jsonl", encoding: .utf8).split(separator: "\n")
        let seqs = try lines.map { try EventLine(line: ArraySlice($0.utf8)).seq }
        #expect(seqs.contains(record.envelope.seq))
        #expect(!seqs.contains(note))
        let report = try await BundleVerifier().verify(bundleAt: bundle)
        #expect(report.isVerified(strict: true), "\(report.verification?.findings ?? [])")
        #expect(try Self.pythonFindings(bundle).status == 0)
    }

    @Test("A record signed by a key without redact is key-not-authorized in both, and one naming a key event is redaction-invalid in both")
    func forgedRecords() async throws {
        let (fixture, _, note) = try await Self.ledger()
        let bundle = try await fixture.bundle()
        let lines = try String(contentsOfFile: bundle + "/events.jsonl", encoding: .utf8).split(separator: "\n")
        let events = try lines.map { try EventLine(line: ArraySlice($0.utf8)) }
        func hash(of seq: Int64) throws -> String {
            let line = try #require(events.first { $0.seq == seq })
            return DomainSeparation.eventHash(envelopeBytes: line.envelopeBytes).hex
        }
        // alice may append and request, not redact.
        let record: JSONValue = ["seq": .integer(note), "eventHash": .string(try hash(of: note)), "reason": "r", "basis": "b"]
        try BundleSpecTests.appendEvent(to: bundle, key: fixture.alice.key, root: fixture.root.key, payload: record) { envelope in
            envelope["type"] = "payload.redacted"
            envelope["stream"] = "$redactions"
            envelope["actor"] = "alice"
        }
        let (swift, python, _) = try await BundleSpecTests.codes(bundle)
        #expect(swift.contains("key-not-authorized") && python.contains("key-not-authorized"), "\(swift) \(python)")

        // The root key may redact, but not a key registration, which the timeline is built from.
        let other = try await fixture.bundle(name: "other")
        let keyEvent: JSONValue = ["seq": 2, "eventHash": .string(try hash(of: 2)), "reason": "r", "basis": "b"]
        try BundleSpecTests.appendEvent(to: other, key: fixture.root.key, root: fixture.root.key, payload: keyEvent) { envelope in
            envelope["type"] = "payload.redacted"
            envelope["stream"] = "$redactions"
        }
        let (swiftOther, pythonOther, _) = try await BundleSpecTests.codes(other)
        #expect(swiftOther == ["redaction-invalid"] && pythonOther == ["redaction-invalid"], "\(swiftOther) \(pythonOther)")
    }
}
