import ApprovalLedger
import Foundation
import HTTPSignatures
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A `ledger serve` the CLI talks to (`--server URL`): every request signed with the user's
/// key (RFC 9421, alg ed25519, with `Content-Digest` over a body), every write's body carrying
/// the signed command statement the ledger records as the event's origin.
struct RemoteLedger: Sendable {
    /// The server's base URL without a trailing slash, e.g. `http://127.0.0.1:8480`.
    let baseURL: String
    let key: Ed25519PrivateKey

    init(baseURL: String, key: Ed25519PrivateKey) throws {
        var url = baseURL
        while url.hasSuffix("/") { url.removeLast() }
        guard url.hasPrefix("http://") || url.hasPrefix("https://"), URL(string: url) != nil else {
            throw LedgerError(.invalidEvent, "--server must be an http:// or https:// URL, not '\(Identifier.printable(baseURL))'")
        }
        self.baseURL = url
        self.key = key
    }

    /// An answer: its status, content type and body.
    struct Answer: Sendable {
        let status: Int
        let contentType: String
        let body: [UInt8]

        func json() throws -> JSONValue {
            do { return try JSONParser.parse(body) } catch {
                throw LedgerError(.storage, "the server's answer is not JSON: \(error)")
            }
        }
    }

    /// `GET target` (a path with its query, e.g. `/v1/requests?status=pending`).
    func get(_ target: String) async throws -> Answer {
        try await send("GET", target, body: nil)
    }

    /// `POST target` with `body` as canonical JSON.
    func post(_ target: String, _ body: JSONValue) async throws -> Answer {
        try await send("POST", target, body: CanonicalJSON.encode(body))
    }

    /// Sends one signed request; a non-2xx answer is thrown as the error the CLI would have
    /// raised locally (`RemoteProblem`).
    func send(_ method: String, _ target: String, body: [UInt8]?) async throws -> Answer {
        let url = baseURL + target
        var fields: [(name: String, value: String)] = []
        if let body {
            fields.append(("Content-Type", "application/json"))
            fields.append(("Content-Digest", ContentDigest.sha256(body)))
        }
        let message = try MessageComponents(method: method, targetURI: url, fields: fields)
        let covered = body == nil ? ["@method", "@target-uri"] : ["@method", "@target-uri", "content-digest", "content-type"]
        let parameters = SignatureParameters(
            coveredComponents: covered,
            parameters: [
                .created(SystemClock.now().millisecondsSinceEpoch / 1000), .nonce(Self.nonce()),
                .keyID(key.publicKey.keyID.rawValue), .algorithm(MessageSignature.algorithm),
            ])
        let signature = try MessageSignature.sign(message, parameters: parameters, key: key)

        guard let requestURL = URL(string: url) else {
            throw LedgerError(.invalidEvent, "'\(Identifier.printable(url))' is not a URL")
        }
        var request = URLRequest(url: requestURL, timeoutInterval: 120)
        request.httpMethod = method
        for (name, value) in fields + signature.fields { request.setValue(value, forHTTPHeaderField: name) }
        request.setValue("application/json, application/problem+json, application/jsonl, text/plain", forHTTPHeaderField: "Accept")
        if let body { request.httpBody = Data(body) }

        let (data, response) = try await Self.perform(request, url: url)
        let answer = Answer(
            status: response.statusCode, contentType: response.value(forHTTPHeaderField: "Content-Type") ?? "", body: Array(data))
        guard (200..<300).contains(answer.status) else { throw RemoteProblem(answer: answer, url: url) }
        return answer
    }

    /// The ledger's id (the genesis event's `ledgerId`), which every signed command names.
    func ledgerID() async throws -> String {
        let answer = try await get("/v1/events?from=1&limit=1")
        return try Self.ledgerID(genesisPage: answer.body, server: baseURL)
    }

    /// The `ledgerId` of the genesis line. Synchronous and apart from `ledgerID()`: Swift
    /// 6.3.1's optimizer crashed (coroutine splitting) on these pattern matches inside the
    /// async function in release builds.
    static func ledgerID(genesisPage body: [UInt8], server: String) throws -> String {
        let line = body.split(separator: 0x0A).first ?? []
        let event = try JSONParser.parse(Array(line))
        guard let id = event["payload"]?["ledgerId"]?.stringValue else {
            throw LedgerError(.notALedger, "the server at \(server) did not answer its genesis event with a ledgerId")
        }
        return id
    }

    /// 16 random bytes in hex: never used twice, so the server's replay cache never refuses
    /// an honest request.
    static func nonce() -> String {
        var generator = SystemRandomNumberGenerator()
        return Hex.encode((0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    private static func perform(_ request: URLRequest, url: String) async throws -> (Data, HTTPURLResponse) {
        try await withCheckedThrowingContinuation { continuation in
            URLSession.shared.dataTask(with: request) { data, response, error in
                if let error {
                    continuation.resume(
                        throwing: LedgerError(.storage, "cannot reach the ledger server at \(url): \(error.localizedDescription)"))
                } else if let response = response as? HTTPURLResponse {
                    continuation.resume(returning: (data ?? Data(), response))
                } else {
                    continuation.resume(throwing: LedgerError(.storage, "no HTTP answer from \(url)"))
                }
            }.resume()
        }
    }
}
