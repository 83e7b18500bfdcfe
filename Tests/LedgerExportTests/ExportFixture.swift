import ApprovalLedger
import Foundation
import Synchronization
import TestSupport

/// A ledger of approvals over three days, on a clock the fixture sets, in a temporary
/// directory:
/// - 2026-11-01: `req-a` opened by alice, approved by bob, executed; a note in `svc-notes`.
/// - 2026-11-02: `req-b` opened and denied; `req-c` opened; a note.
/// - 2026-11-03: `req-c` approved; `req-d` opened and left pending.
struct ExportFixture {
    let directory: TemporaryDirectory
    let ledger: Ledger
    let root: Signer
    /// Requests (and appends) and executes; approves as the policy's one SRE.
    let alice: Signer
    let bob: Signer
    let clock: SetClock

    static let policy = """
        version: 1
        name: svc
        groups: {sre: [bob]}
        risk: {factors: {blast_radius: {weight: 1, max: 100}}}
        rules:
          - name: prod
            match: {environment: prod}
            require: {groups: {sre: 1}}
            reason_required: {deny: true}
            ttl: 72h
        """

    static func day(_ day: Int, _ time: String) -> Timestamp {
        Timestamp("2026-11-0\(day)T\(time):00.000Z")!
    }

    /// - Parameter requests: false for the keys and the policy alone, without the requests and notes.
    static func make(requests: Bool = true) async throws -> ExportFixture {
        let directory = try TemporaryDirectory()
        let clock = SetClock(Self.day(1, "08:00"))
        var configuration = LedgerConfiguration()
        configuration.clock = { clock.now() }
        let root = Signer(identity: "root", key: try Ed25519PrivateKey())
        let ledger = try await Ledger.create(at: directory.file("ops.ledger"), root: root, configuration: configuration)
        let alice = Signer(identity: "alice", key: try Ed25519PrivateKey())
        let bob = Signer(identity: "bob", key: try Ed25519PrivateKey())
        try await ledger.registerKey(alice.key.publicKey, identity: "alice", capabilities: [.request, .execute, .append], signer: root)
        try await ledger.registerKey(bob.key.publicKey, identity: "bob", capabilities: [.approve], signer: root)
        let approvals = Approvals(ledger: ledger)
        try await approvals.publish(try Policy(yaml: policy), signer: root)
        let fixture = ExportFixture(directory: directory, ledger: ledger, root: root, alice: alice, bob: bob, clock: clock)
        guard requests else { return fixture }
        func open(_ id: String, _ summary: String, at time: Timestamp) async throws {
            clock.set(time)
            _ = try await approvals.open(
                OpenRequest(requestID: id, action: "deploy.promote", resource: "svc/\(id)", environment: "prod", summary: summary,
                            riskInputs: ["blast_radius": "30"]),
                signer: alice)
        }
        func note(_ text: String, at time: Timestamp) async throws {
            clock.set(time)
            try await ledger.append(EventDraft(type: "deploy.note", stream: "svc-notes", payload: ["text": .string(text)]), signer: alice)
        }

        try await open("req-a", "checkout v1", at: day(1, "09:00"))
        clock.set(day(1, "09:10"))
        _ = try await approvals.approve("req-a", reason: "fine", signer: bob)
        clock.set(day(1, "09:20"))
        _ = try await approvals.execute("req-a", succeeded: true, signer: alice)
        try await note("day one", at: day(1, "10:00"))

        try await open("req-b", "cart v2, with \"quotes\", commas\nand a newline", at: day(2, "09:00"))
        clock.set(day(2, "09:30"))
        _ = try await approvals.deny("req-b", reason: "secret: not during the freeze", signer: bob)
        try await open("req-c", "=HYPERLINK(\"http://evil\")", at: day(2, "11:00"))
        try await note("day two", at: day(2, "12:00"))

        clock.set(day(3, "09:00"))
        _ = try await approvals.approve("req-c", reason: "ok", signer: bob)
        try await open("req-d", "search v3", at: day(3, "10:00"))
        return fixture
    }

    /// The scope of 2026-11-02 alone.
    static let dayTwo = ExportScope(since: day(2, "00:00"), until: day(3, "00:00"))

    /// Writes a bundle of `scope` signed with the root key and returns its path.
    /// `selectsRequests`: a request bundle of the scope's requests.
    func bundle(_ scope: ExportScope = ExportScope(), name: String = "bundle", selectsRequests: Bool = false) async throws -> String {
        var plan = try ExportPlan.make(ledger: ledger, scope: scope)
        let checkpoints = try await BundleAnchoring.checkpoints(
            for: &plan, ledger: ledger, anchors: [], key: root.key, now: Self.day(4, "00:00"))
        let path = directory.file(name)
        _ = try BundleExport.write(ledger: ledger, plan: plan, checkpoints: checkpoints, selectsRequests: selectsRequests, to: path)
        return path
    }

    /// The events of `scope` as JSON Lines text.
    func jsonLines(_ scope: ExportScope) throws -> String {
        let plan = try ExportPlan.make(ledger: ledger, scope: scope)
        let path = directory.file("export-\(UUID().uuidString).jsonl")
        let output = try OutputFile(path: path)
        _ = try JSONLinesExport.write(ledger: ledger, plan: plan, to: output)
        try output.finish()
        return try String(contentsOfFile: path, encoding: .utf8)
    }
}

/// A clock the test sets by hand.
final class SetClock: Sendable {
    private let time: Mutex<Timestamp>

    init(_ start: Timestamp) { time = Mutex(start) }

    func set(_ value: Timestamp) { time.withLock { $0 = value } }

    func now() -> Timestamp { time.withLock { $0 } }
}

/// Runs `Tools/verify_bundle.py`, the independent verifier, on a bundle.
func pythonVerify(_ bundle: String, _ arguments: [String] = []) throws -> ProcessResult {
    let script = TestPaths.packageRoot.appendingPathComponent("Tools/verify_bundle.py").path
    return try ProcessRunner.run("python3", [script, bundle] + arguments)
}

/// Parses JSON with Foundation, independent of the code under test.
func foundationJSON(_ text: String) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
}
