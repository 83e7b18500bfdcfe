import Foundation
import TestSupport
import Testing

/// Attacks on `ledger verify` (issue 14), each built the way an attacker with write access to
/// the SQLite file would build it: a fresh `ledger demo`, then rows written straight into the
/// file by `Tests/Attacks/attack.py` (Python written from docs/FORMAT.md alone: canonical
/// envelopes, the domain-prefixed event hash, Ed25519 over the 32 hash bytes), signed with only
/// the key the threat model allows — an ordinary registered key (the deploy bot's, an approver's)
/// or none at all — never the root or an admin key unless the case says so. The attacker then
/// runs `ledger rebuild` (no key needed) so that the projections agree with the forged log.
///
/// Each test asserts that verify exits 1 in text, `--strict` and `--format json`, and reports
/// the finding codes that name what happened. `attackerToolkitWritesEventsThatVerify` is the
/// control: events the toolkit writes that follow the rules verify clean, so a failing case
/// fails because of its attack, not because of the forger.
@Suite("verify is not fooled by an insider with file access and one ordinary key")
struct VerifyAttackTests {
    // MARK: Control

    @Test("control: rule-following events written by the attack toolkit verify clean (even --strict)")
    func attackerToolkitWritesEventsThatVerify() throws {
        let demo = try DemoUnderAttack()
        let id = "req-attack00001"
        try demo.attack("open", key: "alice", ["--request", id, "--minutes", "5"])
        try demo.attack("vote", key: "bob", ["--request", id, "--minutes", "3"])
        try demo.attack("grant", key: "bob", ["--request", id])
        try demo.attack("execute", key: "deploy-bot", ["--request", id, "--minutes", "2"])
        try demo.rebuild()
        for flags in [[], ["--strict"]] {
            let result = try demo.verify(flags + ["--format", "json"])
            #expect(result.status == 0, "the toolkit's rule-following events must verify: \(result.codes) \(result.stderr)")
        }
    }

    @Test("control: the toolkit's comment, deny vote, denial, escalation and expiries verify clean when the right keys sign them (root keeps the clock)")
    func attackerToolkitWritesClockAndDenialEventsThatVerify() throws {
        let demo = try DemoUnderAttack()
        try demo.attack("open", key: "alice", ["--request", "req-attack00001", "--minutes", "5"])
        try demo.attack("comment", key: "deploy-bot", ["--request", "req-attack00001", "--minutes", "1"])
        try demo.attack("open", key: "alice", ["--request", "req-attack00002", "--like", "emergency", "--minutes", "1"])
        try demo.attack("escalate", key: "root", ["--request", "req-attack00002", "--minutes", "16"])
        try demo.attack("open", key: "bob", ["--request", "req-attack00003", "--like", "firewall", "--minutes", "1"])
        try demo.attack("vote", key: "grace", ["--request", "req-attack00003", "--decision", "deny", "--reason", "use the bastion", "--minutes", "1"])
        try demo.attack("deny", key: "grace", ["--request", "req-attack00003"])
        try demo.attack("expire", key: "root", ["--request", "req-attack00001", "--time", "2026-11-02T17:40:00.000Z"])
        try demo.attack("expire", key: "root", ["--request", "req-attack00002", "--time", "2026-11-02T17:40:00.000Z"])
        try demo.rebuild()
        let result = try demo.verify(["--strict", "--format", "json"])
        #expect(result.status == 0, "the toolkit's rule-following events must verify: \(result.codes) \(result.stderr)")
    }

    @Test("control: the attack toolkit reproduces FORMAT.md's worked example (JCS, payload hash, event hash, signature)")
    func attackerToolkitReproducesTheWorkedExample() throws {
        let script = TestPaths.packageRoot.appendingPathComponent("Tests/Attacks/selftest.py").path
        let result = try ProcessRunner.run("python3", [script])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    }

    // MARK: Hole 1: a missing payload must not switch conformance off

    @Test("hole 1: deploy-bot comments with no payload row, then grants itself a reusable 2099 grant nobody voted for, then runs it twice, once with another change digest")
    func commentWithoutPayloadThenUnvotedReusableGrantThenTwoExecutions() throws {
        let demo = try DemoUnderAttack()
        let id = "req-attack00001"
        try demo.attack("open", key: "deploy-bot", ["--request", id, "--like", "prod-db-migration", "--minutes", "5"])
        try demo.attack("comment", key: "deploy-bot", ["--request", id, "--no-payload", "--minutes", "1"])
        try demo.attack("grant", key: "deploy-bot", [
            "--request", id, "--approvers", "carol,bob", "--reusable", "--expires-at", "2099-12-31T23:59:59.000Z",
        ])
        try demo.attack("execute", key: "deploy-bot", ["--request", id, "--minutes", "2"])
        try demo.attack("execute", key: "deploy-bot", ["--request", id, "--minutes", "1", "--change-digest", String(repeating: "e", count: 64)])
        try demo.rebuild()
        try demo.expectNotVerified(["payload-missing", "decision-unjustified", "execution-not-allowed"])
    }

    @Test("hole 1: an eligible approver's vote with no payload row, then the grant it would justify")
    func voteWithoutPayloadThenTheGrant() throws {
        let demo = try DemoUnderAttack()
        let id = "req-attack00001"
        try demo.attack("open", key: "alice", ["--request", id, "--minutes", "5"])
        try demo.attack("vote", key: "bob", ["--request", id, "--no-payload", "--minutes", "3"])
        try demo.attack("grant", key: "bob", ["--request", id])
        try demo.rebuild()
        try demo.expectNotVerified(["payload-missing", "decision-unjustified"])
    }

    @Test("hole 1: the request.opened's payload row deleted, then a reusable 2099 grant nobody voted for and an execution")
    func openedPayloadDeletedThenUnvotedGrant() throws {
        let demo = try DemoUnderAttack()
        let id = "req-attack00001"
        try demo.attack("open", key: "deploy-bot", ["--request", id, "--minutes", "5"])
        try demo.attack("grant", key: "deploy-bot", [
            "--request", id, "--approvers", "bob", "--reusable", "--expires-at", "2099-12-31T23:59:59.000Z", "--minutes", "1",
        ])
        try demo.attack("execute", key: "deploy-bot", ["--request", id, "--minutes", "1"])
        try demo.attack("redact", ["--request", id])
        try demo.rebuild()
        try demo.expectNotVerified(["payload-missing"], anyOf: ["decision-unjustified", "request-invalid"])
    }

    @Test("hole 1: bob's vote on the settled canary redacted (its reason is personal data), then its used one-shot grant run again at the head")
    func redactedVoteOfASettledRequestThenItsUsedGrantRunAgain() throws {
        let demo = try DemoUnderAttack()
        let canary = try demo.request("canary promotion")
        let vote = try demo.seq(type: "vote.cast", stream: canary)
        try demo.attack("redact", ["--seq", String(vote)])
        try demo.attack("execute", key: "deploy-bot", ["--request", canary, "--minutes", "5", "--detail", "pipeline run 5590"])
        try demo.rebuild()
        try demo.expectNotVerified(["payload-missing", "execution-not-allowed"])
    }

    @Test("hole 1: an approve-only key (dave) signs a grant nobody voted for")
    func approveOnlyKeyForgesAGrant() throws {
        let demo = try DemoUnderAttack()
        let id = "req-attack00001"
        try demo.attack("open", key: "alice", ["--request", id, "--minutes", "5"])
        try demo.attack("grant", key: "dave", ["--request", id, "--approvers", "dave", "--groups", "sre (dave)", "--minutes", "1"])
        try demo.rebuild()
        try demo.expectNotVerified(["decision-unjustified"])
    }

    @Test("hole 1: an approve-only key (dave) signs a denial nobody voted for")
    func approveOnlyKeyForgesADenial() throws {
        let demo = try DemoUnderAttack()
        let id = "req-attack00001"
        try demo.attack("open", key: "alice", ["--request", id, "--minutes", "5"])
        try demo.attack("deny", key: "dave", ["--request", id, "--minutes", "1"])
        try demo.rebuild()
        try demo.expectNotVerified(["decision-unjustified"])
    }

    @Test("hole 1: an approve-only key (dave) signs the expiry tick would write after the deadline (needs clock)")
    func approveOnlyKeyForgesAnExpiry() throws {
        let demo = try DemoUnderAttack()
        let id = "req-attack00001"
        let opened = try demo.attack("open", key: "alice", ["--request", id, "--minutes", "5"])
        let deadline = try #require(opened["deadline"] as? String)
        try demo.attack("expire", key: "dave", ["--request", id, "--time", Self.minutes(1, after: deadline)])
        try demo.rebuild()
        try demo.expectNotVerified(["key-not-authorized"])
    }

    @Test("hole 1: an approve-only key (dave) signs the escalation tick would write 16 minutes in (needs clock)")
    func approveOnlyKeyForgesAnEscalation() throws {
        let demo = try DemoUnderAttack()
        let id = "req-attack00001"
        try demo.attack("open", key: "alice", ["--request", id, "--like", "emergency", "--minutes", "5"])
        try demo.attack("escalate", key: "dave", ["--request", id, "--minutes", "16"])
        try demo.rebuild()
        try demo.expectNotVerified(["key-not-authorized"])
    }

    @Test("hole 1: an approve-only key (dave) records its own allowed vote as refused (vote.rejected)")
    func approveOnlyKeyForgesARejection() throws {
        let demo = try DemoUnderAttack()
        let id = "req-attack00001"
        try demo.attack("open", key: "bob", ["--request", id, "--like", "autoscale-budget", "--minutes", "5"])
        try demo.attack("reject", key: "dave", ["--request", id, "--minutes", "1"])
        try demo.rebuild()
        try demo.expectNotVerified(["rejection-unfounded"])
    }

    // MARK: Hole 2: rows with seq <= 0

    /// The row holds a whole, valid next event (envelope seq N+1, chained to the head, signed
    /// by the approver it names, or carrying 64 random bytes) but sits at seq 0 or -7: outside
    /// the ledger, which verify never reads, while the CLI folds it into the request.
    @Test("hole 2: a request.granted row stored at seq 0 or -7; verify reports it and request show / wait ignore it", arguments: [
        RowOutsideTheLedger(seq: 0, randomSignature: false), RowOutsideTheLedger(seq: -7, randomSignature: true),
    ])
    func grantRowOutsideTheLedger(_ row: RowOutsideTheLedger) throws {
        let demo = try DemoUnderAttack()
        let id = "req-attack00001"
        try demo.attack("open", key: "alice", ["--request", id, "--minutes", "5"])
        try demo.rebuild()
        var arguments = ["--request", id, "--row-seq", String(row.seq), "--minutes", "1"]
        if row.randomSignature {
            arguments += ["--random-signature", "--actor", "bob"]
            try demo.attack("grant", arguments)
        } else {
            try demo.attack("grant", key: "bob", arguments)
        }
        try demo.rebuild()
        try demo.expectNotVerified(["seq-invalid"])

        let show = try demo.ledger(["request", "show", id, "--format", "json"])
        #expect(show.status == 0, "request show: exit \(show.status): \(show.stderr)")
        let status = show.status == 0 ? (try? jsonObject(show.stdout))?["status"] as? String : nil
        #expect(status != "granted", "request show treats the row at seq \(row.seq) as a grant")
        let wait = try demo.ledger(["request", "wait", id, "--timeout", "2s"])
        #expect(wait.status != 0, "request wait exits 0 on the row at seq \(row.seq): \(wait.stdout)\(wait.stderr)")
    }

    @Test("hole 2: a payload-less request.opened at seq -1 in the canary's stream, then a second run of its used one-shot grant appended at the head")
    func openedAtSeqMinusOneHidesASecondRunOfAUsedOneShotGrant() throws {
        let demo = try DemoUnderAttack()
        let canary = try demo.request("canary promotion")
        try demo.attack("open", key: "deploy-bot", [
            "--request", canary, "--seq", "-1", "--stream-version", "0", "--no-payload", "--minutes", "1",
        ])
        try demo.attack("execute", key: "deploy-bot", ["--request", canary, "--minutes", "5", "--detail", "pipeline run 5590"])
        try demo.rebuild()
        try demo.expectNotVerified(["seq-invalid", "execution-not-allowed"])
    }

    // MARK: Hole 3: verify --since-checkpoint must prove the prefix it relies on

    @Test("hole 3: bob's key.registered payload swapped for an attacker's key, then bob's vote and a grant after the checkpoint", arguments: [false, true])
    func sinceCheckpointWithBobsRegistrationSwapped(sameKeyID: Bool) throws {
        let demo = try DemoUnderAttack()
        let id = "req-attack00001"
        try demo.attack("open", key: "alice", ["--request", id, "--minutes", "5"])
        try demo.rebuild()
        let checkpoint = try demo.checkpoint()

        let attackerKey = demo.path("attacker.pem")
        var swap = ["--identity", "bob", "--out", attackerKey]
        if sameKeyID { swap.append("--same-key-id") }
        let swapped = try demo.attack("swap-registration", swap)
        let named = try #require(swapped["keyId"] as? String)
        let sign = ["--key", attackerKey, "--key-id", named]
        try demo.attack("vote", sign + ["--request", id, "--minutes", "3"])
        try demo.attack("grant", sign + ["--request", id])
        try demo.rebuild()

        // With the same key id the swapped registration no longer derives its id from its key;
        // either way the forged events are signed by a key the ledger never registered.
        let forged: Set<String> = ["key-unknown", "signature-invalid"]
        try demo.expectNotVerified(["payload-mismatch"], anyOf: forged, extra: ["--since-checkpoint", checkpoint])
        try demo.expectNotVerified(["payload-mismatch"], anyOf: forged, extra: ["--anchor", checkpoint])
    }

    @Test("hole 3: bob's registration swapped for an attacker's key and its envelope re-hashed to commit to it (root's signature left stale), then bob's vote and a grant after the checkpoint")
    func sinceCheckpointWithBobsRegistrationSwappedAndReHashed() throws {
        let demo = try DemoUnderAttack()
        let id = "req-attack00001"
        try demo.attack("open", key: "alice", ["--request", id, "--minutes", "5"])
        try demo.rebuild()
        let checkpoint = try demo.checkpoint()
        let attackerKey = demo.path("attacker.pem")
        let swapped = try demo.attack("swap-registration", ["--identity", "bob", "--out", attackerKey])
        let registration = try #require(swapped["seq"] as? Int)
        try demo.attack("rehash-envelope", ["--seq", String(registration)])
        try demo.attack("vote", ["--key", attackerKey, "--request", id, "--minutes", "3"])
        try demo.attack("grant", ["--key", attackerKey, "--request", id])
        try demo.rebuild()
        // The prefix no longer chains to the checkpoint's head, and root never signed the new
        // registration: whichever the incremental verify proves, it must not pass.
        let broken: Set<String> = ["chain-broken", "signature-invalid", "hash-mismatch", "payload-mismatch", "anchor-mismatch"]
        try demo.expectNotVerified([], anyOf: broken, extra: ["--since-checkpoint", checkpoint])
        try demo.expectNotVerified(["chain-broken", "signature-invalid"], extra: ["--anchor", checkpoint])
    }

    @Test("hole 3: deploy-bot's registration payload edited to grant itself admin, then a policy.published by the bot after the checkpoint")
    func sinceCheckpointWithTheBotsRegistrationEditedToAdmin() throws {
        let demo = try DemoUnderAttack()
        let checkpoint = try demo.checkpoint()
        try demo.attack("edit-registration", ["--identity", "deploy-bot", "--capabilities", "admin,execute,request"])
        try demo.attack("publish-policy", key: "deploy-bot", ["--minutes", "5"])
        try demo.rebuild()
        // Without its registration the bot's key is unknown; with it, it lacks admin: either
        // names the forged policy.
        let forged: Set<String> = ["key-unknown", "key-not-authorized"]
        try demo.expectNotVerified(["payload-mismatch"], anyOf: forged, extra: ["--since-checkpoint", checkpoint])
        try demo.expectNotVerified(["payload-mismatch"], anyOf: forged, extra: ["--anchor", checkpoint])
    }

    @Test("hole 3: the stream column of grace's key.revoked row edited before the checkpoint, then grace approves a firewall change after it")
    func sinceCheckpointWithARevocationsStreamColumnEdited() throws {
        let demo = try DemoUnderAttack()
        let grace = try demo.keyID("grace")
        let revoked = try demo.ledger(["key", "revoke", grace, "--reason", "left the company"], key: "root")
        try #require(revoked.status == 0, "\(revoked.stderr)")
        let revocation = try demo.headSeq()
        let id = try demo.openThroughCLI("alice", ["--action", "firewall.open", "--resource", "fw/edge", "--env", "prod",
                                                   "--summary", "open 22 to the bastion", "--risk", "blast_radius=100", "--risk", "rollback_available=yes"])
        let checkpoint = try demo.checkpoint()
        try demo.attack("set-column", ["--seq", String(revocation), "--column", "stream", "--value", "notes"])
        try demo.attack("vote", key: "grace", ["--request", id])
        try demo.attack("grant", key: "grace", ["--request", id, "--approvers", "grace"])
        try demo.rebuild()
        // The edited row must be named (its column lies, or read by that column it is a key event
        // outside $keys), and grace's events after it must be judged under her revocation.
        try demo.expectNotVerified(["key-revoked"], anyOf: ["column-mismatch", "stream-invalid"], extra: ["--since-checkpoint", checkpoint])
        try demo.expectNotVerified(["key-revoked", "column-mismatch"], extra: ["--anchor", checkpoint])
    }

    @Test("hole 3: a pending DB migration's request.opened payload rewritten before the checkpoint to name rule prod-default (one SRE), then bob's vote and grant after it")
    func sinceCheckpointWithAnOpenRequestsPayloadRewritten() throws {
        let demo = try DemoUnderAttack()
        let id = "req-attack00001"
        try demo.attack("open", key: "alice", ["--request", id, "--like", "prod-db-migration", "--minutes", "5"])
        try demo.rebuild()
        let checkpoint = try demo.checkpoint()
        try demo.attack("reassign-rule", ["--request", id, "--rule", "prod-default"])
        try demo.attack("vote", key: "bob", ["--request", id, "--minutes", "3"])
        try demo.attack("grant", key: "bob", ["--request", id])
        try demo.rebuild()
        try demo.expectNotVerified(["payload-mismatch"], extra: ["--since-checkpoint", checkpoint])
        try demo.expectNotVerified(["payload-mismatch"], extra: ["--anchor", checkpoint])
    }

    @Test("hole 3: the policy payload rewritten before the checkpoint (dave, finance only, made an SRE, content hash recomputed), then dave alone approves a prod change after it")
    func sinceCheckpointWithThePolicyPayloadRewritten() throws {
        let demo = try DemoUnderAttack()
        let checkpoint = try demo.checkpoint()
        try demo.attack("tamper-policy", ["--group", "sre", "--identity", "dave"])
        let id = "req-attack00001"
        try demo.attack("open", key: "alice", ["--request", id, "--minutes", "5"])
        try demo.attack("vote", key: "dave", ["--request", id, "--minutes", "3"])
        try demo.attack("grant", key: "dave", ["--request", id, "--approvers", "dave"])
        try demo.rebuild()
        try demo.expectNotVerified(["payload-mismatch"], extra: ["--since-checkpoint", checkpoint])
        try demo.expectNotVerified(["payload-mismatch"], extra: ["--anchor", checkpoint])
    }

    @Test("hole 3: grace's key.revoked payload row deleted before the checkpoint, then grace approves a firewall change after it")
    func sinceCheckpointWithARevocationPayloadDeleted() throws {
        let demo = try DemoUnderAttack()
        let grace = try demo.keyID("grace")
        let revoked = try demo.ledger(["key", "revoke", grace, "--reason", "left the company"], key: "root")
        try #require(revoked.status == 0, "\(revoked.stderr)")
        let revocation = try demo.headSeq()
        let id = try demo.openThroughCLI("alice", ["--action", "firewall.open", "--resource", "fw/edge", "--env", "prod",
                                                   "--summary", "open 22 to the bastion", "--risk", "blast_radius=100", "--risk", "rollback_available=yes"])
        let checkpoint = try demo.checkpoint()
        try demo.attack("redact", ["--seq", String(revocation)])
        try demo.attack("vote", key: "grace", ["--request", id])
        try demo.attack("grant", key: "grace", ["--request", id, "--approvers", "grace"])
        try demo.rebuild()
        try demo.expectNotVerified([], anyOf: ["payload-missing", "key-event-invalid"], extra: ["--since-checkpoint", checkpoint])
        try demo.expectNotVerified([], anyOf: ["payload-missing", "key-event-invalid"], extra: ["--anchor", checkpoint])
    }

    @Test("hole 3: verify --since-checkpoint with no event after the checkpoint verifies (not ledger-empty)")
    func sinceCheckpointWithNothingAfterItVerifies() throws {
        let demo = try DemoUnderAttack()
        let checkpoint = try demo.checkpoint()
        let result = try demo.verify(["--since-checkpoint", checkpoint, "--format", "json"])
        #expect(result.status == 0, "\(result.codes) \(result.stderr)")
        #expect(!result.codes.contains("ledger-empty"))
        let text = try demo.verify(["--since-checkpoint", checkpoint])
        #expect(text.status == 0, "\(text.stdout)\(text.stderr)")
    }

    // MARK: Hole 4: the clock

    @Test("hole 4: tick --now 2030 with an approve-only key (alice) is refused and writes nothing")
    func tickTo2030ByAnApproveOnlyKeyIsRefused() throws {
        let demo = try DemoUnderAttack()
        try demo.openThroughCLI("carol", ["--action", "deploy.promote", "--resource", "svc/search", "--env", "prod", "--summary", "promote search"])
        let before = try demo.rows()
        let tick = try demo.ledger(["tick", "--now", "2030-01-01T00:00:00.000Z"], key: "alice")
        #expect(tick.status != 0, "alice moved the ledger's clock to 2030: \(tick.stdout)")
        #expect(try demo.rows() == before, "tick by alice wrote events")
    }

    @Test("hole 4: tick --now 16 minutes ahead by the deploy bot (escalating an emergency at once) is refused and writes nothing")
    func tickSixteenMinutesAheadByTheDeployBotIsRefused() throws {
        let demo = try DemoUnderAttack()
        try demo.openThroughCLI("alice", ["--action", "cache.purge", "--resource", "cdn/global", "--env", "prod", "--summary", "purge price cache",
                                          "--risk", "blast_radius=100", "--risk", "rollback_available=no"])
        let before = try demo.rows()
        let later = Self.format(Date().addingTimeInterval(16 * 60))
        let tick = try demo.ledger(["tick", "--now", later], key: "deploy-bot")
        #expect(tick.status != 0, "deploy-bot moved the clock 16 minutes ahead: \(tick.stdout)")
        #expect(try demo.rows() == before, "tick by deploy-bot wrote events")
    }

    @Test("hole 4: alice (approve, request) signs at the head the expiry tick would write after the deadline")
    func expiryForgedByAliceAtTheHead() throws {
        let demo = try DemoUnderAttack()
        let id = "req-attack00001"
        let opened = try demo.attack("open", key: "carol", ["--request", id, "--minutes", "5"])
        let deadline = try #require(opened["deadline"] as? String)
        try demo.attack("expire", key: "alice", ["--request", id, "--time", Self.minutes(1, after: deadline)])
        try demo.rebuild()
        try demo.expectNotVerified(["key-not-authorized"])
    }

    @Test("hole 4: an expiry signed by alice dated 2030-01-01, as tick --now 2030 writes it")
    func expiryDatedIn2030ByAlice() throws {
        let demo = try DemoUnderAttack()
        let id = "req-attack00001"
        try demo.attack("open", key: "carol", ["--request", id, "--minutes", "5"])
        try demo.attack("expire", key: "alice", ["--request", id, "--time", "2030-01-01T00:00:00.000Z"])
        try demo.rebuild()
        try demo.expectNotVerified(["time-future", "key-not-authorized"])
    }

    @Test("hole 4: a comment the deploy bot may write, dated 2030-01-01")
    func commentDatedIn2030() throws {
        let demo = try DemoUnderAttack()
        let id = "req-attack00001"
        try demo.attack("open", key: "deploy-bot", ["--request", id, "--minutes", "5"])
        try demo.attack("comment", key: "deploy-bot", ["--request", id, "--time", "2030-01-01T00:00:00.000Z"])
        try demo.rebuild()
        try demo.expectNotVerified(["time-future"])
    }

    @Test("hole 4: a comment the deploy bot may write, dated 16 minutes ahead of the real clock")
    func commentDatedSixteenMinutesAhead() throws {
        let demo = try DemoUnderAttack()
        let id = try demo.openThroughCLI("deploy-bot", ["--action", "deploy.promote", "--resource", "svc/checkout", "--env", "prod", "--summary", "ship v2"])
        try demo.attack("comment", key: "deploy-bot", ["--request", id, "--time", Self.format(Date().addingTimeInterval(16 * 60))])
        try demo.rebuild()
        try demo.expectNotVerified(["time-future"])
    }

    // MARK: Hole 5: backdating is an error

    @Test("hole 5: an execution of the autoscale grant (expired at 10:46) appended at the head but dated 10:00, inside its window")
    func executionBackdatedIntoAnExpiredGrant() throws {
        let demo = try DemoUnderAttack()
        let autoscale = try demo.request("autoscale")
        try demo.attack("execute", key: "deploy-bot", ["--request", autoscale, "--time", "2026-11-02T10:00:00.000Z"])
        try demo.rebuild()
        try demo.expectNotVerified(["time-regression"])
    }

    @Test("hole 5: bob's vote and grant appended after a passed deadline but dated before it")
    func voteBackdatedBeforeAPassedDeadline() throws {
        let demo = try DemoUnderAttack()
        let id = "req-attack00001"
        let opened = try demo.attack("open", key: "alice", ["--request", id, "--minutes", "5"])
        let deadline = try #require(opened["deadline"] as? String)
        try demo.attack("open", key: "carol", ["--request", "req-attack00002", "--time", Self.minutes(15, after: deadline)])
        let backdated = Self.minutes(-5, after: deadline)
        try demo.attack("vote", key: "bob", ["--request", id, "--time", backdated])
        try demo.attack("grant", key: "bob", ["--request", id, "--time", backdated])
        try demo.rebuild()
        try demo.expectNotVerified(["time-regression"])
    }

    // MARK: Defects

    @Test("defect: a request.opened whose payload names another request than its stream")
    func openedWhosePayloadNamesAnotherRequest() throws {
        let demo = try DemoUnderAttack()
        try demo.attack("open", key: "deploy-bot", ["--request", "req-attack00002", "--stream-as", "req-attack00001", "--minutes", "5"])
        try demo.rebuild()
        try demo.expectNotVerified(["request-invalid"])
    }

    @Test("defect: the head event and its payload deleted is reported as truncation (projection-ahead), with and without an anchor")
    func headEventDeleted() throws {
        let demo = try DemoUnderAttack()
        let checkpoint = try demo.checkpoint()
        try demo.attack("delete-head")
        try demo.expectNotVerified(["projection-ahead"])
        try demo.expectNotVerified(["projection-ahead", "anchor-ahead"], extra: ["--anchor", checkpoint])
    }

    @Test("defect: a payloads row for a seq that has no event")
    func payloadRowWithoutAnEvent() throws {
        let demo = try DemoUnderAttack()
        try demo.attack("orphan-payload")
        try demo.expectNotVerified(["payload-orphan"])
    }

    @Test("defect: a key revoked by the admin and un-revoked in the keys table cannot open a request through the CLI")
    func keyUnrevokedInTheKeysTableCannotAct() throws {
        let demo = try DemoUnderAttack()
        let alice = try demo.keyID("alice")
        let revoked = try demo.ledger(["key", "revoke", alice, "--reason", "laptop lost"], key: "root")
        try #require(revoked.status == 0, "\(revoked.stderr)")
        try demo.attack("sql", ["--statement", "UPDATE keys SET revoked_seq = NULL WHERE key_id = '\(alice)'"])
        let before = try demo.rows()
        let open = try demo.ledger(["request", "open", "--action", "deploy.promote", "--resource", "svc/checkout", "--env", "prod",
                                    "--summary", "ship it"], key: "alice")
        #expect(open.status != 0, "a revoked key opened a request: \(open.stdout)")
        #expect(try demo.rows() == before)
    }

    @Test("defect: admin added to an approve-only key in the keys table does not let it open a request or register a key")
    func adminAddedInTheKeysTableDoesNotLetTheKeyAct() throws {
        let demo = try DemoUnderAttack()
        let dave = try demo.keyID("dave")
        try demo.attack("sql", ["--statement", "UPDATE keys SET capabilities = '[\"admin\",\"approve\"]' WHERE key_id = '\(dave)'"])
        let before = try demo.rows()
        let open = try demo.ledger(["request", "open", "--action", "deploy.promote", "--resource", "svc/checkout", "--env", "prod",
                                    "--summary", "ship it"], key: "dave")
        #expect(open.status != 0, "dave opened a request on capabilities from the keys table: \(open.stdout)")
        let mallory = demo.path("mallory.pem")
        let generated = try ProcessRunner.run(TestPaths.ledgerBinary.path, ["key", "generate", "--out", mallory])
        try #require(generated.status == 0, "\(generated.stderr)")
        let register = try demo.ledger(["key", "register", "--identity", "mallory", "--public-key", mallory + ".pub",
                                        "--capability", "admin"], key: "dave")
        #expect(register.status != 0, "dave registered a key on capabilities from the keys table: \(register.stdout)")
        #expect(try demo.rows() == before)
    }

    @Test("defect: the CLI lets dave (finance only) approve as an SRE after the stored policy payload was rewritten (its hash no longer the signed one)")
    func cliJudgesVotesUnderARewrittenPolicyPayload() throws {
        let demo = try DemoUnderAttack()
        try demo.attack("tamper-policy", ["--group", "sre", "--identity", "dave"])
        let open = try demo.ledger(["request", "open", "--action", "deploy.promote", "--resource", "svc/search", "--env", "prod",
                                    "--summary", "promote search", "--format", "json"], key: "alice")
        // Refusing to open under a policy whose payload is not the signed one is a fix too.
        guard open.status == 0, let id = try jsonObject(open.stdout)["requestId"] as? String else { return }
        let vote = try demo.ledger(["approve", id, "--reason", "lgtm"], key: "dave")
        #expect(vote.status != 0, "dave approved as an SRE under the rewritten policy: \(vote.stdout)")
        let show = try demo.ledger(["request", "show", id, "--format", "json"])
        #expect((try? jsonObject(show.stdout))?["status"] as? String != "granted")
    }

    // MARK: Helpers

    struct RowOutsideTheLedger: Sendable, CustomTestStringConvertible {
        let seq: Int
        let randomSignature: Bool
        var testDescription: String { "seq \(seq)\(randomSignature ? ", random signature" : ", signed by bob")" }
    }

    // MARK: Hole 6: an erasure must be recorded by someone allowed to erase

    @Test("control: the demo's recorded erasure verifies clean (even --strict) and is reported as payload-redacted")
    func demoErasureVerifies() throws {
        let demo = try DemoUnderAttack()
        let result = try demo.verify(["--strict", "--format", "json"])
        #expect(result.status == 0, "\(result.codes) \(result.stderr)")
        #expect(result.codes.contains("payload-redacted"))
    }

    @Test("hole 6: a service event's payload deleted with no redaction record (the schema's trigger dropped first)")
    func servicePayloadDeletedWithoutARecord() throws {
        let demo = try DemoUnderAttack()
        let note = try demo.appendServiceNote()
        try demo.attack("redact", ["--seq", String(note)])
        try demo.expectNotVerified(["payload-missing"])
    }

    @Test("hole 6: deploy-bot, whose key may append but not redact, records the erasure of its own note and deletes it")
    func redactionForgedWithAnAppendKey() throws {
        let demo = try DemoUnderAttack()
        let note = try demo.appendServiceNote()
        try demo.attack("forge-redaction", key: "deploy-bot", ["--target", String(note), "--minutes", "1"])
        try demo.rebuild()
        try demo.expectNotVerified(["key-not-authorized", "payload-missing"])
    }

    @Test("hole 6: a redaction record by the dpo's key naming a vote (a payload the replay needs), and the vote's payload deleted")
    func redactionOfAPayloadTheReplayNeeds() throws {
        let demo = try DemoUnderAttack()
        let canary = try demo.request("canary promotion")
        let vote = try demo.seq(type: "vote.cast", stream: canary)
        try demo.attack("forge-redaction", key: "dpo", ["--target", String(vote), "--minutes", "1"])
        try demo.rebuild()
        try demo.expectNotVerified(["redaction-invalid", "payload-missing"])
    }

    @Test("hole 6: a redaction record by the dpo's key that names the note by another event's hash")
    func redactionNamingTheWrongHash() throws {
        let demo = try DemoUnderAttack()
        let note = try demo.appendServiceNote()
        try demo.attack("forge-redaction", key: "dpo", ["--target", String(note), "--hash", String(repeating: "ab", count: 32), "--minutes", "1"])
        try demo.expectNotVerified(["redaction-invalid", "payload-missing"])
    }

    static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    static func minutes(_ minutes: Double, after time: String) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let date = formatter.date(from: time)!
        return format(date.addingTimeInterval(minutes * 60))
    }
}

/// A fresh `ledger demo` in a temporary directory, and the moves an attacker makes on it.
final class DemoUnderAttack: Sendable {
    let directory: TemporaryDirectory
    let ledgerPath: String
    /// Scenario title → request id, from `ledger demo --format json`.
    let scenarios: [String: String]

    static let attackScript = TestPaths.packageRoot.appendingPathComponent("Tests/Attacks/attack.py").path

    init() throws {
        directory = try TemporaryDirectory()
        ledgerPath = directory.file("demo.ledger")
        let demo = try ProcessRunner.run(TestPaths.ledgerBinary.path, ["demo", "--dir", directory.path, "--format", "json"])
        guard demo.status == 0 else { throw Failure("ledger demo: exit \(demo.status): \(demo.stderr)") }
        var scenarios: [String: String] = [:]
        for case let scenario as [String: Any] in (try jsonObject(demo.stdout)["scenarios"] as? [Any]) ?? [] {
            if let title = scenario["title"] as? String, let id = scenario["requestId"] as? String { scenarios[title] = id }
        }
        self.scenarios = scenarios
    }

    func path(_ name: String) -> String { directory.file(name) }
    func keyFile(_ name: String) -> String { directory.file("keys/\(name).pem") }

    func request(_ title: String) throws -> String {
        guard let id = scenarios[title] else { throw Failure("no demo scenario '\(title)' in \(scenarios.keys.sorted())") }
        return id
    }

    /// Runs one step of `Tests/Attacks/attack.py` with the demo key `key` (a name in keys/), and
    /// returns the JSON object it prints.
    @discardableResult
    func attack(_ step: String, key: String? = nil, _ arguments: [String] = []) throws -> [String: Any] {
        var all = [Self.attackScript, step, "--ledger", ledgerPath]
        if let key { all += ["--key", keyFile(key)] }
        all += arguments
        let result = try ProcessRunner.run("python3", all)
        guard result.status == 0 else {
            throw Failure("attack.py \(step) \(arguments.joined(separator: " ")): exit \(result.status): \(result.stderr)")
        }
        return try jsonObject(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// `ledger --ledger DEMO [--key keys/KEY.pem] ARGS`.
    func ledger(_ arguments: [String], key: String? = nil) throws -> ProcessResult {
        var all = ["--ledger", ledgerPath]
        if let key { all += ["--key", keyFile(key)] }
        return try ProcessRunner.run(TestPaths.ledgerBinary.path, all + arguments, currentDirectory: directory.path)
    }

    /// The attacker's cover: `ledger rebuild` (no key needed) makes the projections match the log.
    func rebuild() throws {
        let result = try ledger(["rebuild"])
        guard result.status == 0 else { throw Failure("ledger rebuild: exit \(result.status): \(result.stderr)") }
    }

    /// The honest operator's checkpoint with the root key, written beside the ledger.
    func checkpoint() throws -> String {
        let file = path("trusted-\(UUID().uuidString.prefix(8)).checkpoint")
        let result = try ledger(["checkpoint", "--out", file], key: "root")
        guard result.status == 0 else { throw Failure("ledger checkpoint: exit \(result.status): \(result.stderr)") }
        return file
    }

    /// An honest `request open` through the CLI (stamped with the real clock); returns the id.
    @discardableResult
    func openThroughCLI(_ key: String, _ arguments: [String]) throws -> String {
        let result = try ledger(["request", "open"] + arguments + ["--format", "json"], key: key)
        guard result.status == 0, let id = try jsonObject(result.stdout)["requestId"] as? String else {
            throw Failure("request open: exit \(result.status): \(result.stderr)\(result.stdout)")
        }
        return id
    }

    func keyID(_ name: String) throws -> String {
        guard let id = try attack("whoami", key: name)["keyId"] as? String else { throw Failure("no key id for \(name)") }
        return id
    }

    /// Rows of the events table, whatever their seq.
    func rows() throws -> Int {
        guard let rows = try attack("head")["rows"] as? Int else { throw Failure("no row count") }
        return rows
    }

    /// The seq of the first event of `type` in `stream`.
    func seq(type: String, stream: String) throws -> Int {
        guard let seq = try attack("find", ["--type", type, "--request", stream])["seq"] as? Int else { throw Failure("no \(type) in \(stream)") }
        return seq
    }

    /// An honest service event naming a customer, appended by deploy-bot; returns its seq.
    func appendServiceNote() throws -> Int {
        let result = try ledger(["append", "--type", "deploy.notified", "--stream", "notify-svc-cart", "--payload", #"{"customer":"john@example.com"}"#], key: "deploy-bot")
        guard result.status == 0 else { throw Failure("ledger append: exit \(result.status): \(result.stderr)") }
        return try headSeq()
    }

    func headSeq() throws -> Int {
        guard let seq = try attack("head")["seq"] as? Int else { throw Failure("no head") }
        return seq
    }

    struct Verification {
        let status: Int32
        let stdout: String
        let stderr: String
        /// Finding codes, when the output was JSON.
        let codes: [String]
    }

    func verify(_ arguments: [String]) throws -> Verification {
        let result = try ledger(["verify"] + arguments)
        var codes: [String] = []
        if arguments.contains("--format"), let object = try? jsonObject(result.stdout) {
            for case let finding as [String: Any] in (object["findings"] as? [Any]) ?? [] {
                if let code = finding["code"] as? String { codes.append(code) }
            }
        }
        return Verification(status: result.status, stdout: result.stdout, stderr: result.stderr, codes: codes)
    }

    /// verify (text), --strict and --format json (with `extra`) each exit 1; the JSON lists every
    /// code of `codes` and, when `anyOf` is given, at least one of it.
    func expectNotVerified(
        _ codes: Set<String>, anyOf: Set<String> = [], extra: [String] = [], sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let json = try verify(extra + ["--format", "json"])
        let found = Set(json.codes)
        #expect(json.status == 1, "verify \(extra.joined(separator: " ")) --format json: exit \(json.status), findings \(json.codes) \(json.stderr)", sourceLocation: sourceLocation)
        #expect(codes.isSubset(of: found), "missing \(codes.subtracting(found).sorted()); verify \(extra.joined(separator: " ")) reported \(json.codes)", sourceLocation: sourceLocation)
        if !anyOf.isEmpty {
            #expect(!anyOf.isDisjoint(with: found), "none of \(anyOf.sorted()); verify \(extra.joined(separator: " ")) reported \(json.codes)", sourceLocation: sourceLocation)
        }
        let text = try verify(extra)
        #expect(text.status == 1 && text.stdout.contains("NOT VERIFIED"), "verify \(extra.joined(separator: " ")): exit \(text.status)\n\(text.stdout)\(text.stderr)", sourceLocation: sourceLocation)
        let strict = try verify(extra + ["--strict"])
        #expect(strict.status == 1, "verify --strict \(extra.joined(separator: " ")): exit \(strict.status)\n\(strict.stdout)", sourceLocation: sourceLocation)
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
