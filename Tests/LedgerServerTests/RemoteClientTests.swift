import Foundation
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The remote CLI (`ledger --server URL …`) and the Python example client against a real
/// `ledger serve` on a loopback port: every request signed with the caller's own key (RFC
/// 9421), every write carrying the caller's signed command, the events verifying afterwards.
@Suite(.serialized)
struct RemoteClientTests {
    /// The harness's ledger with keys of their own for the CI job and three approvers.
    struct Team {
        let harness: ServerHarness
        var url: String { "http://127.0.0.1:\(harness.port)" }

        init() throws {
            harness = try ServerHarness()
            for (name, identity, capabilities) in [
                ("ci", "deploy-bot", ["request", "execute"]), ("alice", "alice", ["approve"]), ("bob", "bob", ["approve"]),
                ("carol", "carol", ["approve"]),
            ] {
                try RemoteClientTests.expectSuccess(harness.ledger(["key", "generate", "--out", "\(name).pem"]))
                try RemoteClientTests.expectSuccess(harness.ledger(
                    ["--ledger", harness.ledgerPath, "--key", "root.pem", "key", "register", "--identity", identity,
                     "--public-key", "\(name).pem.pub"] + capabilities.flatMap { ["--capability", $0] }))
            }
        }

        /// `ledger --server URL --key WHO.pem ARGS`, run from the harness's directory (a laptop
        /// with no ledger file).
        func remote(_ who: String, _ arguments: [String]) throws -> ProcessResult {
            try harness.ledger(["--server", url, "--key", "\(who).pem"] + arguments)
        }

        func python(_ who: String, _ arguments: [String]) throws -> ProcessResult {
            let script = TestPaths.packageRoot.appendingPathComponent("docs/examples/ledger_client.py").path
            return try ProcessRunner.run("python3", [script, "--server", url, "--key", harness.directory.file("\(who).pem")] + arguments,
                                         currentDirectory: harness.directory.path)
        }

        /// Stops the server, then `ledger verify` on its file, and the origins of its events.
        func stopAndVerify() throws -> [[String: Any]] {
            #expect(harness.stop() == .exited(0), "\(harness.serverLog)")
            let verified = try harness.ledger(["--ledger", harness.ledgerPath, "verify"])
            #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
            return try harness.loggedEvents()
        }
    }

    static func expectSuccess(_ result: ProcessResult, sourceLocation: SourceLocation = #_sourceLocation) throws {
        guard result.status == 0 else {
            throw HTTPConnection.HTTPFailure(message: "exit \(result.status): \(result.stderr)\(result.stdout)")
        }
    }

    /// The origin of every event of `stream` of `type`.
    static func origins(_ events: [[String: Any]], stream: String, type: String) -> [[String: Any]] {
        events.filter { ($0["envelope"] as? [String: Any])?["stream"] as? String == stream && ($0["envelope"] as? [String: Any])?["type"] as? String == type }
            .compactMap { ($0["envelope"] as? [String: Any])?["origin"] as? [String: Any] }
    }

    @Test("CI opens, two approvers vote from laptops, CI's request wait returns granted; the votes are their own signed commands")
    func remoteCLIFlow() throws {
        let team = try Team()
        let opened = try team.remote("ci", [
            "request", "open", "--id", "req-remote-1", "--action", "db.migrate", "--resource", "db/orders", "--env", "prod",
            "--summary", "add index on orders.created_at", "--format", "json",
        ])
        try Self.expectSuccess(opened)
        #expect(try jsonObject(opened.stdout)["status"] as? String == "pending")
        #expect(try jsonObject(opened.stdout)["requester"] as? String == "deploy-bot")

        // CI waits while the approvers vote.
        let waiting = try ChildProcess(
            TestPaths.ledgerBinary.path,
            ["--server", team.url, "--key", team.harness.directory.file("ci.pem"), "request", "wait", "req-remote-1", "--timeout", "120s", "--format", "json"])

        let carol = try team.remote("carol", ["approve", "req-remote-1", "--reason", "migration plan reviewed", "--format", "json"])
        try Self.expectSuccess(carol)
        #expect(try jsonObject(carol.stdout)["status"] as? String == "pending")
        let alice = try team.remote("alice", ["approve", "req-remote-1", "--reason", "replica lag fine"])
        try Self.expectSuccess(alice)
        #expect(alice.stdout.hasPrefix("alice voted to approve req-remote-1: now granted"))

        let output = String(decoding: ChildProcess.readToEnd(waiting.stdout), as: UTF8.self)
        #expect(waiting.wait() == .exited(0))
        #expect(try jsonObject(output)["status"] as? String == "granted")

        // The same answers as the local commands: show, and a refusal's code and exit status.
        let shown = try team.remote("ci", ["request", "show", "req-remote-1", "--format", "json"])
        let local = try team.harness.ledger(["--ledger", team.harness.ledgerPath, "request", "show", "req-remote-1", "--format", "json"])
        #expect(shown.stdout == local.stdout)
        let shownText = try team.remote("ci", ["request", "show", "req-remote-1"])
        let localText = try team.harness.ledger(["--ledger", team.harness.ledgerPath, "request", "show", "req-remote-1"])
        #expect(shownText.stdout == localText.stdout)
        let again = try team.remote("bob", ["approve", "req-remote-1", "--reason", "late"])
        #expect(again.status == 3, "\(again.stderr)")
        #expect(again.stderr.contains("["), "\(again.stderr)")
        let missing = try team.remote("ci", ["request", "show", "req-none"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("[not-found]"), "\(missing.stderr)")

        let executed = try team.remote("ci", ["execute", "req-remote-1", "--outcome", "succeeded", "--detail", "pipeline 77"])
        try Self.expectSuccess(executed)
        #expect(executed.stdout == "execution succeeded recorded for req-remote-1\n")

        let events = try team.stopAndVerify()
        let votes = Self.origins(events, stream: "req-remote-1", type: "vote.cast")
        #expect(votes.count == 2)
        for origin in votes {
            #expect(origin["keyId"] is String && origin["signature"] is String && origin["nonce"] is String && origin["hash"] is String)
            #expect(origin["via"] == nil)
        }
        #expect(Self.origins(events, stream: "req-remote-1", type: "request.opened").first?["keyId"] is String)
    }

    @Test("log and metrics over --server print what the local commands print")
    func remoteReads() throws {
        let team = try Team()
        let remoteLog = try team.remote("alice", ["log", "--format", "json"])
        let localLog = try team.harness.ledger(["--ledger", team.harness.ledgerPath, "log", "--format", "json"])
        try Self.expectSuccess(remoteLog)
        #expect(remoteLog.stdout == localLog.stdout)
        let remoteText = try team.remote("alice", ["log", "--from", "2", "--limit", "3"])
        let localText = try team.harness.ledger(["--ledger", team.harness.ledgerPath, "log", "--from", "2", "--limit", "3"])
        #expect(remoteText.stdout == localText.stdout)
        let metrics = try team.remote("alice", ["metrics", "--format", "prometheus"])
        try Self.expectSuccess(metrics)
        #expect(metrics.stdout.contains("# TYPE"))
        _ = try team.stopAndVerify()
    }

    @Test("the Python example signs an open and votes, waits for the decision, and prints JSON")
    func pythonClient() throws {
        let team = try Team()
        let opened = try team.python("ci", [
            "open", "--id", "req-py-1", "--action", "deploy.promote", "--resource", "svc/checkout", "--env", "prod",
            "--summary", "canary to 100%",
        ])
        try Self.expectSuccess(opened)
        #expect(try jsonObject(opened.stdout)["status"] as? String == "pending")
        let voted = try team.python("bob", ["vote", "req-py-1", "approve", "--reason", "dashboards clean"])
        try Self.expectSuccess(voted)
        let waited = try team.python("ci", ["wait", "req-py-1", "--timeout", "30"])
        try Self.expectSuccess(waited)
        #expect(try jsonObject(waited.stdout)["status"] as? String == "granted")
        // A replayed HTTP request or a vote by a key the ledger does not know: problems.
        let stranger = try team.harness.ledger(["key", "generate", "--out", "stranger.pem"])
        try Self.expectSuccess(stranger)
        let refused = try team.python("stranger", ["vote", "req-py-1", "deny"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("[key-unknown]"), "\(refused.stderr)")

        let events = try team.stopAndVerify()
        let votes = Self.origins(events, stream: "req-py-1", type: "vote.cast")
        #expect(votes.count == 1)
        #expect(votes.first?["keyId"] is String)
    }
}

/// Parses one line of JSON output with Foundation, independent of the code under test.
private func jsonObject(_ text: String) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
}
