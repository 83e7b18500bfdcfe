import Foundation
import TestSupport
import Testing

/// Every request subcommand that changes a request takes `--format json` and prints the
/// request as it now stands, as the README promises.
@Suite("request comment, cancel and review print JSON")
struct RequestJSONOutputTests {
    /// root, alice (request), frank (approve: an sre lead, who reviews break-glass) and the
    /// demo policy.
    static func setup() throws -> LedgerCLI {
        let cli = try LedgerCLI().initialised()
        try FileManager.default.copyItem(
            atPath: TestPaths.packageRoot.appendingPathComponent("Sources/LedgerCLI/demo-policy.yaml").path, toPath: cli.path("demo-policy.yaml"))
        try cli.expectSuccess(cli.run(["key", "generate", "--out", "frank.pem"]))
        try cli.expectSuccess(cli.run([
            "--ledger", "ops.ledger", "--key", "root.pem", "key", "register", "--identity", "frank", "--public-key", "frank.pem.pub", "--capability", "approve",
        ]))
        try cli.expectSuccess(cli.run(["--ledger", "ops.ledger", "--key", "root.pem", "policy", "publish", "demo-policy.yaml"]))
        return cli
    }

    static let request = ["--resource", "svc/checkout", "--env", "prod", "--summary", "s", "--risk", "blast_radius=30", "--risk", "rollback_available=yes"]

    func json(_ cli: LedgerCLI, _ arguments: [String]) throws -> [String: Any] {
        let result = try cli.run(["--ledger", "ops.ledger"] + arguments + ["--format", "json"])
        try cli.expectSuccess(result)
        #expect(result.stdout.split(separator: "\n").count == 1, "one JSON line: \(result.stdout)")
        return try jsonObject(result.stdout)
    }

    @Test("comment and cancel print the request after the change")
    func commentAndCancel() throws {
        let cli = try Self.setup()
        let opened = try json(cli, ["--key", "alice.pem", "request", "open", "--action", "deploy.promote"] + Self.request)
        let id = try #require(opened["requestId"] as? String)
        let commented = try json(cli, ["--key", "alice.pem", "request", "comment", id, "canary looks clean"])
        #expect(commented["requestId"] as? String == id)
        #expect(commented["status"] as? String == "pending")
        #expect(commented["version"] as? Int == 2)
        let cancelled = try json(cli, ["--key", "alice.pem", "request", "cancel", id, "--reason", "superseded"])
        #expect(cancelled["requestId"] as? String == id)
        #expect(cancelled["status"] as? String == "cancelled")
        #expect((cancelled["decision"] as? String)?.contains("superseded") == true)
    }

    @Test("review prints the bypassed request with its closed review")
    func review() throws {
        let cli = try Self.setup()
        let bypassed = try json(cli, ["--key", "alice.pem", "request", "bypass", "--action", "cache.purge", "--reason", "INC-1"] + Self.request)
        let id = try #require(bypassed["requestId"] as? String)
        let reviewed = try json(cli, ["--key", "frank.pem", "request", "review", id, "--accept", "--reason", "justified"])
        #expect(reviewed["requestId"] as? String == id)
        #expect(reviewed["status"] as? String == "bypassed")
        let review = reviewed["review"] as? [String: Any]
        #expect(review?["outcome"] as? String == "accepted")
        #expect(review?["closedAt"] is String)
        try cli.expectSuccess(cli.run(["--ledger", "ops.ledger", "verify"]))
    }
}
