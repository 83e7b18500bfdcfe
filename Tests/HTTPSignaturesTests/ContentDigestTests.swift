import HTTPSignatures
import Testing

@Suite struct ContentDigestTests {
    static let body = Array(#"{"hello": "world"}"#.utf8)

    /// RFC 9530 §B.1 (and RFC 9421 §B.2): the sha-256 digest of `{"hello": "world"}`.
    @Test func rfcExample() throws {
        #expect(ContentDigest.sha256(Self.body) == "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:")
        try ContentDigest.verify("sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:", body: Self.body)
    }

    /// RFC 9530 §B.2 lists sha-256 beside sha-512: the unsupported one is ignored.
    @Test func otherAlgorithmsBesideSHA256AreIgnored() throws {
        let both = "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:, "
            + "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:"
        try ContentDigest.verify(both, body: Self.body)
    }

    @Test func aChangedBodyIsAMismatch() {
        #expect(throws: HTTPSignatureError.self) {
            try ContentDigest.verify(ContentDigest.sha256(Self.body), body: Array(#"{"hello": "World"}"#.utf8))
        }
        #expect(code(ContentDigest.sha256(Self.body), body: []) == .digestMismatch)
    }

    @Test func onlySHA512IsUnsupported() {
        let sha512 = "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:"
        #expect(code(sha512, body: Self.body) == .unsupportedDigestAlgorithm)
    }

    @Test(arguments: [
        "sha-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=", "sha-256=:AAAA:", "sha-256", "sha-256=:X48E9q", "",
        "sha-256=(:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:)",
    ])
    func malformedDigests(_ field: String) {
        #expect(code(field, body: Self.body) == (field.isEmpty ? .unsupportedDigestAlgorithm : .malformedDigest))
    }

    private func code(_ field: String, body: [UInt8]) -> HTTPSignatureError.Code? {
        do {
            try ContentDigest.verify(field, body: body)
            return nil
        } catch let error as HTTPSignatureError {
            return error.code
        } catch {
            return nil
        }
    }
}
