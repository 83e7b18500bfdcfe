import Foundation
import Testing
import TestSupport

/// `POST /v1/policy/simulate` and `POST /v1/policy/explain` through the real `ledger serve`:
/// the same JSON as the CLI's `--format json`, read-only, problems with the CLI's codes.
@Suite("the policy simulator over HTTP")
struct PolicyRoutesTests {
    /// The harness's policy with a second SRE required for a prod migration.
    static let draft = """
        version: 1
        name: two-sre-draft
        groups:
          sre: [alice, bob]
          dba: [carol]
        risk:
          factors:
            environment: {weight: 40, values: {prod: 1, staging: 0.3, dev: 0}}
          levels: {low: 0, high: 50}
        rules:
          - name: prod-db-migration
            match: {action: db.migrate, environment: prod}
            require: {groups: {dba: 1, sre: 2}}
            reason_required: {approve: true, deny: true}
          - name: default
            match: {}
            require: {groups: {sre: 1}}
        """

    static func body(_ members: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: members), as: UTF8.self)
    }

    /// Parsed JSON, for comparing documents whatever their member order.
    static func parsed(_ text: String) throws -> NSDictionary {
        try JSONSerialization.jsonObject(with: Data(text.utf8)) as! NSDictionary
    }

    @Test func simulateAndExplainAnswerWhatTheCLIPrints() throws {
        let server = try ServerHarness()
        defer { _ = server.stop() }
        let opened = try server.request(
            "POST", "/v1/requests", as: "ci",
            json: #"{"id":"req-sim-1","action":"db.migrate","resource":"db/orders","environment":"prod","summary":"add an index"}"#)
        #expect(opened.status == 201, "\(opened)")
        for voter in ["carol", "alice"] {
            let vote = try server.request("POST", "/v1/requests/req-sim-1/votes", as: voter, json: #"{"decision":"approve","reason":"fine"}"#)
            #expect(vote.status == 200, "\(vote)")
        }
        try Self.draft.write(toFile: server.directory.file("draft.yaml"), atomically: true, encoding: .utf8)
        let events = try server.loggedEvents().count

        let now = "2099-01-01T00:00:00.000Z"
        let simulated = try server.request("POST", "/v1/policy/simulate", as: "reader", json: try Self.body(["policy": Self.draft, "since": "2000-01-01", "now": now]))
        #expect(simulated.status == 200, "\(simulated)")
        let answer = try simulated.json()
        let changes = try #require(answer["changes"] as? [[String: Any]])
        #expect(changes.map { $0["requestId"] as? String } == ["req-sim-1"])
        #expect((changes.first?["draft"] as? [String: Any])?["summary"] as? String == "still needs 1 sre")
        #expect((changes.first?["latency"] as? [String: Any])?["kind"] as? String == "unbounded")
        let cli = try server.ledger(["--ledger", server.ledgerPath, "policy", "simulate", "draft.yaml", "--since", "2000-01-01", "--now", now, "--format", "json"])
        #expect(cli.status == 0, "\(cli.stderr)")
        #expect(try Self.parsed(simulated.text) == Self.parsed(cli.stdout))

        let at = "2026-11-02T10:00:00.000Z"
        let explained = try server.request(
            "POST", "/v1/policy/explain", as: "reader", json: #"{"action":"db.migrate","environment":"prod","resource":"db/orders","at":"\#(at)"}"#)
        #expect(explained.status == 200, "\(explained)")
        let explanation = try explained.json()
        #expect(explanation["rule"] as? String == "prod-db-migration")
        #expect((explanation["policy"] as? [String: Any])?["version"] is Int)
        let cliExplain = try server.ledger([
            "--ledger", server.ledgerPath, "policy", "explain", "--action", "db.migrate", "--env", "prod", "--resource", "db/orders", "--at", at, "--format", "json",
        ])
        #expect(try Self.parsed(explained.text) == Self.parsed(cliExplain.stdout))

        let draftExplained = try server.request(
            "POST", "/v1/policy/explain", as: "reader", json: try Self.body(["action": "db.migrate", "environment": "prod", "resource": "db/orders", "policy": Self.draft]))
        let requires = try draftExplained.json()["requires"] as? [String: Any]
        #expect((requires?["groups"] as? [[String: Any]])?.last?["required"] as? Int == 2)

        // Nothing was appended by any of it.
        #expect(try server.loggedEvents().count == events)
    }

    @Test func badInputIsAProblemWithTheCLIsCode() throws {
        let server = try ServerHarness()
        defer { _ = server.stop() }
        let broken = try server.request("POST", "/v1/policy/simulate", as: "reader", json: try Self.body(["policy": "version: 1\nname: x\nrules: []\n"]))
        #expect(broken.status == 400)
        #expect(try broken.problemCode() == "invalid-policy")
        let unknown = try server.request("POST", "/v1/policy/simulate", as: "reader", json: try Self.body(["policy": Self.draft, "colour": "red"]))
        #expect(unknown.status == 400)
        let badTime = try server.request("POST", "/v1/policy/simulate", as: "reader", json: try Self.body(["policy": Self.draft, "since": "soon"]))
        #expect(badTime.status == 400)
        #expect(try badTime.problemCode() == "invalid-field")
        let typo = try server.request(
            "POST", "/v1/policy/explain", as: "reader", json: #"{"action":"deploy","environment":"prod","resource":"svc/x","riskInputs":{"blast":"5"}}"#)
        #expect(typo.status == 422)
        #expect(try typo.problemCode() == "invalid-request")
        let anonymous = try server.request("POST", "/v1/policy/explain", json: #"{"action":"deploy","environment":"prod","resource":"svc/x"}"#)
        #expect(anonymous.status == 401)
    }
}
