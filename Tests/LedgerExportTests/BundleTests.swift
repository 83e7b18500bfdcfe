import ApprovalLedger
import Foundation
import TestSupport
import Testing

/// Evidence bundles, checked by `BundleVerifier` (what `ledger verify --bundle` runs) and by
/// the independent `Tools/verify_bundle.py`.
@Suite("Evidence bundles")
struct BundleTests {
    static func verify(_ path: String, anchors: [Checkpoint] = []) async throws -> BundleReport {
        try await BundleVerifier(extraAnchors: anchors).verify(bundleAt: path)
    }

    static func codes(_ report: BundleReport) -> Set<String> {
        Set(report.findings.map(\.code.rawValue) + (report.verification?.findings.filter { $0.severity == .error }.map(\.code.rawValue) ?? []))
    }

    /// Runs `body` with byte `index` of `path` flipped, then puts it back.
    static func withFlippedByte(_ path: String, at index: Int, mask: UInt8 = 0x01, _ body: () async throws -> Void) async throws {
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        var flipped = original
        flipped[index] ^= mask
        try flipped.write(to: URL(fileURLWithPath: path))
        defer { try? original.write(to: URL(fileURLWithPath: path)) }
        try await body()
    }

    /// Rewrites the manifest so that it lists the files as they now are: what someone editing
    /// a bundle on purpose would do.
    static func reseal(_ bundle: String, requests: [String]? = nil) throws {
        let manifestPath = bundle + "/manifest.json"
        let old = try BundleManifest(fileBytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: manifestPath))))
        var files: [BundleManifest.File] = []
        for relative in try FileManager.default.subpathsOfDirectory(atPath: bundle).sorted() where relative != "manifest.json" {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: bundle + "/" + relative, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            let data = try Data(contentsOf: URL(fileURLWithPath: bundle + "/" + relative))
            files.append(.init(path: relative, sha256: SHA256.hash([UInt8](data)), bytes: Int64(data.count)))
        }
        let manifest = BundleManifest(ledgerID: old.ledgerID, size: old.size, headHash: old.headHash, files: files, requests: requests ?? old.requests)
        try Data(manifest.fileBytes).write(to: URL(fileURLWithPath: manifestPath))
    }

    @Test("A bundle of the whole ledger verifies with both verifiers")
    func wholeLedger() async throws {
        let fixture = try await ExportFixture.make()
        let bundle = try await fixture.bundle()
        let report = try await Self.verify(bundle)
        #expect(report.isVerified(), "\(Self.codes(report))")
        #expect(report.findings.isEmpty)
        #expect(report.absentPayloads == 0)
        #expect(report.checkpoints.map(\.size) == [report.verification!.events])
        #expect(report.verification?.checks.contains("columns") == false)
        let python = try pythonVerify(bundle, ["--format", "json"])
        #expect(python.status == 0, "\(python.stdout)\(python.stderr)")
        let summary = try foundationJSON(python.stdout)["summary"] as? [String: Any]
        #expect(summary?["headHash"] as? String == report.verification?.headHash)
        #expect(summary?["events"] as? Int == Int(report.verification!.events))
    }

    @Test("A day's bundle verifies with its payloads outside the scope withheld, and says nothing of them")
    func periodBundle() async throws {
        let fixture = try await ExportFixture.make()
        let bundle = try await fixture.bundle(ExportFixture.dayTwo)
        let report = try await Self.verify(bundle)
        #expect(report.isVerified(), "\(Self.codes(report))")
        #expect(report.absentPayloads > 0)
        #expect(try pythonVerify(bundle).status == 0)
        let events = try String(contentsOfFile: bundle + "/events.jsonl", encoding: .utf8)
        #expect(!events.contains("checkout v1"))
        #expect(!events.contains("search v3"))
        #expect(events.contains("not during the freeze"))
        let readme = try String(contentsOfFile: bundle + "/README.md", encoding: .utf8)
        #expect(readme.contains("2026-11-02T00:00:00.000Z (inclusive) to 2026-11-03T00:00:00.000Z (exclusive)"))
        #expect(readme.contains("ledger verify --bundle"))
        #expect(readme.contains("verify_bundle.py"))
    }

    @Test("Changing any byte of the manifest, the one file no hash covers, fails both verifiers")
    func everyByteOfTheManifest() async throws {
        let fixture = try await ExportFixture.make()
        let bundle = try await fixture.bundle(ExportFixture.dayTwo)
        let count = try Data(contentsOf: URL(fileURLWithPath: bundle + "/manifest.json")).count
        // Two workers, each on its own copy, since every check is a whole verification.
        let survivors = try await withThrowingTaskGroup(of: [Int].self) { group in
            for worker in 0..<2 {
                let copy = fixture.directory.file("worker-\(worker)")
                try FileManager.default.copyItem(atPath: bundle, toPath: copy)
                group.addTask {
                    var survivors: [Int] = []
                    for index in stride(from: worker, to: count, by: 2) {
                        try await Self.withFlippedByte(copy + "/manifest.json", at: index) {
                            if try await Self.verify(copy).isVerified() { survivors.append(index) }
                        }
                    }
                    return survivors
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(survivors.isEmpty, "manifest bytes whose change still verifies: \(survivors.sorted())")
        #expect(try await Self.verify(bundle).isVerified())
        let checkpoint = "checkpoints/" + (try FileManager.default.contentsOfDirectory(atPath: bundle + "/checkpoints").first!)
        let python = try pythonFlipEveryByte(bundle, files: ["manifest.json", checkpoint])
        #expect(python == "0", "bytes the Python verifier misses: \(python)")
    }

    @Test("Changing bytes anywhere in the events or README fails both verifiers")
    func sampledBytesOfEveryFile() async throws {
        let fixture = try await ExportFixture.make()
        let bundle = try await fixture.bundle(ExportFixture.dayTwo)
        var generator = SplitMix64(seed: 7)
        let checkpoint = "checkpoints/" + (try FileManager.default.contentsOfDirectory(atPath: bundle + "/checkpoints").first!)
        for file in ["events.jsonl", "README.md", checkpoint] {
            let path = bundle + "/" + file
            let count = try Data(contentsOf: URL(fileURLWithPath: path)).count
            let positions = Set([0, count / 2, count - 1] + (0..<6).map { _ in Int.random(in: 0..<count, using: &generator) })
            for index in positions.sorted() {
                try await Self.withFlippedByte(path, at: index, mask: 0x20) {
                    #expect(try await !Self.verify(bundle).isVerified(), "\(file) byte \(index)")
                    let python = try pythonVerify(bundle)
                    #expect(python.status == 1, "\(file) byte \(index): \(python.stdout)")
                }
            }
        }
    }

    @Test("Edits that reseal the manifest are still caught by the hashes, signatures and checkpoint")
    func resealedEditsFail() async throws {
        let fixture = try await ExportFixture.make()
        let source = try await fixture.bundle(ExportFixture.dayTwo)
        typealias Edit = (_ bundle: String) throws -> Void
        let events = "/events.jsonl"
        let edits: [(String, Edit, String)] = [
            ("a disclosed payload changed", { bundle in
                let text = try String(contentsOfFile: bundle + events, encoding: .utf8)
                try text.replacingOccurrences(of: "not during the freeze", with: "approved, go ahead!!").write(toFile: bundle + events, atomically: true, encoding: .utf8)
            }, "payload-mismatch"),
            ("the last event removed", { bundle in
                var lines = try String(contentsOfFile: bundle + events, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
                lines.removeLast(2)
                try (lines.joined(separator: "\n") + "\n").write(toFile: bundle + events, atomically: true, encoding: .utf8)
            }, "anchor-ahead"),
            ("the checkpoint removed", { bundle in
                let directory = bundle + "/checkpoints"
                for name in try FileManager.default.contentsOfDirectory(atPath: directory) { try FileManager.default.removeItem(atPath: directory + "/" + name) }
            }, "bundle-unanchored"),
            ("two events swapped", { bundle in
                var lines = try String(contentsOfFile: bundle + events, encoding: .utf8).split(separator: "\n").map(String.init)
                lines.swapAt(4, 5)
                try (lines.joined(separator: "\n") + "\n").write(toFile: bundle + events, atomically: true, encoding: .utf8)
            }, "seq-gap"),
        ]
        for (name, edit, code) in edits {
            let bundle = fixture.directory.file("edited-\(UUID().uuidString.prefix(6))")
            try FileManager.default.copyItem(atPath: source, toPath: bundle)
            try edit(bundle)
            try Self.reseal(bundle)
            let report = try await Self.verify(bundle)
            #expect(!report.isVerified(), "\(name)")
            #expect(Self.codes(report).contains(code), "\(name): \(Self.codes(report))")
            let python = try pythonVerify(bundle, ["--format", "json"])
            #expect(python.status == 1, "\(name)")
            let pythonCodes = Set((try foundationJSON(python.stdout)["findings"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String })
            #expect(pythonCodes.contains(code), "\(name): \(pythonCodes)")
        }
    }

    @Test("Files added or removed without the manifest are found")
    func unlistedAndMissingFiles() async throws {
        let fixture = try await ExportFixture.make()
        let bundle = try await fixture.bundle()
        try "notes".write(toFile: bundle + "/extra.txt", atomically: true, encoding: .utf8)
        #expect(Self.codes(try await Self.verify(bundle)) == ["bundle-file-unlisted"])
        #expect(try pythonVerify(bundle).status == 1)
        try FileManager.default.removeItem(atPath: bundle + "/extra.txt")
        try FileManager.default.removeItem(atPath: bundle + "/README.md")
        #expect(Self.codes(try await Self.verify(bundle)) == ["bundle-file-missing"])
        #expect(try pythonVerify(bundle).status == 1)
    }

    @Test("A checkpoint the auditor holds is checked too: a later one is a warning that the bundle cannot be held to it")
    func auditorsOwnAnchors() async throws {
        let fixture = try await ExportFixture.make()
        let bundle = try await fixture.bundle()
        let same = try await fixture.ledger.checkpoint(signer: fixture.root)
        let sameFile = fixture.directory.file("same.checkpoint")
        try Data(same.fileBytes).write(to: URL(fileURLWithPath: sameFile))
        #expect(try await Self.verify(bundle, anchors: [same]).isVerified())
        #expect(try pythonVerify(bundle, ["--anchor", sameFile]).status == 0)

        try await fixture.ledger.append(EventDraft(type: "deploy.note", stream: "svc-notes", payload: ["text": "later"]), signer: fixture.root)
        let later = try await fixture.ledger.checkpoint(signer: fixture.root)
        let laterFile = fixture.directory.file("later.checkpoint")
        try Data(later.fileBytes).write(to: URL(fileURLWithPath: laterFile))
        let report = try await Self.verify(bundle, anchors: [later])
        #expect(report.verification?.findings.map(\.code) == [.anchorBeyondBundle])
        #expect(!report.isVerified(strict: true))
        #expect(try pythonVerify(bundle, ["--anchor", laterFile, "--strict"]).status == 1)
    }

    @Test("A directory without a manifest is not a bundle")
    func notABundle() async throws {
        let fixture = try await ExportFixture.make()
        let error = await #expect(throws: ExportError.self) { try await Self.verify(fixture.directory.path) }
        #expect(error?.code == .notABundle)
        #expect(try pythonVerify(fixture.directory.path).status == 2)
    }

    @Test("More withheld payloads than the verifier lists still verify")
    func thousandsOfWithheldPayloads() async throws {
        let fixture = try await ExportFixture.make()
        fixture.clock.set(ExportFixture.day(5, "00:00"))
        let notes = (0..<(Verifier.maxFindings + 50)).map { EventDraft(type: "deploy.note", stream: "bulk", payload: ["n": .integer(Int64($0))]) }
        _ = try await fixture.ledger.append(notes, signer: fixture.root)
        fixture.clock.set(ExportFixture.day(6, "00:00"))
        try await fixture.ledger.append(EventDraft(type: "deploy.note", stream: "svc-notes", payload: ["text": "in the period"]), signer: fixture.root)
        let bundle = try await fixture.bundle(ExportScope(since: ExportFixture.day(6, "00:00")))
        let report = try await Self.verify(bundle)
        #expect(report.absentPayloads > Int64(Verifier.maxFindings))
        #expect(report.verification?.findingsOmitted == 0)
        #expect(report.isVerified(), "\(Self.codes(report))")
        #expect(try pythonVerify(bundle).status == 0)

        // …while an error among them still fails it.
        try await Self.withFlippedByte(bundle + "/events.jsonl", at: try Data(contentsOf: URL(fileURLWithPath: bundle + "/events.jsonl")).count - 40) {
            try Self.reseal(bundle)
            #expect(try await !Self.verify(bundle).isVerified())
            #expect(try pythonVerify(bundle).status == 1)
        }
    }
}

/// Flips every byte of each of `files` in turn (XOR 1) and runs the Python verifier in
/// process on each result; returns the number of flips it still verified, then the first few.
func pythonFlipEveryByte(_ bundle: String, files: [String]) throws -> String {
    let program = """
        import contextlib, importlib.util, io, os, sys
        spec = importlib.util.spec_from_file_location("verify_bundle", sys.argv[1])
        verify_bundle = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(verify_bundle)
        bundle, survivors = sys.argv[2], []
        for relative in sys.argv[3:]:
            path = os.path.join(bundle, relative)
            original = open(path, "rb").read()
            for index in range(len(original)):
                data = bytearray(original)
                data[index] ^= 1
                open(path, "wb").write(data)
                with contextlib.redirect_stdout(io.StringIO()):
                    if verify_bundle.main([bundle]) != 1:
                        survivors.append(f"{relative}:{index}")
            open(path, "wb").write(original)
        print(" ".join([str(len(survivors))] + survivors[:10]))
        """
    let script = TestPaths.packageRoot.appendingPathComponent("Tools/verify_bundle.py").path
    let result = try ProcessRunner.run("python3", ["-c", program, script, bundle] + files)
    return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) + result.stderr
}

