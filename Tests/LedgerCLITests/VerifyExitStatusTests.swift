import Foundation
import TestSupport
import Testing

/// `ledger verify` through the binary on files docs/FORMAT.md says it must judge rather than
/// refuse: exit 1 with the finding that names what is wrong, never 2 ("could not run").
@Suite("ledger verify judges damaged files: exit 1 with a finding, not exit 2")
struct VerifyExitStatusTests {
    @Test("A file with the ledger's tables and no events: ledger-empty, exit 1; appending to it is refused")
    func emptyLedger() throws {
        let cli = try LedgerCLI().initialised()
        try SQL.execute(on: cli.path("ops.ledger"), [
            "DROP TRIGGER events_are_immutable_delete", "DROP TRIGGER payloads_delete_needs_redaction", "DELETE FROM payloads", "DELETE FROM keys", "DELETE FROM events", "DELETE FROM ledger_info",
        ])
        let result = try cli.run(["--ledger", "ops.ledger", "verify"])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stdout.contains("NOT VERIFIED"))
        #expect(result.stdout.contains("ledger-empty"))
        let append = try cli.run(["--ledger", "ops.ledger", "--key", "alice.pem", "append", "--type", "deploy.note", "--stream", "s"])
        #expect(append.status == 2)
    }

    @Test("A head event whose time column is 30 February: verify exits 1 with column-mismatch; append is refused with what to do", arguments: [
        "2026-02-30T09:00:00.000Z", "2026-11-01T24:00:00.000Z", "2026-11-01T09:00:00.000z",
    ])
    func headWithAnInvalidTime(_ time: String) throws {
        let cli = try LedgerCLI().initialised()
        try SQL.execute(on: cli.path("ops.ledger"), [
            "DROP TRIGGER events_are_immutable_update", "UPDATE events SET time = '\(time)' WHERE seq = (SELECT MAX(seq) FROM events)",
        ])
        let result = try cli.run(["--ledger", "ops.ledger", "verify", "--format", "json"])
        #expect(result.status == 1, "\(result.stderr)")
        let findings = try jsonObject(result.stdout)["findings"] as? [[String: Any]] ?? []
        #expect(findings.contains { $0["code"] as? String == "column-mismatch" && $0["seq"] as? Int == 2 }, "\(findings)")
        let append = try cli.run(["--ledger", "ops.ledger", "--key", "alice.pem", "append", "--type", "deploy.note", "--stream", "s"])
        #expect(append.status == 2)
        #expect(append.stderr.contains("run `ledger verify`"), "\(append.stderr)")
    }

    @Test("verify --bundle with the auditor's later checkpoint: a warning, exit 0; exit 1 with --strict")
    func laterAnchorOnABundle() throws {
        let cli = try LedgerCLI().initialised()
        try cli.expectSuccess(cli.run(["--ledger", "ops.ledger", "--key", "root.pem", "export", "--format", "bundle", "--out", "b"]))
        try cli.expectSuccess(cli.run(["--ledger", "ops.ledger", "--key", "alice.pem", "append", "--type", "deploy.note", "--stream", "s"]))
        try cli.expectSuccess(cli.run(["--ledger", "ops.ledger", "--key", "root.pem", "checkpoint", "--out", "later.checkpoint"]))
        let result = try cli.run(["verify", "--bundle", "b", "--anchor", "later.checkpoint"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("anchor-beyond-bundle"))
        #expect(!result.stdout.contains("anchor-ahead"))
        #expect(try cli.run(["verify", "--bundle", "b", "--anchor", "later.checkpoint", "--strict"]).status == 1)
    }
}
