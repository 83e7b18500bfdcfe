import LedgerCrypto
import Testing

@Suite("SHA-256")
struct SHA256Tests {
    @Test("FIPS 180-2 known answers", arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func knownAnswers(input: String, expected: String) {
        #expect(SHA256.hash(Array(input.utf8)).hex == expected)
    }

    @Test("Streaming equals one-shot, including one million 'a'")
    func streaming() {
        let hasher = SHA256()
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
        for _ in 0..<1000 { hasher.update(chunk) }
        #expect(hasher.finalize().hex == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        // finalize resets
        hasher.update(Array("abc".utf8))
        #expect(hasher.finalize() == SHA256.hash(Array("abc".utf8)))
    }

    @Test func digestParsing() {
        #expect(SHA256Digest(hex: String(repeating: "0", count: 64)) == .zero)
        #expect(SHA256Digest(hex: "abc") == nil)
        #expect(SHA256Digest(bytes: [1, 2]) == nil)
        let digest = SHA256.hash([1])
        #expect(digest.constantTimeEquals(SHA256Digest(hex: digest.hex)!))
        #expect(!digest.constantTimeEquals(.zero))
    }
}
