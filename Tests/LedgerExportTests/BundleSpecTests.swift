import ApprovalLedger
import Foundation
import TestSupport
import Testing

/// Rules of docs/FORMAT.md §Evidence bundles that an independent verifier once had to guess,
/// each checked in both verifiers (`BundleVerifier` and `Tools/verify_bundle.py`) on a bundle
/// edited as its exporter, or anyone holding the root key, could.
@Suite("Evidence bundles: one answer from both verifiers")
struct BundleSpecTests {
    /// The codes of both verifiers' findings: (Swift's, Python's, Python's exit status).
    static func codes(_ bundle: String, _ arguments: [String] = [], anchors: [Checkpoint] = []) async throws -> (Set<String>, Set<String>, Int32) {
        let report = try await BundleVerifier(extraAnchors: anchors).verify(bundleAt: bundle)
        let swift = Set(report.findings.map(\.code.rawValue) + (report.verification?.findings.map(\.code.rawValue) ?? []))
        let python = try pythonVerify(bundle, ["--format", "json"] + arguments)
        let findings = (try? foundationJSON(python.stdout)["findings"] as? [[String: Any]]) ?? []
        return (swift, Set(findings.compactMap { $0["code"] as? String }), python.status)
    }

    /// Appends one event to the bundle whose envelope is `members` (any members at all),
    /// linked to the last line and signed by `key`, then signs a checkpoint of the new end with
    /// `root` and rewrites the manifest: a bundle that claims to hold the event.
    @discardableResult
    static func appendEvent(
        to bundle: String, key: Ed25519PrivateKey, root: Ed25519PrivateKey, payload: JSONValue = [:], _ members: (inout JSONObject) -> Void
    ) throws -> Int {
        let eventsPath = bundle + "/events.jsonl"
        let text = try String(contentsOfFile: eventsPath, encoding: .utf8)
        let last = try EventLine(line: ArraySlice(text.split(separator: "\n").last!.utf8))
        let previous = DomainSeparation.eventHash(envelopeBytes: last.envelopeBytes)
        let payloadBytes = CanonicalJSON.encode(payload)
        let envelope = EventEnvelope(
            seq: last.seq + 1, type: "deploy.note", stream: "forged", streamVersion: 1, actor: "root", keyID: key.publicKey.keyID,
            time: last.envelope!.time.adding(milliseconds: 1000), previousHash: previous, payloadHash: SHA256.hash(payloadBytes))
        guard case .object(var object) = envelope.jsonValue else { preconditionFailure("an envelope is an object") }
        members(&object)
        let bytes = CanonicalJSON.encode(.object(object))
        let hash = DomainSeparation.eventHash(envelopeBytes: bytes)
        let line: JSONValue = [
            "envelope": .object(object), "hash": .string(hash.hex), "payload": payload, "seq": .integer(envelope.seq),
            "signature": .string(Hex.encode(try key.signature(for: hash.bytes))),
        ]
        let lineBytes = CanonicalJSON.encode(line)
        try Data((text + String(decoding: lineBytes, as: UTF8.self) + "\n").utf8).write(to: URL(fileURLWithPath: eventsPath))
        let ledgerID = try BundleManifest(fileBytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: bundle + "/manifest.json")))).ledgerID
        let checkpoint = try Checkpoint.sign(ledgerID: ledgerID, size: envelope.seq, headHash: hash, time: ExportFixture.day(5, "00:00"), key: root)
        try Data(checkpoint.fileBytes).write(to: URL(fileURLWithPath: bundle + "/checkpoints/\(envelope.seq)-forged.checkpoint"))
        try reseal(bundle, size: envelope.seq, headHash: hash)
        return lineBytes.count
    }

    /// Rewrites the manifest to list the files as they now are, with `size` and `headHash`.
    static func reseal(_ bundle: String, size: Int64? = nil, headHash: SHA256Digest? = nil) throws {
        let manifestPath = bundle + "/manifest.json"
        let old = try BundleManifest(fileBytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: manifestPath))))
        var files: [BundleManifest.File] = []
        for relative in try FileManager.default.subpathsOfDirectory(atPath: bundle).sorted() where relative != "manifest.json" {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: bundle + "/" + relative, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            let data = try Data(contentsOf: URL(fileURLWithPath: bundle + "/" + relative))
            files.append(.init(path: relative, sha256: SHA256.hash([UInt8](data)), bytes: Int64(data.count)))
        }
        let manifest = BundleManifest(ledgerID: old.ledgerID, size: size ?? old.size, headHash: headHash ?? old.headHash, files: files)
        try Data(manifest.fileBytes).write(to: URL(fileURLWithPath: manifestPath))
    }

    @Test("The forging helper makes a bundle both verifiers accept, so the findings below are the edits' own")
    func helperIsSound() async throws {
        let fixture = try await ExportFixture.make()
        let bundle = try await fixture.bundle()
        try Self.appendEvent(to: bundle, key: fixture.root.key, root: fixture.root.key, payload: ["text": "appended"]) { _ in }
        let (swift, python, status) = try await Self.codes(bundle)
        #expect(swift.isEmpty && python.isEmpty && status == 0, "\(swift) \(python)")
    }

    // MARK: Versions, idempotency keys, streams

    @Test("An event line of format version 2 is unsupported-version in both")
    func envelopeOfAnotherVersion() async throws {
        let fixture = try await ExportFixture.make()
        let bundle = try await fixture.bundle()
        try Self.appendEvent(to: bundle, key: fixture.root.key, root: fixture.root.key) { $0["v"] = 2; $0["merkleRoot"] = "00" }
        let (swift, python, status) = try await Self.codes(bundle)
        #expect(swift.contains("unsupported-version") && !swift.contains("envelope-invalid"), "\(swift)")
        #expect(python.contains("unsupported-version") && !python.contains("envelope-invalid"), "\(python)")
        #expect(status == 1)
    }

    @Test("A second event with an idempotency key already used is duplicate-idempotency-key in both")
    func duplicateIdempotencyKey() async throws {
        let fixture = try await ExportFixture.make()
        try await fixture.ledger.append(EventDraft(type: "deploy.note", stream: "svc-notes", payload: [:], idempotencyKey: "run-981"), signer: fixture.root)
        let bundle = try await fixture.bundle()
        try Self.appendEvent(to: bundle, key: fixture.root.key, root: fixture.root.key) { $0["idempotencyKey"] = "run-981" }
        let (swift, python, status) = try await Self.codes(bundle)
        #expect(swift == ["duplicate-idempotency-key"], "\(swift)")
        #expect(python == ["duplicate-idempotency-key"], "\(python)")
        #expect(status == 1)
    }

    @Test("policy.published outside $policy, and another type inside $policy, are stream-invalid in both")
    func policyStream() async throws {
        for (type, stream) in [("policy.published", "policies"), ("deploy.note", "$policy")] {
            let fixture = try await ExportFixture.make()
            let bundle = try await fixture.bundle()
            try Self.appendEvent(to: bundle, key: fixture.root.key, root: fixture.root.key) { envelope in
                envelope["type"] = .string(type)
                envelope["stream"] = .string(stream)
            }
            let (swift, python, status) = try await Self.codes(bundle)
            #expect(swift.contains("stream-invalid"), "\(type) in \(stream): \(swift)")
            #expect(python.contains("stream-invalid"), "\(type) in \(stream): \(python)")
            #expect(status == 1)
        }
    }

    // MARK: Limits

    /// An object nested `depth` levels deep (the outermost is level 1).
    static func nested(depth: Int) -> JSONValue {
        (1..<depth).reduce(JSONValue.object(JSONObject())) { inner, _ in ["a": inner] }
    }

    @Test("A payload 64 deep, the deepest any reader accepts, is stored, exported and verified by both; 65 is refused by the writer")
    func deepestPayloadRoundTrips() async throws {
        let fixture = try await ExportFixture.make()
        let deepest = try await fixture.ledger.append(
            EventDraft(type: "deploy.note", stream: "svc-notes", payload: Self.nested(depth: 64)), signer: fixture.root)
        let bundle = try await fixture.bundle()
        let (swift, python, status) = try await Self.codes(bundle)
        #expect(swift.isEmpty && python.isEmpty && status == 0, "\(swift) \(python)")
        let lines = try String(contentsOfFile: bundle + "/events.jsonl", encoding: .utf8).split(separator: "\n")
        let line = try EventLine(line: ArraySlice(lines[Int(deepest.envelope.seq) - 1].utf8))
        #expect(line.payloadBytes == deepest.payloadBytes)
        #expect(try JSONParser.parse(line.payloadBytes!) == Self.nested(depth: 64))

        let error = await #expect(throws: LedgerError.self) {
            try await fixture.ledger.append(EventDraft(type: "deploy.note", stream: "svc-notes", payload: Self.nested(depth: 65)), signer: fixture.root)
        }
        #expect(error?.message.contains("nesting deeper than 64") == true, "\(error?.message ?? "")")
    }

    @Test("An event line of exactly 17,825,792 bytes before its LF is read by both; one byte more is bundle-line-invalid in both")
    func lineLengthBoundary() async throws {
        let fixture = try await ExportFixture.make()
        let bundle = try await fixture.bundle()
        let probe = fixture.directory.file("probe")
        try FileManager.default.copyItem(atPath: bundle, toPath: probe)
        let base = try Self.appendEvent(to: probe, key: fixture.root.key, root: fixture.root.key, payload: ["pad": ""]) { _ in }
        let limit = 17 << 20
        for (extra, invalid) in [(0, false), (1, true)] {
            let copy = fixture.directory.file("bundle-\(extra)")
            try FileManager.default.copyItem(atPath: bundle, toPath: copy)
            let pad = String(repeating: "x", count: limit - base + extra)
            let length = try Self.appendEvent(to: copy, key: fixture.root.key, root: fixture.root.key, payload: ["pad": .string(pad)]) { _ in }
            #expect(length == limit + extra)
            let (swift, python, status) = try await Self.codes(copy)
            #expect(swift.contains("bundle-line-invalid") == invalid, "\(extra): \(swift)")
            #expect(python.contains("bundle-line-invalid") == invalid, "\(extra): \(python)")
            if !invalid { #expect(swift.isEmpty && python.isEmpty && status == 0, "\(swift) \(python)") }
        }
    }

    @Test("A manifest of exactly 1,048,576 bytes before its LF is read by both; one byte more is bundle-manifest-invalid in both")
    func manifestSizeBoundary() async throws {
        let fixture = try await ExportFixture.make()
        let source = try await fixture.bundle()
        let old = try BundleManifest(fileBytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: source + "/manifest.json"))))
        let empty = SHA256.hash([UInt8]())
        /// The manifest listing `count` empty files `pad/NNNNN-xxx…` of 200-byte paths, `extra`
        /// bytes more spread over the last ones, 50 each (a path is at most 255 bytes).
        func manifest(count: Int, extra: Int) -> BundleManifest {
            let pads = (0..<count).map { index in
                let name = "pad/" + String(format: "%05d-", index)
                let length = 200 + min(50, max(0, extra - 50 * (count - 1 - index)))
                return BundleManifest.File(path: name + String(repeating: "x", count: length - name.count), sha256: empty, bytes: 0)
            }
            return BundleManifest(ledgerID: old.ledgerID, size: old.size, headHash: old.headHash, files: old.files + pads)
        }
        let perFile = manifest(count: 2, extra: 0).fileBytes.count - manifest(count: 1, extra: 0).fileBytes.count
        let count = ((1 << 20) - manifest(count: 0, extra: 0).fileBytes.count) / perFile
        let extra = (1 << 20) + 1 - manifest(count: count, extra: 0).fileBytes.count
        #expect(extra >= 0 && extra < 50 * count)
        for (more, invalid) in [(0, false), (1, true)] {
            let bundle = fixture.directory.file("bundle-\(more)")
            try FileManager.default.copyItem(atPath: source, toPath: bundle)
            let listed = manifest(count: count, extra: extra + more)
            #expect(listed.fileBytes.count == (1 << 20) + 1 + more)
            try FileManager.default.createDirectory(atPath: bundle + "/pad", withIntermediateDirectories: true)
            for file in listed.files where file.path.hasPrefix("pad/") {
                FileManager.default.createFile(atPath: bundle + "/" + file.path, contents: Data())
            }
            try Data(listed.fileBytes).write(to: URL(fileURLWithPath: bundle + "/manifest.json"))
            let (swift, python, _) = try await Self.codes(bundle)
            #expect(swift.contains("bundle-manifest-invalid") == invalid, "\(more): \(swift)")
            #expect(python.contains("bundle-manifest-invalid") == invalid, "\(more): \(python)")
            if !invalid { #expect(swift.isEmpty && python.isEmpty, "\(swift) \(python)") }
        }
    }

    @Test("An event line ending CRLF, and a manifest with CRLF or indentation, are refused by both")
    func lineEndingsOfCanonicalFiles() async throws {
        let fixture = try await ExportFixture.make()
        let source = try await fixture.bundle()
        let edits: [(String, String, (String) -> String)] = [
            ("bundle-line-invalid", "events.jsonl", { $0.replacingOccurrences(of: "}\n", with: "}\r\n") }),
            ("bundle-manifest-invalid", "manifest.json", { $0.replacingOccurrences(of: "}\n", with: "}\r\n") }),
            ("bundle-manifest-invalid", "manifest.json", { $0.replacingOccurrences(of: ",\"", with: ",\n  \"") }),
        ]
        for (code, file, edit) in edits {
            let bundle = fixture.directory.file("edited-\(UUID().uuidString.prefix(6))")
            try FileManager.default.copyItem(atPath: source, toPath: bundle)
            let path = bundle + "/" + file
            try Data(edit(try String(contentsOfFile: path, encoding: .utf8)).utf8).write(to: URL(fileURLWithPath: path))
            if file != "manifest.json" { try Self.reseal(bundle) }
            let (swift, python, status) = try await Self.codes(bundle)
            #expect(swift.contains(code), "\(file): \(swift)")
            #expect(python.contains(code), "\(file): \(python)")
            #expect(status == 1)
        }
    }

    @Test("A checkpoint file: 65,536 bytes before its final LF, indentation and CRLF are accepted by both; a byte more, or a byte-order mark, refused by both")
    func checkpointFileBoundaries() async throws {
        let fixture = try await ExportFixture.make()
        let bundle = try await fixture.bundle()
        let checkpoint = try await fixture.ledger.checkpoint(signer: fixture.root)
        var canonical = checkpoint.fileBytes
        canonical.removeLast()
        func padded(_ total: Int) -> [UInt8] {
            [UInt8(ascii: "{")] + Array(repeating: UInt8(ascii: " "), count: total - canonical.count) + canonical.dropFirst()
        }
        let pretty = Array(String(decoding: canonical, as: UTF8.self)
            .replacingOccurrences(of: "{", with: "{\r\n\t").replacingOccurrences(of: ",\"", with: ",\r\n\t\"")
            .replacingOccurrences(of: "}", with: "\r\n}\r\n").utf8)
        let cases: [(String, [UInt8], Bool)] = [
            ("65,536 bytes and an LF", padded(65_536) + [0x0A], true),
            ("65,536 bytes, no LF", padded(65_536), true),
            ("indented, CRLF line ends", pretty, true),
            ("65,537 bytes and an LF", padded(65_537) + [0x0A], false),
            ("65,535 bytes, CRLF", padded(65_535) + [0x0D, 0x0A], true),
            ("65,536 bytes, CRLF", padded(65_536) + [0x0D, 0x0A], false),
            ("a byte-order mark", [0xEF, 0xBB, 0xBF] + canonical + [0x0A], false),
        ]
        for (name, bytes, accepted) in cases {
            let file = fixture.directory.file("anchor.checkpoint")
            try Data(bytes).write(to: URL(fileURLWithPath: file))
            let swift = (try? Checkpoint(fileBytes: bytes)) != nil
            #expect(swift == accepted, "\(name): Swift")
            let python = try pythonVerify(bundle, ["--anchor", file])
            #expect((python.status != 2) == accepted, "\(name): Python exit \(python.status) \(python.stderr)")
            if accepted { #expect(python.status == 0, "\(name): \(python.stdout)") }
        }
    }

    @Test("A checkpoint of format version 2, with a member version 1 lacks, is refused by both as of another version")
    func checkpointOfAnotherVersion() async throws {
        let fixture = try await ExportFixture.make()
        let bundle = try await fixture.bundle()
        let checkpoint = try await fixture.ledger.checkpoint(signer: fixture.root)
        let text = String(decoding: checkpoint.fileBytes, as: UTF8.self)
            .replacingOccurrences(of: "\"v\":1", with: "\"v\":2").replacingOccurrences(of: "{", with: "{\"merkleRoot\":\"00\",")
        let file = fixture.directory.file("v2.checkpoint")
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        do { _ = try Checkpoint(fileBytes: Array(text.utf8)); Issue.record("accepted") } catch { #expect(error.code == .unsupportedVersion) }
        let python = try pythonVerify(bundle, ["--anchor", file])
        #expect(python.status == 2)
        #expect(python.stderr.contains("checkpoint format version 2 is not supported"), "\(python.stderr)")
    }

    @Test("A key with the clock capability verifies in both; request.expired signed without it is key-not-authorized in both")
    func clockCapability() async throws {
        let fixture = try await ExportFixture.make()
        let clock = try Ed25519PrivateKey()
        try await fixture.ledger.registerKey(clock.publicKey, identity: "clock", capabilities: [.clock], signer: fixture.root)
        let bundle = try await fixture.bundle()
        let (swift, python, status) = try await Self.codes(bundle)
        #expect(swift.isEmpty && python.isEmpty && status == 0, "\(swift) \(python)")
        // An expiry needs clock (or admin): a key with request only may not sign one.
        let bot = try Ed25519PrivateKey()
        try await fixture.ledger.registerKey(bot.publicKey, identity: "bot", capabilities: [.request], signer: fixture.root)
        let later = try await fixture.bundle(name: "later")
        try Self.appendEvent(to: later, key: bot, root: fixture.root.key) { envelope in
            envelope["type"] = "request.expired"
            envelope["stream"] = "req-d"
            envelope["streamVersion"] = 2
            envelope["actor"] = "bot"
        }
        let (swiftLater, pythonLater, _) = try await Self.codes(later)
        #expect(swiftLater.contains("key-not-authorized"), "\(swiftLater)")
        #expect(pythonLater.contains("key-not-authorized"), "\(pythonLater)")
    }

    @Test("Relayed and own-key-signed events verify in both; a relay without the capability is relay-not-authorized, and an append its caller did not sign is command-mismatch, in both")
    func relayedEvents() async throws {
        let fixture = try await ExportFixture.make()
        let server = try Ed25519PrivateKey()
        try await fixture.ledger.registerKey(server.publicKey, identity: "ledger-server", capabilities: [.append, .relay, .request], signer: fixture.root)
        let relay = Signer(identity: "ledger-server", key: server)
        try await fixture.ledger.append(
            EventDraft(type: "deploy.note", stream: "svc-relay", payload: ["note": "from CI"]),
            signer: relay.speaking(for: "deploy-bot", origin: .relayed(via: "token:ci")))
        let payload: JSONValue = ["note": "alice signed this"]
        let time = try await fixture.ledger.head().time
        let unsigned = CommandSignature(keyID: fixture.alice.key.publicKey.keyID, nonce: "n-1", time: time, signature: [])
        let hash = CommandStatement.hash(
            of: unsigned, ledgerID: fixture.ledger.ledgerID, stream: "svc-relay", command: CommandStatement.appendCommand,
            arguments: CommandStatement.appendArguments(type: "deploy.note", payloadHash: SHA256.hash(CanonicalJSON.encode(payload))))
        let signed = CommandSignature(keyID: unsigned.keyID, nonce: "n-1", time: time, signature: try fixture.alice.key.signature(for: hash.bytes))
        let recorded = try await fixture.ledger.append(
            EventDraft(type: "deploy.note", stream: "svc-relay", payload: payload), signer: relay.speaking(for: "alice", origin: .signed(signed)))
        let bundle = try await fixture.bundle()
        let (swift, python, status) = try await Self.codes(bundle)
        #expect(swift.isEmpty && python.isEmpty && status == 0, "\(swift) \(python)")

        // alice's key holds no relay capability, yet speaks for bob.
        let forged = try await fixture.bundle(name: "forged-relay")
        try Self.appendEvent(to: forged, key: fixture.alice.key, root: fixture.root.key) { envelope in
            envelope["actor"] = "bob"
            envelope["origin"] = ["via": "token:stolen"]
        }
        let (swiftForged, pythonForged, _) = try await Self.codes(forged)
        #expect(swiftForged.contains("relay-not-authorized"), "\(swiftForged)")
        #expect(pythonForged.contains("relay-not-authorized"), "\(pythonForged)")

        // The server reuses alice's signed command for another payload.
        let altered = try await fixture.bundle(name: "altered-append")
        let origin = try #require(recorded.envelope.origin)
        try Self.appendEvent(to: altered, key: server, root: fixture.root.key, payload: ["note": "not what alice signed"]) { envelope in
            envelope["actor"] = "alice"
            envelope["stream"] = "svc-relay"
            envelope["streamVersion"] = 3
            envelope["origin"] = origin.jsonValue
            envelope["idempotencyKey"] = .string("command:" + hash.hex + "-again")
        }
        let (swiftAltered, pythonAltered, _) = try await Self.codes(altered)
        #expect(swiftAltered.isSuperset(of: ["command-mismatch", "command-invalid"]), "\(swiftAltered)")
        #expect(pythonAltered.isSuperset(of: ["command-mismatch", "command-invalid"]), "\(pythonAltered)")
    }

    // MARK: The auditor's own checkpoints

    @Test("An auditor's checkpoint beyond the bundle's end is anchor-beyond-bundle (a warning) in both, and another ledger's is anchor-foreign")
    func anchorBeyondTheBundle() async throws {
        let fixture = try await ExportFixture.make()
        let bundle = try await fixture.bundle()
        try await fixture.ledger.append(EventDraft(type: "deploy.note", stream: "svc-notes", payload: ["text": "later"]), signer: fixture.root)
        let later = try await fixture.ledger.checkpoint(signer: fixture.root)
        let laterFile = fixture.directory.file("later.checkpoint")
        try Data(later.fileBytes).write(to: URL(fileURLWithPath: laterFile))

        let report = try await BundleVerifier(extraAnchors: [later]).verify(bundleAt: bundle)
        #expect(report.isVerified())
        #expect(!report.isVerified(strict: true))
        let finding = report.verification?.findings.first { $0.code == .anchorBeyondBundle }
        #expect(finding?.severity == .warning)
        #expect(finding?.message.contains("cannot show that its events are the first") == true, "\(finding?.message ?? "none")")
        let (swift, python, status) = try await Self.codes(bundle, ["--anchor", laterFile], anchors: [later])
        #expect(swift == ["anchor-beyond-bundle"], "\(swift)")
        #expect(python == ["anchor-beyond-bundle"], "\(python)")
        #expect(status == 0)
        #expect(try pythonVerify(bundle, ["--anchor", laterFile, "--strict"]).status == 1)

        let foreign = try Checkpoint.sign(
            ledgerID: "another-ledger", size: later.size, headHash: later.headHash, time: later.time, key: fixture.root.key)
        let foreignFile = fixture.directory.file("foreign.checkpoint")
        try Data(foreign.fileBytes).write(to: URL(fileURLWithPath: foreignFile))
        let (swiftForeign, pythonForeign, statusForeign) = try await Self.codes(bundle, ["--anchor", foreignFile], anchors: [foreign])
        #expect(swiftForeign == ["anchor-foreign"], "\(swiftForeign)")
        #expect(pythonForeign == ["anchor-foreign"], "\(pythonForeign)")
        #expect(statusForeign == 1)
    }

    @Test("The bundle's own checkpoint beyond its events is still anchor-ahead in both: the bundle claims to reach it")
    func ownCheckpointBeyondTheEvents() async throws {
        let fixture = try await ExportFixture.make()
        let bundle = try await fixture.bundle()
        let events = bundle + "/events.jsonl"
        let lines = try String(contentsOfFile: events, encoding: .utf8).split(separator: "\n")
        try Data((lines.dropLast().joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: events))
        try Self.reseal(bundle)
        let (swift, python, _) = try await Self.codes(bundle)
        #expect(swift.contains("anchor-ahead"), "\(swift)")
        #expect(python.contains("anchor-ahead"), "\(python)")
    }

    // MARK: Layout

    @Test("A bundle without a README, its manifest not listing one, verifies in both: the README is not required")
    func readmeIsOptional() async throws {
        let fixture = try await ExportFixture.make()
        let bundle = try await fixture.bundle()
        try FileManager.default.removeItem(atPath: bundle + "/README.md")
        try Self.reseal(bundle)
        let (swift, python, status) = try await Self.codes(bundle)
        #expect(swift.isEmpty && python.isEmpty && status == 0, "\(swift) \(python)")
    }

    @Test("A checkpoint file below a subdirectory of checkpoints/ is not one of the bundle's checkpoints, in both")
    func nestedCheckpointsDoNotCount() async throws {
        let fixture = try await ExportFixture.make()
        let bundle = try await fixture.bundle()
        try FileManager.default.createDirectory(atPath: bundle + "/checkpoints/a", withIntermediateDirectories: true)
        // Both of the bundle's checkpoints (the JSON one and the note) go down a level.
        for name in try FileManager.default.contentsOfDirectory(atPath: bundle + "/checkpoints") where name.hasSuffix(".checkpoint") {
            try FileManager.default.moveItem(atPath: bundle + "/checkpoints/" + name, toPath: bundle + "/checkpoints/a/" + name)
        }
        try Self.reseal(bundle)
        let (swift, python, status) = try await Self.codes(bundle)
        #expect(swift == ["bundle-unanchored"], "\(swift)")
        #expect(python == ["bundle-unanchored"], "\(python)")
        #expect(status == 1)
    }
}
