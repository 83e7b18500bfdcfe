import ApprovalLedger
import Foundation
import HTTPSignatures
import HTTPTypes
import Hummingbird
import LedgerServer
import NIOCore
import TestSupport
import Testing

/// The server's RFC 9421 authenticator on real requests and a real ledger file: what it
/// accepts, and the 401 code of each refusal.
@Suite struct MessageSignatureAuthenticatorTests {
    struct Fixture {
        let directory: TemporaryDirectory
        let ledger: Ledger
        let alice: Ed25519PrivateKey
        let revoked: Ed25519PrivateKey
        let now: Int64

        init() async throws {
            directory = try TemporaryDirectory()
            let root = Signer(identity: "root", key: try Ed25519PrivateKey())
            ledger = try await Ledger.create(at: directory.file("t.ledger"), root: root)
            alice = try Ed25519PrivateKey()
            revoked = try Ed25519PrivateKey()
            try await ledger.registerKey(alice.publicKey, identity: "alice", capabilities: [.approve], signer: root)
            try await ledger.registerKey(revoked.publicKey, identity: "mallory", capabilities: [.approve], signer: root)
            try await ledger.revokeKey(revoked.publicKey.keyID, reason: "left", signer: root)
            now = SystemClock.now().millisecondsSinceEpoch / 1000
        }
    }

    /// A request to `http://127.0.0.1:8480{path}` signed by `key` as the clients sign.
    static func signed(
        _ method: HTTPRequest.Method = .post, _ path: String = "/v1/requests/req-1/votes", body: [UInt8] = Array(#"{"decision":"approve"}"#.utf8),
        key: Ed25519PrivateKey, created: Int64, nonce: String = UUID().uuidString, covered: [String]? = nil, algorithm: String = "ed25519",
        digestBody: [UInt8]? = nil
    ) throws -> Request {
        var fields: [(name: String, value: String)] = []
        if !body.isEmpty {
            fields = [("Content-Type", "application/json"), ("Content-Digest", ContentDigest.sha256(digestBody ?? body))]
        }
        let message = try MessageComponents(method: method.rawValue, targetURI: "http://127.0.0.1:8480" + path, fields: fields)
        let components = covered ?? (body.isEmpty ? ["@method", "@target-uri"] : ["@method", "@target-uri", "content-digest", "content-type"])
        let parameters = SignatureParameters(
            coveredComponents: components,
            parameters: [.created(created), .nonce(nonce), .keyID(key.publicKey.keyID.rawValue), .algorithm(algorithm)])
        var headers = HTTPFields()
        for (name, value) in fields + (try MessageSignature.sign(message, parameters: parameters, key: key)).fields {
            headers.append(HTTPField(name: HTTPField.Name(name)!, value: value))
        }
        return Request(
            head: HTTPRequest(method: method, scheme: nil, authority: "127.0.0.1:8480", path: path, headerFields: headers),
            body: RequestBody(buffer: ByteBuffer(bytes: body)))
    }

    static let body = Array(#"{"decision":"approve"}"#.utf8)

    func refusal(_ fixture: Fixture, _ request: Request, body: [UInt8] = Self.body, authenticator: MessageSignatureAuthenticator = .init()) async -> String? {
        do {
            _ = try await authenticator.authenticate(request, body: body, ledger: fixture.ledger)
            return nil
        } catch let problem as Problem {
            #expect(problem.status == .unauthorized || problem.status == .serviceUnavailable)
            return problem.code
        } catch {
            Issue.record("unexpected \(error)")
            return "?"
        }
    }

    @Test("a fresh signature by a registered key gives the key's identity and capabilities")
    func accepted() async throws {
        let fixture = try await Fixture()
        let caller = try await MessageSignatureAuthenticator().authenticate(
            try Self.signed(key: fixture.alice, created: fixture.now), body: Self.body, ledger: fixture.ledger)
        #expect(caller.identity == "alice")
        #expect(caller.capabilities == [.approve])
        #expect(caller.credential == .key(fixture.alice.publicKey.keyID))
        let get = try Self.signed(.get, "/v1/requests?status=pending", body: [], key: fixture.alice, created: fixture.now)
        #expect(try await MessageSignatureAuthenticator().authenticate(get, body: [], ledger: fixture.ledger).identity == "alice")
    }

    @Test("each refusal has its own code")
    func refusals() async throws {
        let f = try await Fixture()
        #expect(await refusal(f, try Self.signed(key: f.alice, created: f.now - 301)) == "signature-expired")
        #expect(await refusal(f, try Self.signed(key: f.alice, created: f.now + 301)) == "signature-expired")
        #expect(await refusal(f, try Self.signed(key: f.alice, created: f.now, digestBody: Array("{}".utf8))) == "digest-mismatch")
        #expect(await refusal(f, try Self.signed(key: try Ed25519PrivateKey(), created: f.now)) == "key-unknown")
        #expect(await refusal(f, try Self.signed(key: f.revoked, created: f.now)) == "key-revoked")
        #expect(await refusal(f, try Self.signed(key: f.alice, created: f.now, covered: ["@method", "@target-uri"])) == "signature-invalid")
        #expect(await refusal(f, try Self.signed(key: f.alice, created: f.now, algorithm: "hmac-sha256")) == "signature-invalid")

        // Signed for another path, sent to this one.
        var moved = try Self.signed(key: f.alice, created: f.now)
        moved = Request(head: HTTPRequest(method: .post, scheme: nil, authority: "127.0.0.1:8480", path: "/v1/requests/req-2/votes", headerFields: moved.headers), body: RequestBody(buffer: ByteBuffer()))
        #expect(await refusal(f, moved) == "signature-invalid")
    }

    @Test("a nonce is accepted once; the same request again is signature-replayed")
    func replay() async throws {
        let f = try await Fixture()
        let authenticator = MessageSignatureAuthenticator()
        let request = try Self.signed(key: f.alice, created: f.now, nonce: "once")
        #expect(await refusal(f, request, authenticator: authenticator) == nil)
        #expect(await refusal(f, request, authenticator: authenticator) == "signature-replayed")
        // A refused request takes no place in the cache: the nonce of a bad digest stays usable.
        #expect(await refusal(f, try Self.signed(key: f.alice, created: f.now, nonce: "later", digestBody: []), authenticator: authenticator) == "digest-mismatch")
        #expect(await refusal(f, try Self.signed(key: f.alice, created: f.now, nonce: "later"), authenticator: authenticator) == nil)
    }

    @Test("a full nonce cache refuses (503) rather than forget a nonce still in its window")
    func fullCache() async throws {
        let f = try await Fixture()
        let authenticator = MessageSignatureAuthenticator(nonceCapacity: 1)
        #expect(await refusal(f, try Self.signed(key: f.alice, created: f.now), authenticator: authenticator) == nil)
        #expect(await refusal(f, try Self.signed(key: f.alice, created: f.now), authenticator: authenticator) == "unavailable")
    }
}
