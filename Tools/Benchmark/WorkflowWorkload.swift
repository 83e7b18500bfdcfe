import ApprovalLedger
import Foundation
import Synchronization

/// A simulated team using the approval workflow at scale, to give the rebuild and metrics
/// benchmarks a ledger shaped like a real one: deploy requests approved (sometimes only after
/// an escalation), denied or left to expire, self-approvals refused, database migrations that
/// need a DBA and an SRE, low-risk changes granted at once, break-glass bypasses reviewed
/// later, executions that fail, roll back and recover, second runs of one-shot grants refused.
///
/// Every event comes from the pure `Decider` under a published policy, as `Approvals` would
/// append it, on a simulated clock one minute per transaction; only the batching differs: each
/// transaction carries one step of every request that has one due, appended per signer.
/// Deterministic: the same seed and size give the same ledger, apart from keys and ids.
struct WorkflowWorkload {
    static let policy = """
        version: 1
        name: bench
        groups: {sre: [ann, ben, cat, dev1], dba: [dan], leads: [lee]}
        risk:
          factors:
            environment: {weight: 50, values: {prod: 1, staging: 0.5, dev: 0}}
            blast_radius: {weight: 50, max: 100}
          levels: {low: 0, medium: 25, high: 50, critical: 75}
        rules:
          - name: low-risk
            match: {risk: {max: 19}}
            auto_approve_below: 20
          - name: db
            match: {action: db.migrate}
            require: {groups: {dba: 1, sre: 1}}
            ttl: 2h
          - name: emergency
            match: {action: cache.purge}
            require: {groups: {sre: 1}}
            ttl: 1h
            break_glass: {review_within: 4h, reviewers: [leads]}
          - name: deploy
            match: {environment: "*"}
            require: {groups: {sre: 1}}
            ttl: 2h
            escalation:
              - {after: 30m, notify: [leads], add_groups: [leads]}
        """
    static let team: [(String, [Capability])] = [
        ("dev1", [.request, .approve]), ("dev2", [.request, .approve]), ("dev3", [.request, .approve]),
        ("ann", [.request, .approve]), ("ben", [.approve]), ("cat", [.approve]), ("dan", [.approve]), ("lee", [.approve]),
        ("bot", [.execute]),
    ]
    /// A Monday far enough back that a million events (about a minute each) end before today:
    /// `ledger verify` reports an event dated beyond its clock (`time-future`).
    static let start = Timestamp("2025-01-06T00:00:00.000Z")!
    static let minute: Int64 = 60_000

    /// Requests opened per simulated minute: about 6 events each over their life.
    var opensPerMinute = 100

    struct Built {
        var ledger: Ledger
        var path: String
        var events: Int64
        var requests: Int
        var seconds: Double
        var end: Timestamp
    }

    /// One scripted step: at `at`, `actor` issues `command`.
    struct Step {
        var at: Int64
        var actor: String
        var command: ApprovalCommand
    }

    /// A request in flight and the steps left in its script.
    struct Flight {
        var id: String
        var events: [RequestEvent] = []
        var steps: [Step]
    }

    /// Builds a ledger of at least `events` events at `path` (durability `normal`: a bulk
    /// import), logging progress every 10%.
    func build(at path: String, events target: Int, log: (String) -> Void) async throws -> Built {
        let clock = SimulatedClock()
        var configuration = LedgerConfiguration()
        configuration.durability = .normal
        configuration.clock = { clock.now }
        let root = Signer(identity: "root", key: try Ed25519PrivateKey())
        let ledger = try await Ledger.create(at: path, root: root, configuration: configuration)
        var signers = ["root": root]
        for (identity, capabilities) in Self.team {
            let signer = Signer(identity: identity, key: try Ed25519PrivateKey())
            try await ledger.registerKey(signer.key.publicKey, identity: identity, capabilities: capabilities, signer: root)
            signers[identity] = signer
        }
        let published = try await Approvals(ledger: ledger).publish(try Policy(yaml: Self.policy), signer: root)

        var random = SplitMix64(seed: 42)
        var flights: [Flight] = []
        var appended = Int64(try await ledger.head().size)
        var requests = 0
        var time = Self.start.millisecondsSinceEpoch + Self.minute
        var nextLog = target / 10
        let began = ContinuousClock.now
        while appended < Int64(target) {
            for _ in 0..<opensPerMinute {
                requests += 1
                flights.append(Flight(id: "req-\(String(requests, radix: 16))", steps: Self.script(requests, at: time, &random)))
            }
            let now = Timestamp(millisecondsSinceEpoch: time)
            // One due step per request; drafts grouped by signer (a request's events in one
            // transaction all come from one command, so grouping keeps each stream in order).
            var groups: [String: [(flight: Int, draft: EventDraft)]] = [:]
            for index in flights.indices {
                guard let step = flights[index].steps.first, step.at <= time else { continue }
                flights[index].steps.removeFirst()
                let state = RequestState.fold(flights[index].events)
                let decision = Decider.decide(state: state, command: step.command, actor: step.actor, policy: published, now: now)
                for event in decision.events {
                    groups[step.actor, default: []].append((index, EventDraft(type: event.type, stream: flights[index].id, payload: event.payload)))
                }
            }
            let ordered = Array(groups)
            let batches = ordered.map { (signer: signers[$0.key]!, drafts: $0.value.map(\.draft)) }
            let recorded = try await ledger.transaction(at: now) { tx in
                try batches.map { try tx.append($0.drafts, signer: $0.signer) }
            }
            for ((_, items), events) in zip(ordered, recorded) {
                for (item, event) in zip(items, events) {
                    let e = event.envelope
                    flights[item.flight].events.append(RequestEvent(
                        seq: e.seq, streamVersion: e.streamVersion, time: e.time, actor: e.actor, type: e.type, payload: item.draft.payload))
                    appended = max(appended, e.seq)
                }
            }
            flights.removeAll { $0.steps.isEmpty }
            if appended >= Int64(nextLog) {
                log("  workflow ledger: \(appended) of \(target) events, \(requests) requests")
                nextLog += target / 10
            }
            time += Self.minute
            clock.now = Timestamp(millisecondsSinceEpoch: time)
        }
        let elapsed = ContinuousClock.now - began
        return Built(
            ledger: ledger, path: path, events: appended, requests: requests, seconds: elapsed.seconds,
            end: Timestamp(millisecondsSinceEpoch: time))
    }

    /// The script of the `number`-th request, opened at `at`.
    static func script(_ number: Int, at time: Int64, _ random: inout SplitMix64) -> [Step] {
        let id = "req-\(String(number, radix: 16))"
        let requester = ["dev1", "dev2", "dev3"][Int(random.next() % 3)]
        let roll = random.unit()
        func minutes(_ range: ClosedRange<Int>) -> Int64 { Int64(Int(random.next() % UInt64(range.count)) + range.lowerBound) * minute }
        func request(_ action: String, _ environment: String, blast: Int) -> OpenRequest {
            OpenRequest(
                requestID: id, action: action, resource: "svc/\(["checkout", "search", "cart", "payments", "auth"][number % 5])",
                environment: environment, summary: "\(action) release 2027.\(number % 97)",
                links: ["https://git.example.com/acme/ops/pull/\(number)"],
                changeDigest: SHA256.hash(Array("change \(number)".utf8)).hex, release: "2027.\(number % 97)",
                riskInputs: ["blast_radius": String(blast)])
        }
        let digest = SHA256.hash(Array("change \(number)".utf8)).hex
        func execution(after start: Int64) -> [Step] {
            var at = start + minutes(2...10)
            let failed = random.unit() < 0.08
            var steps = [Step(at: at, actor: "bot", command: .execute(succeeded: !failed, changeDigest: digest, detail: "pipeline \(number)"))]
            if failed {
                if random.unit() < 0.6 {
                    at += minutes(1...5)
                    steps.append(Step(at: at, actor: "bot", command: .rollback(reason: "error rate up")))
                }
                at += minutes(5...40)
                steps.append(Step(at: at, actor: "bot", command: .recover(detail: "error rate back to normal")))
            } else if random.unit() < 0.02 {
                steps.append(Step(at: at + minutes(1...5), actor: "bot", command: .execute(succeeded: true, changeDigest: digest, detail: "rerun")))
            }
            return steps
        }

        if roll < 0.10 {
            // Low risk: granted when opened.
            return [Step(at: time, actor: requester, command: .open(request("config.update", "dev", blast: 10)))] + execution(after: time)
        }
        if roll < 0.12 {
            let open = request("cache.purge", "prod", blast: 50)
            return [
                Step(at: time, actor: "ann", command: .bypass(open, reason: "incident \(number)")),
                Step(at: time + minutes(30...200), actor: "lee", command: .closeReview(accepted: true, reason: "justified")),
            ]
        }
        let isMigration = roll < 0.22
        var steps = [Step(at: time, actor: requester, command: .open(isMigration ? request("db.migrate", "prod", blast: 40) : request("deploy.promote", "prod", blast: 40)))]
        if random.unit() < 0.04 {
            steps.append(Step(at: time + minute, actor: requester, command: .vote(VoteCommand(approve: true, reason: "mine", claimedIdentity: requester))))
        }
        if random.unit() < 0.03 {
            // Nobody answers: escalated at 30 minutes, expired at the deadline.
            return steps + [
                Step(at: time + 30 * minute, actor: "root", command: .tick), Step(at: time + 120 * minute, actor: "root", command: .tick),
            ]
        }
        let wait = random.unit() < 0.5 ? minutes(1...20) : minutes(5...110)
        if wait >= 30 * minute { steps.append(Step(at: time + 30 * minute, actor: "root", command: .tick)) }
        let approver = wait >= 30 * minute && random.unit() < 0.3 ? "lee" : ["ann", "ben", "cat"][Int(random.next() % 3)]
        if random.unit() < 0.10 {
            return steps + [Step(at: time + wait, actor: approver, command: .vote(VoteCommand(approve: false, reason: "not now", claimedIdentity: approver)))]
        }
        steps.append(Step(at: time + wait, actor: approver, command: .vote(VoteCommand(approve: true, reason: "ok", claimedIdentity: approver))))
        if isMigration {
            steps.append(Step(at: time + wait + minutes(1...15), actor: "dan", command: .vote(VoteCommand(approve: true, reason: "online-safe", claimedIdentity: "dan"))))
        }
        return steps + execution(after: steps.last!.at)
    }
}

/// The simulated time genesis, key registrations and the policy are stamped with.
final class SimulatedClock: Sendable {
    private let time = Mutex(WorkflowWorkload.start)

    var now: Timestamp {
        get { time.withLock { $0 } }
        set { time.withLock { $0 = newValue } }
    }
}

/// A small, fast, seedable generator (Steele, Lea and Flood's SplitMix64), so every run
/// simulates the same team.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform double in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
