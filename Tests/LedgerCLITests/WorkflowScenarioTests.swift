import Foundation
import TestSupport
import Testing

/// End-to-end approval scenarios (the ten of `ledger demo`, and the refusals around them),
/// each driven through the built `ledger` binary against its own ledger, demo team and
/// demo policy. Every test ends with `ledger verify`.
@Suite("Approval workflow scenarios through the ledger binary")
struct WorkflowScenarioTests {
    // MARK: The ten demo scenarios

    @Test("1. canary promotion: one SRE approves, deploy-bot executes; wait on a granted request exits 0")
    func canaryPromotion() throws {
        let team = try DemoTeam()
        let id = try team.open("alice", action: "deploy.promote", resource: "svc/checkout", summary: "canary 10% -> 100%")
        var state = try team.show(id)
        #expect(state["status"] as? String == "pending")
        #expect(rule(state) == "prod-default")

        let vote = try team.run("bob", ["approve", id, "--reason", "canary error rate flat for 30 min", "--format", "json"])
        #expect(vote.status == 0, "\(vote.stderr)")
        #expect(try jsonObject(vote.stdout)["status"] as? String == "granted")

        let wait = try team.run(nil, ["request", "wait", id, "--timeout", "5s", "--format", "json"])
        #expect(wait.status == 0, "\(wait.stderr)")
        #expect(try jsonObject(wait.stdout)["status"] as? String == "granted")

        let executed = try team.run("deploy-bot", ["execute", id, "--outcome", "succeeded", "--detail", "pipeline 981"])
        #expect(executed.status == 0, "\(executed.stderr)")
        state = try team.show(id)
        #expect(state["status"] as? String == "granted")
        #expect(voters(state) == ["bob"])
        #expect(state["grant"] is [String: Any])
        #expect(outcomes(state) == ["succeeded"])
        #expect(strings(state["refusedExecutions"]) == [])
        #expect(strings(state["rejectedAttempts"]) == [])
        #expect((state["decision"] as? String)?.contains("bob") == true)
        try team.expectVerified()
    }

    @Test("2. prod DB migration: DBA AND SRE, reasons required, grant bound to the digest and one-shot")
    func prodDatabaseMigration() throws {
        let team = try DemoTeam()
        let digest = sha256Hex("ALTER TABLE orders ADD INDEX created_at")
        let wrong = sha256Hex("DROP TABLE orders")
        let id = try team.open(
            "alice", action: "db.migrate", resource: "db/orders", summary: "add index on orders.created_at",
            risk: ["blast_radius=60", "rollback_available=no"], extra: ["--change-digest", digest])
        #expect(rule(try team.show(id)) == "prod-db-migration")

        let noReason = try team.run("carol", ["approve", id])
        expectRefused(noReason, "reason-required")
        let blank = try team.run("carol", ["approve", id, "--reason", "   "])
        expectRefused(blank, "reason-required")

        let dba = try team.run("carol", ["approve", id, "--reason", "migration is online-safe"])
        #expect(dba.status == 0, "\(dba.stderr)")
        var state = try team.show(id)
        #expect(state["status"] as? String == "pending", "one DBA approval is not enough")
        #expect(state["grant"] is NSNull)

        let sre = try team.run("bob", ["approve", id, "--reason", "runbook checked", "--format", "json"])
        #expect(sre.status == 0, "\(sre.stderr)")
        state = try jsonObject(sre.stdout)
        #expect(state["status"] as? String == "granted")
        let grant = state["grant"] as? [String: Any]
        #expect(grant?["changeDigest"] as? String == digest)
        #expect(grant?["oneShot"] as? Bool == true)
        let decision = state["decision"] as? String ?? ""
        #expect(decision.contains("dba") && decision.contains("sre"), "\(decision)")

        let mismatch = try team.run("deploy-bot", ["execute", id, "--outcome", "succeeded", "--change-digest", wrong])
        expectRefused(mismatch, "digest-mismatch")
        let executed = try team.run("deploy-bot", ["execute", id, "--outcome", "succeeded", "--change-digest", digest])
        #expect(executed.status == 0, "\(executed.stderr)")
        let again = try team.run("deploy-bot", ["execute", id, "--outcome", "succeeded", "--change-digest", digest])
        expectRefused(again, "grant-used")

        state = try team.show(id)
        #expect(state["status"] as? String == "granted")
        #expect(voters(state) == ["carol", "bob"])
        #expect(strings(state["rejectedAttempts"]) == ["reason-required", "reason-required"])
        #expect(strings(state["refusedExecutions"]) == ["digest-mismatch", "grant-used"])
        #expect(outcomes(state) == ["succeeded"], "refused executions are not executions")
        try team.expectVerified()
    }

    @Test("3. firewall change: security denies (a deny needs a reason); request wait exits 1")
    func firewallDenied() throws {
        let team = try DemoTeam()
        let id = try team.open("bob", action: "firewall.open", resource: "fw/edge", summary: "open 22/tcp from 0.0.0.0/0", risk: ["blast_radius=100", "rollback_available=yes"])
        #expect(rule(try team.show(id)) == "firewall")

        let sre = try team.run("alice", ["approve", id, "--reason", "looks fine"])
        expectRefused(sre, "not-eligible")
        let noReason = try team.run("grace", ["deny", id])
        expectRefused(noReason, "reason-required")
        let deny = try team.run("grace", ["deny", id, "--reason", "SSH to the world; use the bastion", "--format", "json"])
        #expect(deny.status == 0, "\(deny.stderr)")
        #expect(try jsonObject(deny.stdout)["status"] as? String == "denied")

        let wait = try team.run(nil, ["request", "wait", id, "--timeout", "5s"])
        #expect(wait.status == 1)
        #expect(wait.stdout.contains("denied"))
        let state = try team.show(id)
        #expect(state["status"] as? String == "denied")
        #expect(state["grant"] is NSNull)
        #expect(strings(state["rejectedAttempts"]) == ["not-eligible", "reason-required"])
        let execute = try team.run("deploy-bot", ["execute", id, "--outcome", "succeeded"])
        expectRefused(execute, "no-grant")
        #expect(strings(try team.show(id)["refusedExecutions"]) == ["no-grant"])
        try team.expectVerified()
    }

    @Test("4. autoscale: Finance AND SRE; two SRE approvals do not suffice, an approver counts once")
    func autoscaleNeedsFinanceAndSRE() throws {
        let team = try DemoTeam()
        let id = try team.open("carol", action: "autoscale.raise", resource: "k8s/checkout", summary: "max replicas 40 -> 120", risk: ["blast_radius=20", "rollback_available=yes"])
        #expect(rule(try team.show(id)) == "autoscale-budget")

        try team.expectSuccess(team.run("alice", ["approve", id, "--reason", "capacity plan reviewed"]))
        try team.expectSuccess(team.run("bob", ["approve", id, "--reason", "+1"]))
        var state = try team.show(id)
        #expect(state["status"] as? String == "pending", "two SREs and no Finance must not grant")
        #expect(state["grant"] is NSNull)

        let twice = try team.run("alice", ["approve", id, "--reason", "really"])
        expectRefused(twice, "already-voted")
        #expect(try team.show(id)["status"] as? String == "pending")

        let finance = try team.run("dave", ["approve", id, "--reason", "budget approved, PO-7781", "--format", "json"])
        #expect(finance.status == 0, "\(finance.stderr)")
        state = try jsonObject(finance.stdout)
        #expect(state["status"] as? String == "granted")
        let decision = state["decision"] as? String ?? ""
        #expect(decision.contains("finance (dave)"), "\(decision)")
        #expect(voters(try team.show(id)) == ["alice", "bob", "dave"])
        #expect(strings(try team.show(id)["rejectedAttempts"]) == ["already-voted"])
        try team.expectVerified()
    }

    @Test("5. emergency cache purge: frank is not eligible until tick escalates to sre-leads after 15m")
    func emergencyEscalation() throws {
        let team = try DemoTeam()
        let id = try team.open("bob", action: "cache.purge", resource: "cdn/global", summary: "purge poisoned price cache", risk: ["blast_radius=100", "rollback_available=no"])
        #expect(rule(try team.show(id)) == "emergency")

        let early = try team.run("frank", ["approve", id, "--reason", "paged; purge is the fix"])
        expectRefused(early, "not-eligible")
        let own = try team.run("bob", ["approve", id, "--reason", "mine"])
        expectRefused(own, "self-approval")

        let notYet = try team.tick(at: team.time(of: id, plusMinutes: 10))
        #expect(notYet.isEmpty, "the escalation is due after 15 minutes, not 10")
        let escalated = try team.tick(at: team.time(of: id, plusMinutes: 20))
        #expect(escalated.count == 1)
        #expect(escalated.first?["type"] as? String == "request.escalated")
        #expect(escalated.first?["requestId"] as? String == id)
        let again = try team.tick(at: team.time(of: id, plusMinutes: 21))
        #expect(again.isEmpty, "an escalation is appended once")

        var state = try team.show(id)
        #expect(state["status"] as? String == "pending")
        #expect(state["escalations"] as? Int == 1)
        #expect(strings(state["addedGroups"]) == ["sre-leads"])

        let lead = try team.run("frank", ["approve", id, "--reason", "paged; purge is the fix", "--format", "json"])
        #expect(lead.status == 0, "\(lead.stderr)")
        state = try jsonObject(lead.stdout)
        #expect(state["status"] as? String == "granted")
        state = try team.show(id)
        #expect(voters(state) == ["frank"])
        #expect(strings(state["rejectedAttempts"]) == ["not-eligible", "self-approval"])
        try team.expectVerified()
    }

    @Test("6. unanswered request expires at tick past its deadline; late vote refused; tick is idempotent")
    func unansweredRequestExpires() throws {
        let team = try DemoTeam()
        let id = try team.open("alice", action: "deploy.promote", resource: "svc/search", summary: "search v7 rollout")
        let state0 = try team.show(id)
        #expect(rule(state0) == "prod-default")
        let opened = try #require(parseTime(state0["openedAt"] as? String))
        let deadline = try #require(parseTime(state0["deadline"] as? String))
        #expect(abs(deadline.timeIntervalSince(opened) - 2 * 3600) < 0.01, "prod-default ttl is 2h")

        let early = try team.tick(at: team.time(of: id, plusMinutes: 119))
        #expect(early.isEmpty, "not due before the deadline")
        let late = try team.time(of: id, plusMinutes: 121)
        let expired = try team.tick(at: late)
        #expect(expired.count == 1)
        #expect(expired.first?["type"] as? String == "request.expired")
        #expect(expired.first?["requestId"] as? String == id)
        let eventsAfterFirst = try team.eventCount()
        let second = try team.tick(at: late)
        #expect(second.isEmpty)
        let text = try team.run("root", ["tick"])
        #expect(text.status == 0)
        #expect(text.stdout == "nothing due\n")
        #expect(try team.eventCount() == eventsAfterFirst, "a second tick appends nothing")

        let vote = try team.run("bob", ["approve", id, "--reason", "sorry, was at lunch"])
        expectRefused(vote, "already-resolved")
        let wait = try team.run(nil, ["request", "wait", id, "--timeout", "5s"])
        #expect(wait.status == 1)
        #expect(wait.stdout.contains("expired"))

        let state = try team.show(id)
        #expect(state["status"] as? String == "expired")
        #expect(voters(state) == [])
        #expect(state["grant"] is NSNull)
        #expect(strings(state["rejectedAttempts"]) == ["already-resolved"])
        try team.expectVerified()
    }

    @Test("7. self-approval is refused with exit 3 and recorded; another SRE approves")
    func selfApproval() throws {
        let team = try DemoTeam()
        let id = try team.open("alice", action: "deploy.promote", resource: "svc/payments", summary: "payments v42")
        let own = try team.run("alice", ["approve", id, "--reason", "looks good to me"])
        expectRefused(own, "self-approval")
        #expect(own.stderr.contains("recorded"), "the refusal says the attempt is recorded: \(own.stderr)")
        var state = try team.show(id)
        #expect(state["status"] as? String == "pending")
        #expect(strings(state["rejectedAttempts"]) == ["self-approval"])
        #expect(voters(state) == [])

        try team.expectSuccess(team.run("bob", ["approve", id, "--reason", "reviewed the diff"]))
        state = try team.show(id)
        #expect(state["status"] as? String == "granted")
        #expect(voters(state) == ["bob"])
        #expect(strings(state["rejectedAttempts"]) == ["self-approval"])
        let row = try team.list([]).first { $0["requestId"] as? String == id }
        #expect(row?["rejectedAttempts"] as? Int == 1)
        try team.expectVerified()
    }

    @Test("8. execution fails, is rolled back with a reason, then recovers")
    func failedExecutionRollbackRecover() throws {
        let team = try DemoTeam()
        let id = try team.open("bob", action: "deploy.promote", resource: "svc/cart", summary: "cart v13")
        let early = try team.run("deploy-bot", ["rollback", id, "--reason", "nothing ran yet"])
        expectRefused(early, "not-executed")
        try team.expectSuccess(team.run("alice", ["approve", id, "--reason", "ok"]))
        let failed = try team.run("deploy-bot", ["execute", id, "--outcome", "failed", "--detail", "pipeline 4410: 5xx"])
        #expect(failed.status == 0, "\(failed.stderr)")

        let noReason = try team.run("deploy-bot", ["rollback", id, "--reason", " "])
        expectRefused(noReason, "reason-required")
        let rollback = try team.run("deploy-bot", ["rollback", id, "--reason", "5xx rate 4% after deploy"])
        #expect(rollback.status == 0, "\(rollback.stderr)")
        let recover = try team.run("deploy-bot", ["recover", id, "--detail", "5xx back to 0.1%", "--format", "json"])
        #expect(recover.status == 0, "\(recover.stderr)")
        let twice = try team.run("deploy-bot", ["recover", id, "--detail", "again"])
        expectRefused(twice, "already-recovered")

        let state = try team.show(id)
        #expect(state["status"] as? String == "granted")
        #expect(outcomes(state) == ["failed"])
        #expect(state["rolledBackAt"] is String)
        #expect(state["recoveredAt"] is String)
        if let rolledBack = parseTime(state["rolledBackAt"] as? String), let recovered = parseTime(state["recoveredAt"] as? String) {
            #expect(recovered >= rolledBack)
        }
        try team.expectVerified()
    }

    @Test("9. a low-risk dev change is auto-approved at open; open --wait returns at once with exit 0")
    func lowRiskAutoApproved() throws {
        let team = try DemoTeam()
        let result = try team.run("carol", [
            "request", "open", "--action", "config.update", "--resource", "svc/search", "--env", "dev",
            "--summary", "raise log level", "--risk", "rollback_available=yes", "--risk", "change_size=10", "--risk", "blast_radius=1",
            "--wait", "--timeout", "5s", "--format", "json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let opened = try jsonObject(result.stdout)
        let id = try #require(opened["requestId"] as? String)
        #expect(opened["status"] as? String == "granted")
        #expect(opened["automatic"] as? Bool == true)
        #expect(rule(opened) == "low-risk-auto")
        let score = (opened["risk"] as? [String: Any])?["score"] as? Int ?? 100
        #expect(score < 20)
        #expect(voters(opened) == [])
        #expect((opened["decision"] as? String)?.contains("auto-approved") == true)

        try team.expectSuccess(team.run("deploy-bot", ["execute", id, "--outcome", "succeeded"]))
        let state = try team.show(id)
        #expect(outcomes(state) == ["succeeded"])
        try team.expectVerified()
    }

    @Test("10. break-glass bypass with a reason, review closed by an SRE lead; refused where the rule has no break_glass")
    func breakGlassBypass() throws {
        let team = try DemoTeam()
        let bypass = try team.run("bob", [
            "request", "bypass", "--action", "cache.purge", "--resource", "cdn/eu", "--env", "prod",
            "--summary", "purge after origin outage", "--risk", "blast_radius=50",
            "--reason", "INC-4411: origin served errors for 12 min", "--format", "json",
        ])
        #expect(bypass.status == 0, "\(bypass.stderr)")
        var state = try jsonObject(bypass.stdout)
        let id = try #require(state["requestId"] as? String)
        #expect(state["status"] as? String == "bypassed")
        #expect(rule(state) == "emergency")
        let review = state["review"] as? [String: Any]
        #expect(review?["closedAt"] is NSNull)
        if let opened = parseTime(state["openedAt"] as? String), let due = parseTime(review?["deadline"] as? String) {
            #expect(abs(due.timeIntervalSince(opened) - 24 * 3600) < 0.01, "review_within 24h")
        }
        let wait = try team.run(nil, ["request", "wait", id, "--timeout", "5s"])
        #expect(wait.status == 0, "a bypassed request counts as decided")

        let sre = try team.run("alice", ["request", "review", id, "--accept", "--reason", "fine by me"])
        expectRefused(sre, "not-eligible")
        let close = try team.run("frank", ["request", "review", id, "--accept", "--reason", "justified, see INC-4411 postmortem"])
        #expect(close.status == 0, "\(close.stderr)")
        #expect(close.stdout.contains("accepted"))
        let twice = try team.run("frank", ["request", "review", id, "--reject", "--reason", "changed my mind"])
        expectRefused(twice, "already-reviewed")

        state = try team.show(id)
        #expect(state["status"] as? String == "bypassed")
        let closed = state["review"] as? [String: Any]
        #expect(closed?["outcome"] as? String == "accepted")
        #expect(closed?["closedAt"] is String)

        let noGlass = try team.run("bob", [
            "request", "bypass", "--action", "deploy.promote", "--resource", "svc/checkout", "--env", "prod",
            "--summary", "skip the queue", "--reason", "in a hurry", "--id", "req-noglass01",
        ])
        expectRefused(noGlass, "break-glass-not-allowed")
        let missing = try team.run(nil, ["request", "show", "req-noglass01"])
        #expect(missing.status == 2, "a refused bypass leaves no request behind")
        try team.expectVerified()
    }

    // MARK: Refusals and waiting

    @Test("a vote signed with another identity's key, and a vote on a stale version, are refused and recorded")
    func keyIdentityMismatchAndStaleVersion() throws {
        let team = try DemoTeam()
        let id = try team.open("alice", action: "deploy.promote", resource: "svc/checkout", summary: "checkout v8")
        let forged = try team.run("alice", ["--as", "bob", "approve", id, "--reason", "lgtm"])
        expectRefused(forged, "key-identity-mismatch")
        let stale = try team.run("bob", ["approve", id, "--reason", "lgtm", "--request-version", "99"])
        expectRefused(stale, "stale-version")

        var state = try team.show(id)
        #expect(state["status"] as? String == "pending")
        #expect(voters(state) == [])
        #expect(strings(state["rejectedAttempts"]) == ["key-identity-mismatch", "stale-version"])

        let version = try #require(state["version"] as? Int)
        let current = try team.run("bob", ["approve", id, "--reason", "lgtm", "--request-version", String(version)])
        #expect(current.status == 0, "\(current.stderr)")
        state = try team.show(id)
        #expect(state["status"] as? String == "granted")
        #expect(voters(state) == ["bob"])
        try team.expectVerified()
    }

    @Test("a grant is time-limited: executing after its ttl (1h by default) is refused grant-expired and recorded")
    func grantExpires() throws {
        let team = try DemoTeam()
        let id = try team.open("alice", action: "deploy.promote", resource: "svc/checkout", summary: "checkout v9")
        try team.expectSuccess(team.run("bob", ["approve", id, "--reason", "ok"]))
        let grant = try #require(try team.show(id)["grant"] as? [String: Any])
        #expect(grant["oneShot"] as? Bool == true)
        // Move the ledger's time past the grant: a tick that expires another request does it.
        let other = try team.open("bob", action: "deploy.promote", resource: "svc/other", summary: "other v1")
        let ticked = try team.tick(at: team.time(of: other, plusMinutes: 121))
        #expect(ticked.map { $0["requestId"] as? String } == [other])
        let late = try team.run("deploy-bot", ["execute", id, "--outcome", "succeeded"])
        expectRefused(late, "grant-expired")
        let state = try team.show(id)
        #expect(outcomes(state) == [])
        #expect(strings(state["refusedExecutions"]) == ["grant-expired"])
        try team.expectVerified()
    }

    @Test("break-glass needs a real reason: an empty or blank --reason is refused reason-required")
    func breakGlassNeedsARealReason() throws {
        let team = try DemoTeam()
        let bypass = ["request", "bypass", "--action", "cache.purge", "--resource", "cdn/eu", "--env", "prod", "--summary", "purge", "--reason"]
        expectRefused(try team.run("bob", bypass + [""]), "reason-required")
        expectRefused(try team.run("bob", bypass + ["   "]), "reason-required")
        #expect(try team.list([]).isEmpty, "no bypass is recorded without a reason")
        try team.expectVerified()
    }

    @Test("an unknown request id is an error (exit 2, like request show), not a refusal by the approval rules (exit 3)")
    func unknownRequestIsAnError() throws {
        let team = try DemoTeam()
        let show = try team.run(nil, ["request", "show", "req-0000000000"])
        #expect(show.status == 2)
        for (who, arguments) in [
            (nil, ["request", "wait", "req-0000000000", "--timeout", "1s"]),
            ("bob", ["approve", "req-0000000000", "--reason", "ok"]),
            ("deploy-bot", ["execute", "req-0000000000", "--outcome", "succeeded"]),
        ] as [(String?, [String])] {
            let result = try team.run(who, arguments)
            #expect(result.status == 2, "\(arguments[0]): exit \(result.status): \(result.stderr)")
            #expect(result.stderr.hasPrefix("error:"), "\(result.stderr)")
            #expect(result.stderr.contains("req-0000000000"), "the message names the id: \(result.stderr)")
        }
        try team.expectVerified()
    }

    @Test("request open --wait on a request nobody answers exits 124; list --status pending lists only pending")
    func waitTimesOutAndListFiltersPending() throws {
        let team = try DemoTeam(realClock: true)
        let granted = try team.open("alice", action: "deploy.promote", resource: "svc/a", summary: "a v1")
        try team.expectSuccess(team.run("bob", ["approve", granted, "--reason", "ok"]))
        let denied = try team.open("bob", action: "firewall.open", resource: "fw/edge", summary: "open 22", risk: ["blast_radius=100", "rollback_available=yes"])
        try team.expectSuccess(team.run("grace", ["deny", denied, "--reason", "no"]))
        let pending = try team.open("alice", action: "deploy.promote", resource: "svc/b", summary: "b v1")

        let start = Date()
        let waited = try team.run("alice", [
            "request", "open", "--action", "deploy.promote", "--resource", "svc/c", "--env", "prod", "--summary", "c v1",
            "--risk", "rollback_available=yes", "--wait", "--timeout", "2s",
        ])
        let elapsed = Date().timeIntervalSince(start)
        #expect(waited.status == 124, "\(waited.stderr)")
        #expect(elapsed >= 2 && elapsed < 30, "\(elapsed)")
        let unanswered = waited.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(unanswered.hasPrefix("req-"), "the id is printed before waiting: \(waited.stdout)")
        #expect(try team.show(unanswered)["status"] as? String == "pending")

        let waitAgain = try team.run(nil, ["request", "wait", pending, "--timeout", "1s"])
        #expect(waitAgain.status == 124)

        let rows = try team.list(["--status", "pending"])
        #expect(Set(rows.compactMap { $0["requestId"] as? String }) == [pending, unanswered])
        #expect(rows.allSatisfy { $0["status"] as? String == "pending" })
        let all = try team.list([])
        #expect(Set(all.compactMap { $0["requestId"] as? String }) == [granted, denied, pending, unanswered])
        let decided = try team.list(["--status", "granted", "--status", "denied"])
        #expect(Set(decided.compactMap { $0["requestId"] as? String }) == [granted, denied])
        try team.expectVerified()
    }
}

// MARK: - Helpers

/// A fresh ledger with the demo team (root, alice, bob, carol, dave, frank, grace, deploy-bot)
/// and the demo policy published, driven through the binary.
private struct DemoTeam {
    let cli: LedgerCLI
    /// The team's clock: a day in the past, so that letting time pass (a tick at +2h) never
    /// dates an event ahead of the real clock, which `ledger verify` would report.
    let clock = TeamClock()
    static let ledger = "x.ledger"
    static let team: [(String, [String])] = [
        ("alice", ["request", "approve"]), ("bob", ["request", "approve"]), ("carol", ["request", "approve"]),
        ("dave", ["approve"]), ("frank", ["request", "approve"]), ("grace", ["approve"]), ("deploy-bot", ["request", "execute"]),
    ]

    /// `realClock`: run on the real clock, for a test that waits in real time: Dispatch's
    /// timers do not fire under faketime, so `request wait` would never time out there.
    init(realClock: Bool = false) throws {
        if realClock { clock.now = nil }
        cli = try LedgerCLI()
        try FileManager.default.copyItem(
            atPath: TestPaths.packageRoot.appendingPathComponent("Sources/LedgerCLI/demo-policy.yaml").path,
            toPath: cli.path("demo-policy.yaml"))
        for name in ["root"] + Self.team.map(\.0) {
            try cli.expectSuccess(cli.run(["key", "generate", "--out", "\(name).pem"]))
        }
        try cli.expectSuccess(run(nil, ["--key", "root.pem", "init"]))
        for (name, capabilities) in Self.team {
            try cli.expectSuccess(run("root", ["key", "register", "--identity", name, "--public-key", "\(name).pem.pub"] + capabilities.flatMap { ["--capability", $0] }))
        }
        try cli.expectSuccess(run("root", ["policy", "publish", "demo-policy.yaml"]))
    }

    /// Runs `ledger --ledger x.ledger [--key WHO.pem] ARGS`.
    @discardableResult
    func run(_ who: String?, _ arguments: [String]) throws -> ProcessResult {
        let arguments = ["--ledger", Self.ledger] + (who.map { ["--key", "\($0).pem"] } ?? []) + arguments
        guard let now = clock.now else { return try cli.run(arguments) }
        return try cli.run(arguments, at: now)
    }

    func expectSuccess(_ result: ProcessResult) throws {
        try cli.expectSuccess(result)
    }

    /// Opens a request as `who` and returns its id. The default risk inputs keep a prod request
    /// well above the auto-approve threshold.
    func open(
        _ who: String, action: String, resource: String, env: String = "prod", summary: String,
        risk: [String] = ["rollback_available=yes", "change_size=40", "blast_radius=30"], extra: [String] = []
    ) throws -> String {
        let result = try run(who, [
            "request", "open", "--action", action, "--resource", resource, "--env", env, "--summary", summary,
            "--link", "https://git.example.com/acme/ops/pull/42", "--format", "json",
        ] + risk.flatMap { ["--risk", $0] } + extra)
        try cli.expectSuccess(result)
        guard let id = try jsonObject(result.stdout)["requestId"] as? String else {
            throw LedgerCLI.CLIFailure(message: "no requestId in \(result.stdout)")
        }
        return id
    }

    /// `request show ID --format json`.
    func show(_ id: String) throws -> [String: Any] {
        let result = try run(nil, ["request", "show", id, "--format", "json"])
        try cli.expectSuccess(result)
        return try jsonObject(result.stdout)
    }

    /// `request list ARGS --format json`.
    func list(_ arguments: [String]) throws -> [[String: Any]] {
        let result = try run(nil, ["request", "list"] + arguments + ["--format", "json"])
        try cli.expectSuccess(result)
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]] ?? []
    }

    /// Lets the team's clock run to `at`, then `tick --format json` as root: the events it
    /// appended.
    func tick(at: String) throws -> [[String: Any]] {
        if let time = parseTime(at), let now = clock.now { clock.now = max(now, time) }
        let result = try run("root", ["tick", "--format", "json"])
        try cli.expectSuccess(result)
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]] ?? []
    }

    /// The request's openedAt plus `minutes`, in the ledger's timestamp form.
    func time(of id: String, plusMinutes minutes: Int) throws -> String {
        guard let opened = parseTime(try show(id)["openedAt"] as? String) else {
            throw LedgerCLI.CLIFailure(message: "\(id) has no parsable openedAt")
        }
        return formatTime(opened.addingTimeInterval(Double(minutes) * 60))
    }

    /// The number of events, from `verify --format json`.
    func eventCount() throws -> Int {
        let result = try run(nil, ["verify", "--format", "json"])
        return (try jsonObject(result.stdout)["summary"] as? [String: Any])?["events"] as? Int ?? -1
    }

    /// `ledger verify` passes (exit 0, verified, no findings).
    func expectVerified(sourceLocation: SourceLocation = #_sourceLocation) throws {
        let result = try run(nil, ["verify", "--format", "json"])
        #expect(result.status == 0, "verify: \(result.stdout)\(result.stderr)", sourceLocation: sourceLocation)
        let report = try jsonObject(result.stdout)
        #expect(report["verified"] as? Bool == true, sourceLocation: sourceLocation)
        #expect((report["findings"] as? [Any])?.isEmpty ?? true, "\(report["findings"] ?? "")", sourceLocation: sourceLocation)
    }
}

/// The command was refused by the approval rules: exit 3, "refused: … [code]" on stderr.
private func expectRefused(_ result: ProcessResult, _ code: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(result.status == 3, "expected refusal \(code), got exit \(result.status): \(result.stderr)\(result.stdout)", sourceLocation: sourceLocation)
    #expect(result.stderr.hasPrefix("refused:"), "\(result.stderr)", sourceLocation: sourceLocation)
    #expect(result.stderr.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("[\(code)]"), "\(result.stderr)", sourceLocation: sourceLocation)
}

private func timeFormatter() -> ISO8601DateFormatter {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    formatter.timeZone = TimeZone(identifier: "UTC")
    return formatter
}

/// The time a `DemoTeam` runs its commands at.
private final class TeamClock: @unchecked Sendable {
    // `@unchecked`: a test's team is used from that one test's thread only.
    /// nil: the real clock.
    var now: Date? = Date().addingTimeInterval(-86_400)
}

private func parseTime(_ text: String?) -> Date? {
    text.flatMap { timeFormatter().date(from: $0) }
}

private func formatTime(_ date: Date) -> String {
    timeFormatter().string(from: date)
}

private func strings(_ value: Any?) -> [String] {
    (value as? [Any])?.compactMap { $0 as? String } ?? []
}

private func voters(_ state: [String: Any]) -> [String] {
    (state["votes"] as? [[String: Any]])?.compactMap { $0["voter"] as? String } ?? []
}

private func outcomes(_ state: [String: Any]) -> [String] {
    (state["executions"] as? [[String: Any]])?.compactMap { $0["outcome"] as? String } ?? []
}

private func rule(_ state: [String: Any]) -> String? {
    (state["policy"] as? [String: Any])?["rule"] as? String
}

/// SHA-256 of `text` as lowercase hex, from `openssl dgst` (independent of the code under test).
private func sha256Hex(_ text: String) -> String {
    let result = try? ProcessRunner.run("openssl", ["dgst", "-sha256", "-r"], input: Data(text.utf8))
    return String(result?.stdout.prefix(64) ?? "")
}
