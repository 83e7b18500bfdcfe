import Foundation
import TestSupport
import Testing

@Suite("The ledger binary")
struct LedgerCommandTests {
    @Test func versionAndHelpWithExamples() throws {
        let cli = try LedgerCLI()
        let version = try cli.run(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout == "0.1.0\n")
        for command in [["--help"], ["verify", "--help"], ["key", "generate", "--help"], ["append", "--help"], ["checkpoint", "--help"]] {
            let help = try cli.run(command)
            #expect(help.status == 0)
            #expect(help.stdout.contains("Example"), "\(command)")
        }
    }

    @Test("`ledger key generate` writes keys that `openssl pkey` reads; `key show` agrees")
    func keyGenerateInteropsWithOpenSSL() throws {
        let cli = try LedgerCLI()
        let generated = try cli.run(["key", "generate", "--out", "k.pem", "--format", "json"])
        #expect(generated.status == 0)
        let keyID = try jsonObject(generated.stdout)["keyId"] as? String
        let mode = try FileManager.default.attributesOfItem(atPath: cli.path("k.pem"))[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let openssl = try ProcessRunner.run("openssl", ["pkey", "-in", cli.path("k.pem"), "-pubout"])
        #expect(openssl.status == 0)
        #expect(openssl.stdout == (try String(contentsOfFile: cli.path("k.pem.pub"), encoding: .utf8)))
        let show = try cli.run(["key", "show", "k.pem.pub", "--format", "json"])
        #expect(try jsonObject(show.stdout)["keyId"] as? String == keyID)
        let again = try cli.run(["key", "generate", "--out", "k.pem"])
        #expect(again.status == 2)
        #expect(again.stderr.contains("k.pem"))
    }

    @Test func insecureKeyFileIsRefusedWithTheFix() throws {
        let cli = try LedgerCLI().initialised()
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: cli.path("root.pem"))
        let result = try cli.run(["--ledger", "ops.ledger", "--key", "root.pem", "key", "list"])
        #expect(result.status == 0, "listing keys needs no private key")
        let append = try cli.run(["--ledger", "ops.ledger", "--key", "root.pem", "append", "--type", "a.b", "--stream", "s"])
        #expect(append.status == 2)
        #expect(append.stderr.contains("chmod 600"))
    }

    @Test func initLogCheckpointVerifyRoundTrip() throws {
        let cli = try LedgerCLI().initialised()
        let env = ["LEDGER_PATH": "ops.ledger", "LEDGER_KEY": "alice.pem"]
        try cli.expectSuccess(cli.run(["append", "--type", "deploy.note", "--stream", "svc", "--payload", "{\"v\":42}"], environment: env))
        let retry = try cli.run(["append", "--type", "deploy.note", "--stream", "svc", "--payload", "{}", "--idempotency-key", "r1", "--format", "json"], environment: env)
        let retried = try cli.run(["append", "--type", "deploy.note", "--stream", "svc", "--payload", "{}", "--idempotency-key", "r1", "--format", "json"], environment: env)
        #expect(try jsonObject(retry.stdout)["seq"] as? Int == 4)
        #expect(try jsonObject(retried.stdout)["seq"] as? Int == 4)
        let stale = try cli.run(["append", "--type", "deploy.note", "--stream", "svc", "--expected-version", "1"], environment: env)
        #expect(stale.status == 2)
        #expect(stale.stderr.contains("version-conflict"))

        let log = try cli.run(["log", "--format", "json"], environment: env)
        let lines = log.stdout.split(separator: "\n")
        #expect(lines.count == 4)
        let genesis = try jsonObject(String(lines[0]))
        #expect((genesis["envelope"] as? [String: Any])?["type"] as? String == "ledger.genesis")
        let text = try cli.run(["log", "--stream", "svc"], environment: env)
        #expect(text.stdout.split(separator: "\n").count == 2)

        try cli.expectSuccess(cli.run(["checkpoint", "--out", "c1.json"], environment: env))
        let verify = try cli.run(["verify", "--anchor", "c1.json", "--format", "json"], environment: env)
        #expect(verify.status == 0, "\(verify.stdout)")
        let report = try jsonObject(verify.stdout)
        #expect(report["verified"] as? Bool == true)
        #expect((report["summary"] as? [String: Any])?["events"] as? Int == 4)
        let human = try cli.run(["verify"], environment: env)
        #expect(human.stdout.hasPrefix("VERIFIED\n"))

        try cli.expectSuccess(cli.run(["append", "--type", "deploy.note", "--stream", "svc"], environment: env))
        let since = try cli.run(["verify", "--since-checkpoint", "c1.json", "--format", "json"], environment: env)
        #expect(since.status == 0, "\(since.stdout)\(since.stderr)")
        let sinceSummary = try jsonObject(since.stdout)["summary"] as? [String: Any]
        #expect(sinceSummary?["firstSeq"] as? Int == 5)
        #expect(sinceSummary?["events"] as? Int == 1)
        let badTime = try cli.run(["verify", "--now", "yesterday"], environment: env)
        #expect(badTime.status == 2 && badTime.stderr.contains("2026-11-21T18:00:00.000Z"))
    }

    @Test("verify exits 1 with findings on a tampered file, 2 when it cannot run")
    func verifyExitCodes() throws {
        let cli = try LedgerCLI().initialised()
        try cli.expectSuccess(cli.run(["--ledger", "ops.ledger", "--key", "root.pem", "checkpoint", "--out", "c.json"]))
        // Truncate the tail: drop the last event with the sqlite3-free route of a raw SQL edit.
        try SQL.execute(on: cli.path("ops.ledger"), [
            "DROP TRIGGER events_are_immutable_delete", "DROP TRIGGER payloads_delete_needs_redaction", "DELETE FROM payloads WHERE seq = 2", "DELETE FROM events WHERE seq = 2",
        ])
        let result = try cli.run(["--ledger", "ops.ledger", "verify", "--anchor", "c.json", "--format", "json"])
        #expect(result.status == 1)
        let findings = try jsonObject(result.stdout)["findings"] as? [[String: Any]]
        #expect(findings?.first?["code"] as? String == "anchor-ahead")
        let missing = try cli.run(["--ledger", "nope.ledger", "verify"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("ledger init"))
        let noLedger = try cli.run(["verify"])
        #expect(noLedger.status == 64)
        #expect(noLedger.stderr.contains("LEDGER_PATH"))
        try Data("garbage".utf8).write(to: URL(fileURLWithPath: cli.path("bad.json")))
        let badAnchor = try cli.run(["--ledger", "ops.ledger", "verify", "--anchor", "bad.json"])
        #expect(badAnchor.status == 2)
    }

    @Test("4 processes appending 500 events each: 2,000 events, gapless, chain valid, no error")
    func concurrentProcesses() throws {
        let cli = try LedgerCLI().initialised()
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: 4) { writer in
            let lines = (0..<500).map { "{\"type\":\"load.test\",\"stream\":\"writer-\(writer)\",\"payload\":{\"i\":\($0)}}" }
            let result = Result {
                try cli.run(["--ledger", "ops.ledger", "--key", "alice.pem", "append", "--jsonl"], input: lines.joined(separator: "\n") + "\n")
            }
            results.append(result)
        }
        for result in results.all {
            let output = try result.get()
            #expect(output.status == 0, "\(output.stderr)")
            #expect(output.stderr.isEmpty)
        }
        let verify = try cli.run(["--ledger", "ops.ledger", "verify", "--format", "json"])
        #expect(verify.status == 0)
        let summary = try jsonObject(verify.stdout)["summary"] as? [String: Any]
        #expect(summary?["events"] as? Int == 2 + 2000)
        #expect(summary?["errors"] as? Int == 0)
    }

    @Test("`ledger` copied to another directory runs init, log and verify")
    func copiedBinaryRuns() throws {
        var cli = try LedgerCLI()
        let copy = cli.path("ledger-copy")
        // Another test's process can be starting while the copy is written, and a file open for
        // writing in a child between fork and exec is "busy" (ETXTBSY): try again.
        for attempt in 1...5 {
            do {
                try? FileManager.default.removeItem(atPath: copy)
                try FileManager.default.copyItem(atPath: cli.binary, toPath: copy)
                break
            } catch where attempt < 5 {
                Thread.sleep(forTimeInterval: 0.2)
            }
        }
        cli.binary = copy
        _ = try cli.initialised()
        try cli.expectSuccess(cli.run(["--ledger", "ops.ledger", "log"]))
        try cli.expectSuccess(cli.run(["--ledger", "ops.ledger", "verify"]))
    }
}

/// Collects results from concurrent closures. `@unchecked Sendable`: every access holds `lock`.
final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Result<ProcessResult, any Error>] = []
    func append(_ result: Result<ProcessResult, any Error>) { lock.withLock { results.append(result) } }
    var all: [Result<ProcessResult, any Error>] { lock.withLock { results } }
}
