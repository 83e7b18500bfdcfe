import Foundation
import TestSupport
import Testing

/// `request wait` (and `open --wait`) end at a decision, at the request's deadline, or at
/// --timeout, whichever comes first, and with --format json always print one object.
@Suite("request wait: deadline, timeout and what is still needed")
struct RequestWaitTests {
    /// root, alice (request), bob (approve, sre), a clock key, and a policy that needs one sre
    /// AND one dba within `ttl`.
    static func setup(ttl: String) throws -> LedgerCLI {
        let cli = try TerminalTextTests.approvalSetup()
        try cli.expectSuccess(cli.run(["key", "generate", "--out", "clock.pem"]))
        try cli.expectSuccess(cli.run([
            "--ledger", "ops.ledger", "--key", "root.pem", "key", "register", "--identity", "sweeper", "--public-key", "clock.pem.pub", "--capability", "clock",
        ]))
        let policy = """
            version: 1
            name: two-groups
            groups:
              sre: [bob]
              dba: [carol]
            rules:
              - name: prod
                match: {environment: prod}
                require: {groups: {sre: 1, dba: 1}}
                ttl: \(ttl)
            """
        try Data(policy.utf8).write(to: URL(fileURLWithPath: cli.path("two-groups.yaml")))
        try cli.expectSuccess(cli.run(["--ledger", "ops.ledger", "--key", "root.pem", "policy", "publish", "two-groups.yaml"]))
        return cli
    }

    static func open(_ cli: LedgerCLI) throws -> String {
        let result = try cli.run(["--ledger", "ops.ledger", "--key", "alice.pem", "request", "open", "--action", "deploy.promote", "--resource", "svc/x", "--env", "prod", "--summary", "s"])
        try cli.expectSuccess(result)
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func stillNeeded(_ object: [String: Any]) -> (missingTotal: Int?, missing: [String: Int]) {
        let needed = object["stillNeeded"] as? [String: Any]
        let groups = (needed?["groups"] as? [[String: Any]] ?? []).reduce(into: [String: Int]()) { $0[$1["group"] as? String ?? ""] = $1["missing"] as? Int }
        return (needed?["missingTotal"] as? Int, groups)
    }

    @Test("A pending request past its deadline ends the wait with exit 1 and deadline-passed, though no tick ran and --timeout is far off")
    func deadline() throws {
        let cli = try Self.setup(ttl: "2s")
        let id = try Self.open(cli)
        // Were the deadline ignored, this would wait the whole minute and exit 124.
        let json = try cli.run(["--ledger", "ops.ledger", "request", "wait", id, "--timeout", "60s", "--format", "json"])
        #expect(json.status == 1, "\(json.stderr)")
        #expect(json.stderr.contains("[deadline-passed]"), "\(json.stderr)")
        let object = try jsonObject(json.stdout)
        #expect(object["requestId"] as? String == id)
        #expect(object["status"] as? String == "pending")
        #expect(object["wait"] as? String == "deadline-passed")
        let needed = Self.stillNeeded(object)
        #expect(needed.missingTotal == 2)
        #expect(needed.missing == ["dba": 1, "sre": 1])
        // A vote now is refused as expired: the wait's answer matched the rules'.
        let late = try cli.run(["--ledger", "ops.ledger", "--key", "bob.pem", "approve", id])
        #expect(late.status == 3 && late.stderr.contains("[expired]"), "\(late.stderr)")

        let text = try cli.run(["--ledger", "ops.ledger", "request", "wait", id, "--timeout", "60s"])
        #expect(text.status == 1)
        #expect(text.stderr.contains("still pending: rule prod needs dba 0/1, sre 0/1, 0 of 2 approvals in all"), "\(text.stderr)")

        // Once the clock records the expiry, the wait reports the decided request.
        try cli.expectSuccess(cli.run(["--ledger", "ops.ledger", "--key", "clock.pem", "tick"]))
        let expired = try cli.run(["--ledger", "ops.ledger", "request", "wait", id, "--timeout", "60s", "--format", "json"])
        #expect(expired.status == 1)
        let decided = try jsonObject(expired.stdout)
        #expect(decided["status"] as? String == "expired")
        #expect(decided["wait"] == nil)
        try cli.expectSuccess(cli.run(["--ledger", "ops.ledger", "verify"]))
    }

    @Test("A timeout exits 124 and, with --format json, prints the request, timed-out and what it still needs")
    func timeout() throws {
        let cli = try Self.setup(ttl: "1h")
        let id = try Self.open(cli)
        let json = try cli.run(["--ledger", "ops.ledger", "request", "wait", id, "--timeout", "0.3", "--format", "json"])
        #expect(json.status == 124, "\(json.stderr)")
        let object = try jsonObject(json.stdout)
        #expect(object["requestId"] as? String == id)
        #expect(object["status"] as? String == "pending")
        #expect(object["wait"] as? String == "timed-out")
        #expect(Self.stillNeeded(object).missingTotal == 2)
        #expect((object["stillNeeded"] as? [String: Any])?["eligibleGroups"] as? [String] == ["dba", "sre"])

        let opened = try cli.run([
            "--ledger", "ops.ledger", "--key", "alice.pem", "request", "open", "--action", "deploy.promote", "--resource", "svc/y", "--env", "prod",
            "--summary", "s", "--wait", "--timeout", "0.3", "--format", "json",
        ])
        #expect(opened.status == 124, "\(opened.stderr)")
        let waited = try jsonObject(opened.stdout)
        #expect((waited["requestId"] as? String)?.hasPrefix("req-") == true)
        #expect(waited["wait"] as? String == "timed-out")
        #expect(Self.stillNeeded(waited).missing == ["dba": 1, "sre": 1])
    }

    @Test("A decided request ends the wait with its state and exit status")
    func decided() throws {
        let cli = try TerminalTextTests.approvalSetup()
        let id = try Self.open(cli)
        try cli.expectSuccess(cli.run(["--ledger", "ops.ledger", "--key", "bob.pem", "approve", id]))
        let json = try cli.run(["--ledger", "ops.ledger", "request", "wait", id, "--timeout", "60s", "--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try jsonObject(json.stdout)
        #expect(object["status"] as? String == "granted")
        #expect(object["wait"] == nil)
    }
}
