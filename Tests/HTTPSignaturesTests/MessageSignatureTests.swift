import HTTPSignatures
import LedgerCrypto
import Testing

@Suite struct MessageSignatureTests {
    /// RFC 9421 §2.2's example request, `POST /path?param=value` to `www.example.com` over https.
    static let example = try! MessageComponents(
        method: "POST", targetURI: "https://www.example.com/path?param=value", fields: [("Host", "www.example.com")])

    static func base(_ message: MessageComponents, _ components: [String]) throws -> String {
        String(decoding: try SignatureBase.bytes(for: message, parameters: .init(coveredComponents: components, parameters: [])), as: UTF8.self)
    }

    @Test("derived components take the values of RFC 9421 §2.2's examples")
    func derivedComponents() throws {
        let base = try Self.base(Self.example, ["@method", "@target-uri", "@authority", "@scheme", "@request-target", "@path", "@query"])
        #expect(base == """
            "@method": POST
            "@target-uri": https://www.example.com/path?param=value
            "@authority": www.example.com
            "@scheme": https
            "@request-target": /path?param=value
            "@path": /path
            "@query": ?param=value
            "@signature-params": ("@method" "@target-uri" "@authority" "@scheme" "@request-target" "@path" "@query")
            """)
    }

    @Test("@query is `?` without a query, @path is `/` for an empty path, @authority drops a default port and case")
    func derivedEdgeCases() throws {
        let bare = try MessageComponents(method: "GET", targetURI: "HTTP://WWW.Example.com:80", fields: [])
        #expect(try Self.base(bare, ["@query", "@path", "@authority", "@scheme", "@target-uri"]) == """
            "@query": ?
            "@path": /
            "@authority": www.example.com
            "@scheme": http
            "@target-uri": http://WWW.Example.com:80/
            "@signature-params": ("@query" "@path" "@authority" "@scheme" "@target-uri")
            """)
        let loopback = try MessageComponents(method: "GET", targetURI: "http://127.0.0.1:8480/v1/requests?status=pending#frag", fields: [])
        #expect(try Self.base(loopback, ["@authority", "@query"]).hasPrefix("\"@authority\": 127.0.0.1:8480\n\"@query\": ?status=pending\n"))
    }

    @Test("field values are trimmed and repeated lines joined with \", \" (RFC 9421 §2.1)")
    func fieldValues() throws {
        let message = try MessageComponents(
            method: "GET", targetURI: "https://example.com/",
            fields: [
                ("X-OWS-Header", "   Leading and trailing whitespace.   "), ("Cache-Control", "max-age=60"),
                ("Cache-Control", "   must-revalidate"), ("Example-Dict", " a=1,    b=2;x=1;y=2,   c=(a   b   c)"),
            ])
        #expect(try Self.base(message, ["x-ows-header", "cache-control", "example-dict"]) == """
            "x-ows-header": Leading and trailing whitespace.
            "cache-control": max-age=60, must-revalidate
            "example-dict": a=1,    b=2;x=1;y=2,   c=(a   b   c)
            "@signature-params": ("x-ows-header" "cache-control" "example-dict")
            """)
    }

    @Test("a signed ledger request round-trips: parsed parameters, valid signature, tampering detected")
    func roundTrip() throws {
        let key = try Ed25519PrivateKey()
        let body = Array(#"{"decision":"approve"}"#.utf8)
        var message = try MessageComponents(
            method: "POST", targetURI: "http://127.0.0.1:8480/v1/requests/req-1/votes",
            fields: [("Content-Type", "application/json"), ("Content-Digest", ContentDigest.sha256(body))])
        let parameters = SignatureParameters(
            coveredComponents: ["@method", "@target-uri", "content-digest", "content-type"],
            parameters: [.created(1_764_650_000), .nonce("n-1"), .keyID(key.publicKey.keyID.rawValue), .algorithm("ed25519")])
        let fields = try MessageSignature.sign(message, parameters: parameters, key: key)
        #expect(fields.signatureInput.hasPrefix(#"sig1=("@method" "@target-uri" "content-digest" "content-type");created=1764650000;nonce="n-1";keyid="ed25519:"#))
        message.fields += fields.fields

        let parsed = try MessageSignature.all(in: message)
        #expect(parsed.map(\.parameters) == [parameters])
        #expect(try parsed[0].isValid(for: message, publicKey: key.publicKey))

        var otherTarget = message
        otherTarget.path = "/v1/requests/req-2/votes"
        #expect(try !parsed[0].isValid(for: otherTarget, publicKey: key.publicKey))
        var otherDigest = message
        otherDigest.fields[1].value = ContentDigest.sha256(Array(#"{"decision":"deny"}"#.utf8))
        #expect(try !parsed[0].isValid(for: otherDigest, publicKey: key.publicKey))
        var noType = message
        noType.fields.removeFirst()
        #expect(code { try parsed[0].isValid(for: noType, publicKey: key.publicKey) } == .missingComponent)
    }

    @Test("alg other than ed25519 is refused, not tried")
    func otherAlgorithm() throws {
        let key = try Ed25519PrivateKey()
        let parameters = SignatureParameters(coveredComponents: ["@method"], parameters: [.algorithm("hmac-sha256")])
        var message = Self.example
        message.fields += try MessageSignature.sign(message, parameters: parameters, key: key).fields
        let signature = try MessageSignature.all(in: message)[0]
        #expect(code { try signature.isValid(for: message, publicKey: key.publicKey) } == .unsupportedAlgorithm)
    }

    @Test("malformed or mismatched signature fields are typed errors", arguments: [
        (#"sig1=("@method");created=1"#, "sig1=:AAAA:", nil),
        (#"sig1=("@method")"#, "sig2=:AAAA:", HTTPSignatureError.Code.malformedSignature),
        (#"sig1="@method""#, "sig1=:AAAA:", .malformedSignature),
        (#"sig1=("@method");created="1""#, "sig1=:AAAA:", .malformedSignature),
        (#"sig1=("@method");unknown=1"#, "sig1=:AAAA:", .malformedSignature),
        (#"sig1=(@method)"#, "sig1=:AAAA:", .malformedSignature),
        (#"sig1=("@method")"#, "sig1=AAAA", .malformedSignature),
        (#"sig1=("@method" "@method")"#, "sig1=:AAAA:", .unsupportedComponent),
        (#"sig1=("content-type";sf)"#, "sig1=:AAAA:", .unsupportedComponent),
        (#"sig1=("Content-Type")"#, "sig1=:AAAA:", .unsupportedComponent),
        (#"sig1=("@signature-params")"#, "sig1=:AAAA:", .unsupportedComponent),
    ] as [(input: String, signature: String, expected: HTTPSignatureError.Code?)])
    func malformedFields(_ field: (input: String, signature: String, expected: HTTPSignatureError.Code?)) {
        #expect(code { _ = try MessageSignature.parse(signatureInput: field.input, signature: field.signature) } == field.expected)
    }

    @Test("a request without signature fields, or with a derived component not supported, is refused")
    func missingOrUnsupported() throws {
        #expect(code { _ = try MessageSignature.all(in: Self.example) } == .malformedSignature)
        #expect(code { _ = try Self.base(Self.example, ["@status"]) } == .unsupportedComponent)
        #expect(code { _ = try Self.base(Self.example, ["@query-param"]) } == .unsupportedComponent)
        #expect(code { _ = try Self.base(Self.example, ["content-type"]) } == .missingComponent)
        let folded = try MessageComponents(method: "GET", targetURI: "https://example.com/", fields: [("X-Evil", "a\nb")])
        #expect(code { _ = try Self.base(folded, ["x-evil"]) } == .invalidComponentValue)
        #expect(code { _ = try MessageComponents(method: "GET", targetURI: "/relative", fields: []) } == .invalidComponentValue)
    }

    private func code(_ body: () throws -> Void) -> HTTPSignatureError.Code? {
        do {
            try body()
            return nil
        } catch let error as HTTPSignatureError {
            return error.code
        } catch {
            Issue.record("unexpected \(error)")
            return nil
        }
    }
}
