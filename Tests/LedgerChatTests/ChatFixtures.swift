import ApprovalLedger
import Foundation
import TestSupport

/// Requests folded from events, as the ledger would rebuild them, for the pure Slack tests.
enum ChatFixtures {
    static let opened = Timestamp("2026-12-03T14:00:00.000Z")!

    static func event(_ seq: Int64, _ type: String, actor: String, _ payload: JSONValue) -> RequestEvent {
        RequestEvent(seq: seq, streamVersion: seq, time: Timestamp(millisecondsSinceEpoch: opened.millisecondsSinceEpoch + seq * 1000), actor: actor, type: type, payload: payload)
    }

    /// A prod migration needing dba and sre, opened by deploy-bot, then `more`.
    static func request(summary: String = "Migrate orders to v42", links: [String] = ["https://github.com/acme/shop/pull/42", "https://wiki.acme.dev/runbooks/orders", "https://grafana.acme.dev/d/orders"], _ more: [(String, String, JSONValue)] = []) -> RequestState {
        var events = [
            event(1, ApprovalEvents.opened, actor: "deploy-bot", [
                "requestId": "req-42", "action": "db.migrate", "resource": "orders-db", "environment": "prod", "summary": .string(summary),
                "links": .array(links.map(JSONValue.string)), "deadline": "2026-12-03T18:00:00.000Z",
                "policy": ["version": 3, "rule": "prod-db-migration", "hash": "ab"], "risk": ["score": 40, "level": "high"],
                "riskExplanation": "environment prod: +40",
            ]),
        ]
        for (index, (type, actor, payload)) in more.enumerated() { events.append(event(Int64(index + 2), type, actor: actor, payload)) }
        return RequestState.fold(events)!
    }

    static let policy = try! Policy(yaml: """
        version: 1
        name: chat-tests
        groups:
          sre: [alice, bob]
          dba: [carol]
        rules:
          - name: prod-db-migration
            match: {action: db.migrate}
            require: {groups: {dba: 1, sre: 1}}
            ttl: 4h
        """)

    /// What `state` still needs under the fixture policy.
    static func needs(_ state: RequestState) -> ApprovalNeeds { ApprovalNeeds.of(state, policy: policy)! }

    /// `python3 Tests/Chat/slack_standin.py --check`: slack_sdk's verdict on a payload.
    static func slackSDKVerdict(_ payload: JSONValue) throws -> ProcessResult {
        try ProcessRunner.run(
            "python3", [TestPaths.packageRoot.appendingPathComponent("Tests/Chat/slack_standin.py").path, "--check"],
            input: Data(CanonicalJSON.encode(payload)))
    }
}
