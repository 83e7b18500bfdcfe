import ApprovalLedger
import Foundation
import LedgerServer
import Synchronization
import TestSupport

/// A ledger with seven weeks of demo-like history (`ledger demo`'s scenarios, varied week by
/// week), built in-process on a clock in the past, then served by `ledger serve`: what the
/// dashboard and Prometheus tests look at. It ends with requests pending now (one about to
/// pass its deadline), recent escalations, an overdue break-glass review, refused attempts by
/// several identities, and votes relayed through tokens beside own-key ones.
final class DashboardFixture: Sendable {
    let server: ServerHarness
    let ledger: Ledger
    let approvals: Approvals
    let people: [String: Signer]
    let root: Signer
    let serverKeyID: KeyID
    /// A pending request whose approvers are slow: refused attempts may be added on it.
    let slowRequestID: String
    static let smokeTTLSeconds = 12

    /// The `ledger demo` policy, plus a rule with a short deadline for the smoke check.
    static var policy: String {
        get throws {
            let demo = try String(contentsOf: TestPaths.packageRoot.appendingPathComponent("Sources/LedgerCLI/demo-policy.yaml"), encoding: .utf8)
            let smoke = """
                  - name: smoke-check
                    match: {action: "smoke.*"}
                    require: {groups: {sre: 1}}
                    ttl: \(smokeTTLSeconds)s

                  # Everything else in production
                """
            return demo.replacingOccurrences(of: "  # Everything else in production", with: smoke)
        }
    }

    static let team: [(String, [Capability])] = [
        ("alice", [.request, .approve]), ("bob", [.request, .approve]), ("carol", [.request, .approve]),
        ("dave", [.approve]), ("frank", [.request, .approve]), ("grace", [.approve]), ("deploy-bot", [.request, .execute]),
        ("mallory", [.approve]), ("sweeper", [.clock]),
    ]

    /// A clock the history is written on: set in the past, advanced by hand; the real clock
    /// once `live`.
    final class Clock: Sendable {
        let time: Mutex<Timestamp?>
        init(_ start: Timestamp) { time = Mutex(start) }
        func now() -> Timestamp { time.withLock { $0 } ?? SystemClock.now() }
        func set(_ value: Timestamp) { time.withLock { $0 = value } }
        func goLive() { time.withLock { $0 = nil } }
        func advance(minutes: Int64) { time.withLock { $0 = $0?.adding(milliseconds: minutes * 60_000) } }
    }

    init(server: ServerHarness, ledger: Ledger, people: [String: Signer], root: Signer, serverKeyID: KeyID, slow: String) {
        self.server = server
        self.ledger = ledger
        self.approvals = Approvals(ledger: ledger)
        self.people = people
        self.root = root
        self.serverKeyID = serverKeyID
        self.slowRequestID = slow
    }

    static func make() async throws -> DashboardFixture {
        let directory = try TemporaryDirectory()
        let ledgerPath = directory.file("ops.ledger")
        let realNow = SystemClock.now().millisecondsSinceEpoch
        let clock = Clock(Timestamp(millisecondsSinceEpoch: DashboardFigures.weekStart(realNow) - 7 * DashboardFigures.weekMs + 9 * 3_600_000))
        var configuration = LedgerConfiguration()
        configuration.clock = { clock.now() }
        configuration.durability = .normal
        let root = Signer(identity: "root", key: try Ed25519PrivateKey())
        try KeyFile.writePrivateKey(root.key, toPath: directory.file("root.pem"))
        let ledger = try await Ledger.create(at: ledgerPath, root: root, configuration: configuration)
        let serverKey = try Ed25519PrivateKey()
        try KeyFile.writePrivateKey(serverKey, toPath: directory.file("server.pem"))
        try await ledger.registerKey(serverKey.publicKey, identity: "ledger-server", capabilities: LedgerServer.requiredCapabilities, signer: root)
        var people: [String: Signer] = [:]
        for (identity, capabilities) in team {
            let key = try Ed25519PrivateKey()
            try await ledger.registerKey(key.publicKey, identity: identity, capabilities: capabilities, signer: root)
            people[identity] = Signer(identity: identity, key: key)
        }
        let approvals = Approvals(ledger: ledger)
        try await approvals.publish(try Policy(yaml: try policy), signer: root)
        let script = Script(approvals: approvals, clock: clock, people: people)
        for week in 0..<7 {
            clock.set(Timestamp(millisecondsSinceEpoch: DashboardFigures.weekStart(realNow) - Int64(7 - week) * DashboardFigures.weekMs + 9 * 3_600_000))
            try await script.week(week)
        }
        // Today: things in flight, timed from a few hours ago.
        clock.set(Timestamp(millisecondsSinceEpoch: realNow - 3 * 3_600_000))
        let (slow, _) = try await script.today()
        clock.goLive()

        var tokens: [String: String] = [:]
        for (name, identity, capabilities) in [("reader", "auditor", [String]()), ("bob", "bob", ["approve", "request"]), ("alice", "alice", ["approve", "request"])] {
            let result = try ProcessRunner.run(
                TestPaths.ledgerBinary.path,
                ["token", "create", "--ledger", ledgerPath, "--name", name, "--identity", identity, "--expires-in", "1d"] + capabilities.flatMap { ["--capability", $0] },
                currentDirectory: directory.path)
            guard result.status == 0 else { throw HTTPConnection.HTTPFailure(message: "token create: \(result.stderr)") }
            tokens[name] = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let server = try ServerHarness(directory: directory, ledgerPath: ledgerPath, tokens: tokens)
        let fixture = DashboardFixture(server: server, ledger: ledger, people: people, root: root, serverKeyID: serverKey.publicKey.keyID, slow: slow)
        // Votes relayed through tokens (origin.via = token:…), beside the own-key ones above.
        for (token, body) in [("bob", #"{"decision":"approve","reason":"canary clean"}"#), ("alice", #"{"decision":"approve","reason":"checked"}"#)] {
            let pending = try await approvals.list(status: [.pending]).first { $0.environment == "staging" && $0.requester != token }
            guard let id = pending?.requestID else { continue }
            let response = try server.request("POST", "/v1/requests/\(id)/votes", as: token, json: body)
            guard response.status == 200 else { throw HTTPConnection.HTTPFailure(message: "relayed vote: \(response.status) \(response.text)") }
        }
        return fixture
    }

    /// Revokes the server's key, so its sweeper can no longer expire anything: the smoke
    /// request then stalls once its deadline passes (what the stalled-requests alert is for).
    func stopTheSweeper() async throws {
        _ = try await ledger.revokeKey(serverKeyID, reason: "test: the sweeper stops keeping time", signer: root)
    }

    /// `count` refused attempts by mallory (not an eligible approver) on the slow request.
    func refusedAttempts(_ count: Int) async throws {
        for _ in 0..<count {
            do {
                _ = try await approvals.approve(slowRequestID, reason: "let me", signer: people["mallory"]!)
            } catch is ApprovalError {}
        }
    }

    /// The scenarios, written on `clock`.
    struct Script {
        let approvals: Approvals
        let clock: Clock
        let people: [String: Signer]
        static let safe = ["rollback_available": "yes", "change_size": "40"]
        /// Enough risk that the policy asks people (below 20 it is granted at once).
        static let staging = ["rollback_available": "yes", "change_size": "400", "blast_radius": "60"]

        func open(_ who: String, _ action: String, _ resource: String, _ env: String, _ summary: String, risk: [String: String], digest: String? = nil, links: Bool = true) async throws -> RequestState {
            clock.advance(minutes: 5)
            return try await approvals.open(
                OpenRequest(
                    requestID: Approvals.newRequestID(), action: action, resource: resource, environment: env, summary: summary,
                    links: links ? ["https://git.example.com/acme/ops/pull/\(Int.random(in: 100...999))"] : [], changeDigest: digest, release: "2026.11.2",
                    riskInputs: risk),
                signer: people[who]!)
        }

        @discardableResult
        func vote(_ who: String, _ id: String, after minutes: Int64 = 3, approve: Bool = true, _ reason: String) async throws -> RequestState {
            clock.advance(minutes: minutes)
            return approve
                ? try await approvals.approve(id, reason: reason, signer: people[who]!)
                : try await approvals.deny(id, reason: reason, signer: people[who]!)
        }

        func execute(_ id: String, succeeded: Bool = true, digest: String? = nil) async throws {
            clock.advance(minutes: 2)
            _ = try await approvals.execute(id, succeeded: succeeded, changeDigest: digest, detail: "pipeline run", signer: people["deploy-bot"]!)
        }

        func refused(_ body: () async throws -> RequestState) async throws {
            do { _ = try await body() } catch is ApprovalError {}
        }

        /// One week of traffic, slower and busier as the weeks go by.
        func week(_ week: Int) async throws {
            let w = Int64(week)
            for day in 0..<3 {
                clock.advance(minutes: Int64(day) * 24 * 60)
                var r = try await open("alice", "deploy.promote", "svc/checkout", "prod", "checkout v\(week * 3 + day)", risk: Self.safe.merging(["blast_radius": "30"]) { $1 })
                try await vote("bob", r.id, after: 6 + 4 * w + Int64(day) * 3, "canary flat")
                try await execute(r.id)

                r = try await open("bob", "deploy.promote", "svc/search", "staging", "search v\(week)\(day)", risk: Self.staging)
                try await vote("alice", r.id, after: 2 + w, "ok on staging")
                try await execute(r.id)
            }
            let digest = SHA256.hash(Array("ALTER TABLE orders ADD INDEX w\(week)".utf8)).hex
            var r = try await open("alice", "db.migrate", "db/orders", "prod", "index for week \(week)", risk: ["blast_radius": "60", "rollback_available": "no"], digest: digest)
            try await vote("carol", r.id, after: 25 + 5 * w, "online-safe")
            try await refused { try await approvals.approve(r.id, reason: "lgtm", signer: people["alice"]!) }
            try await vote("bob", r.id, after: 20, "runbook checked")
            try await refused { try await approvals.execute(r.id, succeeded: true, changeDigest: SHA256.hash([1]).hex, detail: nil, signer: people["deploy-bot"]!) }
            try await execute(r.id, digest: digest)

            r = try await open("bob", "firewall.open", "fw/edge", "prod", "open 22/tcp from 0.0.0.0/0", risk: ["blast_radius": "100", "rollback_available": "yes"])
            try await refused { try await approvals.approve(r.id, reason: "fine", signer: people["mallory"]!) }
            try await vote("grace", r.id, after: 30, approve: week % 3 == 0, week % 3 == 0 ? "via the bastion only" : "SSH to the world; use the bastion")

            r = try await open("bob", "deploy.promote", "svc/cart", "prod", "cart v\(week)", risk: Self.safe)
            try await vote("alice", r.id, after: 12 + 2 * w, "diff reviewed")
            if week % 2 == 1 {
                try await execute(r.id, succeeded: false)
                clock.advance(minutes: 4)
                _ = try await approvals.rollback(r.id, reason: "5xx rate 4% after deploy", signer: people["deploy-bot"]!)
                clock.advance(minutes: 11)
                _ = try await approvals.recover(r.id, detail: "5xx back to 0.1%", signer: people["deploy-bot"]!)
            } else {
                try await execute(r.id)
            }

            r = try await open("bob", "cache.purge", "cdn/global", "prod", "purge poisoned price cache", risk: ["blast_radius": "100", "rollback_available": "no"])
            clock.advance(minutes: 20)
            _ = try await approvals.tick(signer: people["sweeper"]!)
            try await vote("frank", r.id, after: 4, "paged; purge is the fix")

            if week % 3 == 2 {
                r = try await open("alice", "deploy.promote", "svc/search", "prod", "search rollout", risk: Self.safe)
                clock.advance(minutes: 150)
                _ = try await approvals.tick(signer: people["sweeper"]!)
            }
            _ = try await open("carol", "config.update", "svc/search", "dev", "raise log level", risk: Self.safe.merging(["blast_radius": "1"]) { $1 })

            if week == 2 || week == 6 {
                clock.advance(minutes: 30)
                r = try await approvals.bypass(
                    OpenRequest(requestID: Approvals.newRequestID(), action: "cache.purge", resource: "cdn/eu", environment: "prod", summary: "purge after origin outage", riskInputs: ["blast_radius": "50"]),
                    reason: "INC-44\(week): origin served errors", signer: people["bob"]!)
                // Week 6's review is never closed: overdue a few days later.
                if week == 2 {
                    clock.advance(minutes: 90)
                    _ = try await approvals.closeReview(r.id, accepted: true, reason: "justified, see the postmortem", signer: people["frank"]!)
                }
            }
        }

        /// The last few hours: what is pending now. Returns the slow request's id.
        func today() async throws -> (String, String) {
            let purge = try await open("bob", "cache.purge", "cdn/us", "prod", "purge stale assets", risk: ["blast_radius": "40", "rollback_available": "no"])
            clock.advance(minutes: 20)
            _ = try await approvals.tick(signer: people["sweeper"]!)
            try await vote("frank", purge.id, after: 5, "paged; go")

            let migrate = try await open("alice", "db.migrate", "db/payments", "prod", "add column payments.refund_reason",
                                         risk: ["blast_radius": "60", "rollback_available": "no"], digest: SHA256.hash(Array("ALTER payments".utf8)).hex)
            try await vote("carol", migrate.id, after: 20, "online-safe")
            _ = try await open("bob", "autoscale.raise", "k8s/checkout", "prod", "max replicas 40 -> 120 for the sale",
                               risk: ["blast_radius": "20", "rollback_available": "yes"])
            _ = try await open("frank", "deploy.promote", "svc/ledger-ui", "staging", "ledger-ui v2 on staging", risk: Self.staging)
            _ = try await open("carol", "deploy.promote", "svc/search", "staging", "search v8 on staging", risk: Self.staging)
            _ = try await open("alice", "deploy.promote", "svc/cart", "staging", "cart v14 on staging", risk: Self.staging)
            let slow = try await open("bob", "firewall.open", "fw/office", "prod", "allow 443 from the new office", risk: ["blast_radius": "10", "rollback_available": "yes"])
            try await refused { try await approvals.approve(slow.id, reason: "approve", signer: people["mallory"]!) }
            clock.advance(minutes: 60)
            let late = try await open("bob", "cache.purge", "cdn/apac", "prod", "purge after bad config push", risk: ["blast_radius": "30", "rollback_available": "no"])
            clock.advance(minutes: 20)
            _ = try await approvals.tick(signer: people["sweeper"]!)
            _ = try await open("frank", "deploy.promote", "svc/payments", "prod", "payments v43", risk: Self.safe, links: false)
            return (slow.id, late.id)
        }
    }
}

extension DashboardFixture {
    /// Stops the sweeper, then opens the smoke request (with a refused self-approval) and waits
    /// until it is pending past its deadline, as `/metrics` shows it (`ledger_requests_stalled
    /// 1`). Opened only once the sweeper has stopped: opened earlier, a slow machine would let
    /// the sweeper expire it first, and it would never stall.
    func stallTheSmokeRequest() async throws {
        try await stopTheSweeper()
        let smoke = try await approvals.open(
            OpenRequest(
                requestID: Approvals.newRequestID(), action: "smoke.check", resource: "svc/checkout", environment: "prod", summary: "post-deploy smoke check",
                links: ["https://ci.example.com/acme/checkout/runs/8812"], riskInputs: ["blast_radius": "10"]),
            signer: people["alice"]!).id
        do { _ = try await approvals.approve(smoke, reason: "mine", signer: people["alice"]!) } catch is ApprovalError {}
        let giveUp = Date().addingTimeInterval(Double(Self.smokeTTLSeconds) + 30)
        while Date() < giveUp {
            let metrics = try server.request("GET", "/metrics", as: "reader").text
            if metrics.split(separator: "\n").contains("ledger_requests_stalled 1") { return }
            try await Task.sleep(for: .milliseconds(500))
        }
        throw HTTPConnection.HTTPFailure(message: "the smoke request never stalled")
    }
}
