import HTTPSignatures
import Testing

@Suite struct ContentDigestTests {
    /// RFC 9530 §B.1: the digest of `{"hello": "world"}`.
    @Test func rfcExample() {
        #expect(ContentDigest.sha256(Array(#"{"hello": "world"}"#.utf8)) == "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:")
    }
}
