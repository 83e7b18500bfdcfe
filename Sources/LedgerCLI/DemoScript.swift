import ApprovalLedger
import Foundation

/// The demo's team, ledger and scenarios.
struct DemoScript {
    struct Line {
        var title: String
        var id: String
        var status: String
        var story: String
    }

    let ledger: Ledger
    let approvals: Approvals
    let clock: DemoClock
    let people: [String: Signer]

    static let team: [(String, [Capability])] = [
        ("alice", [.request, .approve]), ("bob", [.request, .approve]), ("carol", [.request, .approve]),
        ("dave", [.approve]), ("frank", [.request, .approve]), ("grace", [.approve]), ("deploy-bot", [.append, .request, .execute]),
        // The data protection officer may erase payloads, and do nothing else.
        ("dpo", [.redact]),
        // The sweeper keeps time: only a clock key may expire or escalate requests.
        ("sweeper", [.clock]),
    ]

    static func make(directory: String, durability: LedgerConfiguration.Durability = .full) async throws -> DemoScript {
        let keys = directory + "/keys"
        try FileManager.default.createDirectory(atPath: keys, withIntermediateDirectories: true)
        let clock = DemoClock()
        var configuration = LedgerConfiguration()
        configuration.clock = { clock.now() }
        configuration.durability = durability
        let root = Signer(identity: "root", key: try Ed25519PrivateKey())
        try KeyFile.writePrivateKey(root.key, toPath: keys + "/root.pem")
        let ledger = try await Ledger.create(at: directory + "/demo.ledger", root: root, configuration: configuration)
        var people = ["root": root]
        for (identity, capabilities) in team {
            let key = try Ed25519PrivateKey()
            try KeyFile.writePrivateKey(key, toPath: keys + "/\(identity).pem")
            try await ledger.registerKey(key.publicKey, identity: identity, capabilities: capabilities, signer: root)
            people[identity] = Signer(identity: identity, key: key)
        }
        let yaml = String(decoding: PackageResources.demo_policy_yaml, as: UTF8.self)
        try yaml.write(toFile: directory + "/policy.yaml", atomically: true, encoding: .utf8)
        let approvals = Approvals(ledger: ledger)
        try await approvals.publish(try Policy(yaml: yaml), signer: root)
        return DemoScript(ledger: ledger, approvals: approvals, clock: clock, people: people)
    }

    func open(_ who: String, _ action: String, _ resource: String, _ env: String, _ summary: String, risk: [String: String], digest: String? = nil) async throws -> RequestState {
        clock.advance(minutes: 5)
        return try await approvals.open(
            OpenRequest(
                requestID: Approvals.newRequestID(), action: action, resource: resource, environment: env, summary: summary,
                links: ["https://git.example.com/acme/ops/pull/\(Int.random(in: 100...999))"], changeDigest: digest,
                release: "2026.11.2", riskInputs: risk),
            signer: people[who]!)
    }

    func vote(_ who: String, _ id: String, approve: Bool = true, _ reason: String) async throws -> RequestState {
        clock.advance(minutes: 3)
        return approve
            ? try await approvals.approve(id, reason: reason, signer: people[who]!)
            : try await approvals.deny(id, reason: reason, signer: people[who]!)
    }

    func execute(_ id: String, succeeded: Bool = true, digest: String? = nil) async throws -> RequestState {
        clock.advance(minutes: 2)
        return try await approvals.execute(id, succeeded: succeeded, changeDigest: digest, detail: "pipeline run \(Int.random(in: 1000...9999))", signer: people["deploy-bot"]!)
    }

    func refused(_ body: () async throws -> RequestState) async throws -> String {
        do {
            _ = try await body()
            return "not refused"
        } catch let error as ApprovalError {
            return error.code
        }
    }

    /// `withErasure`: also erase a service note on record (once per demo ledger is enough).
    func play(withErasure: Bool = true) async throws -> [Line] {
        var lines: [Line] = []
        let safe = ["rollback_available": "yes", "change_size": "40"]

        var r = try await open("alice", "deploy.promote", "svc/checkout", "prod", "canary 10% -> 100%", risk: safe.merging(["blast_radius": "30"]) { $1 })
        r = try await vote("bob", r.id, "canary error rate flat for 30 min")
        r = try await execute(r.id)
        lines.append(Line(title: "canary promotion", id: r.id, status: r.status.rawValue, story: "bob (sre) approved; deploy-bot executed it"))

        let digest = SHA256.hash(Array("ALTER TABLE orders ADD INDEX created_at".utf8)).hex
        r = try await open("alice", "db.migrate", "db/orders", "prod", "add index on orders.created_at", risk: ["blast_radius": "60", "rollback_available": "no"], digest: digest)
        r = try await vote("carol", r.id, "migration is online-safe")
        let afterDBA = r.status.rawValue
        r = try await vote("bob", r.id, "runbook checked")
        let wrongDigest = try await refused { try await execute(r.id, digest: SHA256.hash([1]).hex) }
        r = try await execute(r.id, digest: digest)
        let again = try await refused { try await execute(r.id, digest: digest) }
        lines.append(Line(title: "prod DB migration", id: r.id, status: r.status.rawValue, story: "carol (dba) left it \(afterDBA); bob (sre) completed dba AND sre; wrong digest \(wrongDigest), 2nd run \(again)"))

        r = try await open("bob", "firewall.open", "fw/edge", "prod", "open 22/tcp from 0.0.0.0/0", risk: ["blast_radius": "100", "rollback_available": "yes"])
        r = try await vote("grace", r.id, approve: false, "SSH to the world; use the bastion")
        lines.append(Line(title: "firewall change", id: r.id, status: r.status.rawValue, story: "grace (security) denied it: one deny is a veto"))

        r = try await open("bob", "autoscale.raise", "k8s/checkout", "prod", "max replicas 40 -> 120 for Black Friday", risk: ["blast_radius": "20", "rollback_available": "yes"])
        r = try await vote("dave", r.id, "budget approved, PO-7781")
        r = try await vote("alice", r.id, "capacity plan reviewed")
        lines.append(Line(title: "autoscale", id: r.id, status: r.status.rawValue, story: "dave (finance) AND alice (sre)"))

        r = try await open("bob", "cache.purge", "cdn/global", "prod", "purge poisoned price cache", risk: ["blast_radius": "100", "rollback_available": "no"])
        clock.advance(minutes: 20)
        let escalated = try await approvals.tick(signer: people["sweeper"]!)
        r = try await vote("frank", r.id, "paged; purge is the fix")
        lines.append(Line(title: "emergency cache purge", id: r.id, status: r.status.rawValue, story: "no SRE in 15m: tick escalated (\(escalated.count) event) to sre-leads; frank approved"))

        r = try await open("alice", "deploy.promote", "svc/search", "prod", "search v7 rollout", risk: safe)
        clock.advance(minutes: 150)
        _ = try await approvals.tick(signer: people["sweeper"]!)
        r = try await approvals.request(r.id)!
        lines.append(Line(title: "unanswered request", id: r.id, status: r.status.rawValue, story: "nobody voted within its 2h ttl; tick expired it"))

        r = try await open("alice", "deploy.promote", "svc/payments", "prod", "payments v42", risk: safe)
        let selfApproval = try await refused { try await vote("alice", r.id, "looks good to me") }
        r = try await vote("bob", r.id, "reviewed the diff")
        lines.append(Line(title: "self-approval", id: r.id, status: r.status.rawValue, story: "alice approving her own request was refused (\(selfApproval), recorded); bob approved"))

        r = try await open("bob", "deploy.promote", "svc/cart", "prod", "cart v13", risk: safe)
        r = try await vote("alice", r.id, "ok")
        r = try await execute(r.id, succeeded: false)
        clock.advance(minutes: 4)
        r = try await approvals.rollback(r.id, reason: "5xx rate 4% after deploy", signer: people["deploy-bot"]!)
        clock.advance(minutes: 11)
        r = try await approvals.recover(r.id, detail: "5xx back to 0.1%", signer: people["deploy-bot"]!)
        lines.append(Line(title: "failed execution", id: r.id, status: r.status.rawValue, story: "execution failed, rolled back 4m later, recovered after 15m"))
        if withErasure { lines.append(try await erasure()) }

        r = try await open("carol", "config.update", "svc/search", "dev", "raise log level", risk: safe.merging(["blast_radius": "1"]) { $1 })
        lines.append(Line(title: "low-risk change", id: r.id, status: r.status.rawValue, story: r.decisionExplanation ?? ""))

        clock.advance(minutes: 30)
        r = try await approvals.bypass(
            OpenRequest(requestID: Approvals.newRequestID(), action: "cache.purge", resource: "cdn/eu", environment: "prod", summary: "purge after origin outage", riskInputs: ["blast_radius": "50"]),
            reason: "INC-4411: origin served errors for 12 min", signer: people["bob"]!)
        clock.advance(minutes: 90)
        r = try await approvals.closeReview(r.id, accepted: true, reason: "justified, see INC-4411 postmortem", signer: people["frank"]!)
        lines.append(Line(title: "break-glass bypass", id: r.id, status: r.status.rawValue, story: "bob acted without approval; frank (sre-lead) closed the review in 90m"))
        return lines
    }

    /// A service's note that names a customer, erased on request: the erasure is recorded
    /// (`payload.redacted`) and verify reports it as information, not as a deletion.
    func erasure() async throws -> Line {
        let note = try await ledger.append(
            EventDraft(type: "deploy.notified", stream: "notify-svc-cart", payload: [
                "message": "rollback of cart v13 reported to the customer who raised the ticket",
                "customer": "jane.doe@example.com",
            ]),
            signer: people["deploy-bot"]!)
        let record = try await ledger.redact(
            seq: note.envelope.seq, reason: "erasure request from the customer (PRIV-77)", basis: "GDPR Art. 17(1)(a)", signer: people["dpo"]!)
        return Line(
            title: "erased payload", id: "event \(note.envelope.seq)", status: "redacted",
            story: "a deploy note named a customer; dpo erased it, recorded at seq \(record.envelope.seq)")
    }
}
