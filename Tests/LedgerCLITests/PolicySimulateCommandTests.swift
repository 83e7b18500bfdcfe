import Foundation
import TestSupport
import Testing

/// `ledger policy simulate` and `ledger policy explain` through the built binary, on a ledger
/// with three requests recorded under one policy and a stricter draft beside it.
@Suite("ledger policy simulate and explain")
struct PolicySimulateCommandTests {
    static let recorded = """
        version: 1
        name: recorded
        groups:
          sre: [alice, bob]
          dba: [carol]
        risk:
          factors:
            blast_radius: {weight: 100, max: 100}
        rules:
          - name: low-risk
            match: {risk: {max: 9}}
            auto_approve_below: 10
          - name: db
            match: {action: db.migrate}
            require: {groups: {dba: 1}}
          - name: deploy
            match: {action: deploy}
            require: {groups: {sre: 1}}

        """

    /// No auto-approval, and two SREs for a deploy.
    static let stricter = """
        version: 1
        name: stricter
        groups:
          sre: [alice, bob]
          dba: [carol]
        risk:
          factors:
            blast_radius: {weight: 100, max: 100}
        rules:
          - name: db
            match: {action: db.migrate}
            require: {groups: {dba: 1}}
          - name: deploy
            match: {action: deploy}
            require: {groups: {sre: 2}}

        """

    /// req-deploy granted by bob, req-db granted by carol, req-small auto-approved.
    static func recordedLedger() throws -> LedgerCLI {
        let cli = try LedgerCLI()
        try Self.recorded.write(toFile: cli.path("recorded.yaml"), atomically: true, encoding: .utf8)
        try Self.stricter.write(toFile: cli.path("draft.yaml"), atomically: true, encoding: .utf8)
        for name in ["root", "alice", "bob", "carol"] { try cli.expectSuccess(cli.run(["key", "generate", "--out", "\(name).pem"])) }
        func ledger(_ who: String, _ arguments: [String]) throws { try cli.expectSuccess(cli.run(["--ledger", "x.ledger", "--key", "\(who).pem"] + arguments)) }
        try ledger("root", ["init"])
        for name in ["alice", "bob", "carol"] {
            try ledger("root", ["key", "register", "--identity", name, "--public-key", "\(name).pem.pub", "--capability", "request", "--capability", "approve"])
        }
        try ledger("root", ["policy", "publish", "recorded.yaml"])
        for (id, action, resource, blast) in [("req-deploy", "deploy", "svc/api", "50"), ("req-db", "db.migrate", "db/orders", "50"), ("req-small", "deploy", "svc/web", "5")] {
            try ledger("alice", ["request", "open", "--id", id, "--action", action, "--resource", resource, "--env", "prod", "--summary", "change \(id)", "--risk", "blast_radius=\(blast)"])
        }
        try ledger("bob", ["approve", "req-deploy", "--reason", "looks fine"])
        try ledger("carol", ["approve", "req-db", "--reason", "online-safe"])
        return cli
    }

    @Test func simulateReportsTheDecisionsAStricterDraftChanges() throws {
        let cli = try Self.recordedLedger()
        let before = try cli.run(["--ledger", "x.ledger", "log", "--format", "json"]).stdout
        let text = try cli.run(["--ledger", "x.ledger", "policy", "simulate", "draft.yaml"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("draft 'stricter'"))
        #expect(text.stdout.contains("over 3 requests"))
        #expect(text.stdout.contains("2 would differ"))
        #expect(text.stdout.contains("2 grants still pending (cost unbounded)"))
        let rows = text.stdout.split(separator: "\n").map(String.init)
        let deploy = try #require(rows.first { $0.hasPrefix("req-deploy") })
        #expect(deploy.contains("granted → still needs 1 sre") && deploy.contains("cost unbounded (still pending)"))
        let small = try #require(rows.first { $0.hasPrefix("req-small") })
        #expect(small.contains("low-risk → deploy") && small.contains("auto-approved → still needs 2 sre"))
        #expect(!rows.contains { $0.hasPrefix("req-db") })
        #expect(rows.contains { $0.hasPrefix("low-risk → deploy") && $0.hasSuffix("1         1") })

        let json = try cli.run(["--ledger", "x.ledger", "policy", "simulate", "draft.yaml", "--since", "1d", "--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try jsonObject(json.stdout)
        let summary = try #require(object["summary"] as? [String: Any])
        #expect(summary["requests"] as? Int == 3 && summary["changed"] as? Int == 2 && summary["stillPending"] as? Int == 2)
        let changes = try #require(object["changes"] as? [[String: Any]])
        #expect(changes.map { $0["requestId"] as? String } == ["req-deploy", "req-small"])
        #expect((changes[0]["draft"] as? [String: Any])?["summary"] as? String == "still needs 1 sre")
        #expect((changes[0]["latency"] as? [String: Any])?["kind"] as? String == "unbounded")

        // It wrote nothing.
        #expect(try cli.run(["--ledger", "x.ledger", "log", "--format", "json"]).stdout == before)
    }

    @Test func simulateFiltersAndTheUnchangedPolicyChangesNothing() throws {
        let cli = try Self.recordedLedger()
        let same = try cli.run(["--ledger", "x.ledger", "policy", "simulate", "recorded.yaml"])
        #expect(same.status == 0, "\(same.stderr)")
        #expect(same.stdout.contains("no decision would differ"))
        let filtered = try cli.run(["--ledger", "x.ledger", "policy", "simulate", "draft.yaml", "--action", "db.*", "--format", "json"])
        let summary = try jsonObject(filtered.stdout)["summary"] as? [String: Any]
        #expect(summary?["requests"] as? Int == 1 && summary?["changed"] as? Int == 0)
    }

    @Test func aBrokenDraftIsReportedWithItsLines() throws {
        let cli = try Self.recordedLedger()
        try "version: 1\nname: broken\nrules:\n  - name: x\n    ttl: forever\n".write(toFile: cli.path("broken.yaml"), atomically: true, encoding: .utf8)
        let result = try cli.run(["--ledger", "x.ledger", "policy", "simulate", "broken.yaml"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("line 5: rules[0].ttl: 'forever' is not a duration"), "\(result.stderr)")
    }

    @Test func explainNamesTheRuleTheScoreAndTheNeeds() throws {
        let cli = try Self.recordedLedger()
        let text = try cli.run(["--ledger", "x.ledger", "policy", "explain", "--action", "deploy", "--env", "prod", "--resource", "svc/api", "--risk", "blast_radius=50"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("policy 'recorded' (version "))
        #expect(text.stdout.contains("risk 50 (high): blast_radius=50 +50"))
        #expect(text.stdout.contains("rule low-risk: no (risk 50 is outside 0-9)"))
        #expect(text.stdout.contains("rule db: no (action deploy is not db.migrate)"))
        #expect(text.stdout.contains("rule deploy: matches"))
        #expect(text.stdout.contains("needs: 1 sre (alice, bob); 1 approval in all"))
        #expect(text.stdout.contains("ttl 1d, then expires; grant 1h, one-shot"))

        // A draft needs no ledger.
        let json = try cli.run(["policy", "explain", "--action", "deploy", "--env", "prod", "--resource", "svc/api", "--risk", "blast_radius=5", "--policy", "draft.yaml", "--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try jsonObject(json.stdout)
        #expect(object["rule"] as? String == "deploy" && object["outcome"] as? String == "needs-approval")
        #expect((object["policy"] as? [String: Any])?["version"] == nil)
        let requires = try #require(object["requires"] as? [String: Any])
        #expect((requires["groups"] as? [[String: Any]])?.first?["required"] as? Int == 2)
        #expect((object["risk"] as? [String: Any])?["score"] as? Int == 5)

        let auto = try cli.run(["--ledger", "x.ledger", "policy", "explain", "--action", "deploy", "--env", "prod", "--resource", "svc/api", "--risk", "blast_radius=5"])
        #expect(auto.stdout.contains("outcome: auto-approved (risk 5 is below 10)"))

        let typo = try cli.run(["--ledger", "x.ledger", "policy", "explain", "--action", "deploy", "--env", "prod", "--resource", "svc/api", "--risk", "blast=5"])
        #expect(typo.status == 3)
        #expect(typo.stderr.contains("[invalid-request]"))
    }
}
