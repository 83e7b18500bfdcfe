import ApprovalLedger
import Foundation
import Testing

@Suite("Bundle manifest")
struct BundleManifestTests {
    static let manifest = BundleManifest(
        ledgerID: "3f2a6c1e", size: 48, headHash: SHA256.hash([1]),
        files: [
            .init(path: "events.jsonl", sha256: SHA256.hash([2]), bytes: 100),
            .init(path: "checkpoints/48-abc.checkpoint", sha256: SHA256.hash([3]), bytes: 10),
            .init(path: "README.md", sha256: SHA256.hash([4]), bytes: 5),
        ])

    @Test("Written canonical with files sorted by path, and read back")
    func roundTrip() throws {
        let bytes = Self.manifest.fileBytes
        #expect(bytes.last == 0x0A)
        #expect(CanonicalJSON.encode(try JSONParser.parse(Array(bytes.dropLast()))) == Array(bytes.dropLast()))
        let read = try BundleManifest(fileBytes: bytes)
        #expect(read == Self.manifest)
        #expect(read.files.map(\.path) == ["README.md", "checkpoints/48-abc.checkpoint", "events.jsonl"])
    }

    @Test("Refuses anything but the canonical form of a valid manifest")
    func strictness() {
        let text = String(decoding: Self.manifest.fileBytes, as: UTF8.self)
        let damaged = [
            String(text.dropLast()),
            text.replacingOccurrences(of: #"{"files""#, with: #"{ "files""#),
            text.replacingOccurrences(of: #""v":1"#, with: #""v":2"#),
            text.replacingOccurrences(of: #""size":48"#, with: #""size":48,"tool":"x""#),
            text.replacingOccurrences(of: "README.md", with: "zz.md"),
            text.replacingOccurrences(of: "README.md", with: "../README.md"),
            text.replacingOccurrences(of: "README.md", with: "manifest.json"),
            text.replacingOccurrences(of: "README.md", with: "a//b"),
            text.replacingOccurrences(of: #""type":"approval-ledger.bundle""#, with: #""type":"approval-ledger.checkpoint""#),
        ]
        for file in damaged {
            #expect(throws: FormatError.self, "\(file)") { try BundleManifest(fileBytes: Array(file.utf8)) }
        }
    }
}
