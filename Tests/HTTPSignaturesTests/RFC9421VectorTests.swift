import Foundation
import HTTPSignatures
import LedgerCrypto
import TestSupport
import Testing

/// RFC 9421 Appendix B.2.6 (`test-key-ed25519`), from ../shared/vectors/http-signatures.
@Suite("RFC 9421 Ed25519 vector")
struct RFC9421VectorTests {
    struct Vector {
        let message: MessageComponents
        let signatureInput: String, signature: String, signatureBase: String
        let privateKey: Ed25519PrivateKey, publicKey: Ed25519PublicKey
        let body: String

        init() throws {
            let json = try TestPaths.vectorJSON("http-signatures/rfc9421_ed25519.json") as! [String: Any]
            let request = json["request"] as! [String: Any]
            let fields = (request["headers"] as! [[String]]).map { (name: $0[0], value: $0[1]) }
            message = try MessageComponents(
                method: request["method"] as! String, targetURI: request["url"] as! String, fields: fields)
            signatureInput = json["signatureInput"] as! String
            signature = json["signature"] as! String
            signatureBase = json["signatureBase"] as! String
            privateKey = try Ed25519PrivateKey(pemRepresentation: Array((json["privateKeyPem"] as! String).utf8))
            publicKey = try Ed25519PublicKey(pemRepresentation: json["publicKeyPem"] as! String)
            body = request["body"] as! String
        }

        /// The request with the published signature fields added.
        var signedMessage: MessageComponents {
            var signed = message
            signed.fields += [("Signature-Input", signatureInput), ("Signature", signature)]
            return signed
        }
    }

    @Test("the signature base is reproduced byte for byte")
    func signatureBase() throws {
        let vector = try Vector()
        let parsed = try MessageSignature.all(in: vector.signedMessage)
        #expect(parsed.count == 1)
        #expect(parsed[0].label == "sig-b26")
        #expect(parsed[0].parameters.created == 1_618_884_473)
        #expect(parsed[0].parameters.keyID == "test-key-ed25519")
        let base = try SignatureBase.bytes(for: vector.message, parameters: parsed[0].parameters)
        #expect(base == Array(vector.signatureBase.utf8))
    }

    @Test("signing reproduces the published Signature-Input and Signature (Ed25519 is deterministic)")
    func signatureReproduced() throws {
        let vector = try Vector()
        #expect(vector.privateKey.publicKey == vector.publicKey)
        let parameters = SignatureParameters(
            coveredComponents: ["date", "@method", "@path", "@authority", "content-type", "content-length"],
            parameters: [.created(1_618_884_473), .keyID("test-key-ed25519")])
        let fields = try MessageSignature.sign(vector.message, parameters: parameters, label: "sig-b26", key: vector.privateKey)
        #expect(fields.signatureInput == vector.signatureInput)
        #expect(fields.signature == vector.signature)
    }

    @Test("the published signature verifies, and fails once any covered part changes")
    func signatureVerifies() throws {
        let vector = try Vector()
        let signature = try #require(try MessageSignature.all(in: vector.signedMessage).first)
        #expect(try signature.isValid(for: vector.signedMessage, publicKey: vector.publicKey))

        var otherMethod = vector.signedMessage
        otherMethod.method = "PUT"
        #expect(try !signature.isValid(for: otherMethod, publicKey: vector.publicKey))
        var otherPath = vector.signedMessage
        otherPath.path = "/bar"
        #expect(try !signature.isValid(for: otherPath, publicKey: vector.publicKey))
        var otherLength = vector.signedMessage
        otherLength.fields = otherLength.fields.map { $0.name == "Content-Length" ? ($0.name, "19") : $0 }
        #expect(try !signature.isValid(for: otherLength, publicKey: vector.publicKey))
        // The query is not covered: changing it leaves the signature valid, as RFC 9421 intends.
        var otherQuery = vector.signedMessage
        otherQuery.query = "param=Other"
        #expect(try signature.isValid(for: otherQuery, publicKey: vector.publicKey))

        let stranger = try Ed25519PrivateKey().publicKey
        #expect(try !signature.isValid(for: vector.signedMessage, publicKey: stranger))
    }
}
