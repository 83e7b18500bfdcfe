import LedgerFormat
import Testing

@Suite struct CheckpointTextTests {
    static let root = "BoMMe1wd25Tco0mYGROkyqxHZWx+hcSCtMV315Lu6Lg="

    @Test func linesRoundTrip() throws {
        let text = "example.test/log\n42\n\(Self.root)\nan extension\n"
        let checkpoint = try CheckpointText(text: Array(text.utf8))
        #expect(checkpoint.origin == "example.test/log")
        #expect(checkpoint.size == 42)
        #expect(checkpoint.rootHash == Base64.decode(Self.root))
        #expect(checkpoint.extensions == ["an extension"])
        #expect(checkpoint.text == Array(text.utf8))
        #expect(try CheckpointText(text: Array("o\n0\n\(Self.root)\n".utf8)).size == 0)
        #expect(try CheckpointText(text: Array("o\n18446744073709551615\n\(Self.root)\n".utf8)).size == .max)
        // An origin is not assumed to be a URL: spaces and plus signs are the log's business.
        #expect(try CheckpointText(text: Array("go.sum database tree+1\n1\n\(Self.root)\n".utf8)).origin == "go.sum database tree+1")
    }

    @Test(arguments: [
        "o\n42\n\(root)",
        "o\n42\n",
        "\n42\n\(root)\n",
        "o\n042\n\(root)\n",
        "o\n00\n\(root)\n",
        "o\n+42\n\(root)\n",
        "o\n-1\n\(root)\n",
        "o\n 42\n\(root)\n",
        "o\n4 2\n\(root)\n",
        "o\n18446744073709551616\n\(root)\n",
        "o\n\n\(root)\n",
        "o\n42\nAAAA\n",
        "o\n42\n\(root.dropLast())\n",
        "o\n42\nBoMMe1wd25Tco0mYGROkyqxHZWx+hcSCtMV315Lu6Lh=\n",
        "o\n42\n\(root)\n\n",
        "o\n42\n\(root)\next\n\n",
        "o\t\n42\n\(root)\n",
    ])
    func malformedTextsAreRefused(_ text: String) {
        #expect(throws: FormatError.self) { try CheckpointText(text: Array(text.utf8)) }
    }

    @Test func theWriterRefusesWhatTheReaderWould() {
        #expect(throws: FormatError.self) { try CheckpointText(origin: "", size: 1, rootHash: [UInt8](repeating: 0, count: 32)) }
        #expect(throws: FormatError.self) { try CheckpointText(origin: "a\nb", size: 1, rootHash: [UInt8](repeating: 0, count: 32)) }
        #expect(throws: FormatError.self) { try CheckpointText(origin: "o", size: 1, rootHash: [1, 2]) }
        #expect(throws: FormatError.self) { try CheckpointText(origin: "o", size: 1, rootHash: [UInt8](repeating: 0, count: 32), extensions: [""]) }
    }
}
