import Foundation
import GRDB
import TestSupport
import Testing

/// The storage faults of `FaultTests`, through the binary: each exits 2 with one line on stderr
/// that names the fault and its code, prints no acknowledgement, and leaves a ledger that
/// verifies with every event it had.
@Suite("Faults through the ledger binary: exit code, message, ledger intact")
struct FaultCommandTests {
    enum Fault: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case diskFull, locked, readOnly, missing, notALedger, newerFormat, damaged

        var testDescription: String { rawValue }

        /// The code in brackets and a phrase the message must hold.
        var expected: (code: String, phrase: String) {
            switch self {
            case .diskFull: ("[disk-full]", "cannot grow: the disk is full")
            case .locked: ("[locked]", "beyond the busy timeout")
            case .readOnly: ("[read-only]", "is read-only")
            case .missing: ("[not-found]", "Create one with `ledger init`")
            case .notALedger: ("[not-a-ledger]", "is not a ledger file")
            case .newerFormat: ("[unsupported-version]", "written by a newer approval-ledger (ledger format v2)")
            case .damaged: ("[corrupt]", "Restore it from a backup")
            }
        }
    }

    @Test("Each fault: exit 2, its code and what to do on stderr, nothing acknowledged, the ledger still verifies", arguments: Fault.allCases)
    func fault(_ fault: Fault) throws {
        let cli = try LedgerCLI().initialised()
        let ledger = cli.path("ops.ledger")
        try cli.expectSuccess(cli.run(["--ledger", "ops.ledger", "--key", "alice.pem", "append", "--type", "deploy.note", "--stream", "s"]))
        let events = try Self.eventCount(ledger)
        var target = "ops.ledger"
        var extra: [String] = []
        var restore: () throws -> Void = {}
        switch fault {
        case .diskFull:
            extra = ["--max-file-size", String(try Self.databaseBytes(ledger) + 8192)]
        case .locked:
            let holder = try WriteLockHolder(path: ledger)
            restore = { holder.release() }
            extra = ["--busy-timeout", "0.2"]
        case .readOnly:
            try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: ledger)
            restore = { try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: ledger) }
        case .missing:
            target = "missing.ledger"
        case .notALedger:
            try Data("deploy notes, not a ledger\n".utf8).write(to: URL(fileURLWithPath: cli.path("notes.txt")))
            target = "notes.txt"
        case .newerFormat:
            try SQL.execute(on: ledger, ["UPDATE ledger_info SET format_version = 2"])
            restore = { try SQL.execute(on: ledger, ["UPDATE ledger_info SET format_version = 1"]) }
        case .damaged:
            try SQL.execute(on: ledger, ["PRAGMA wal_checkpoint(TRUNCATE)"])
            let bytes = try Data(contentsOf: URL(fileURLWithPath: ledger))
            try Data(bytes.prefix(4096 + 100)).write(to: URL(fileURLWithPath: cli.path("damaged.ledger")))
            target = "damaged.ledger"
        }
        let payload = "{\"text\":\"" + String(repeating: "x", count: 100_000) + "\"}"
        let result = try cli.run(
            ["--ledger", target, "--key", "alice.pem"] + extra + ["append", "--type", "deploy.note", "--stream", "s", "--payload", payload])
        try restore()
        let (code, phrase) = fault.expected
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("error: "), "\(result.stderr)")
        #expect(result.stderr.contains(code), "\(result.stderr)")
        #expect(result.stderr.contains(phrase), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "one line: \(result.stderr)")
        #expect(result.stdout.isEmpty, "nothing acknowledged")

        let verify = try cli.run(["--ledger", "ops.ledger", "verify", "--format", "json"])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect((try jsonObject(verify.stdout)["summary"] as? [String: Any])?["events"] as? Int == events)
        #expect(try Self.integrityCheck(ledger) == "ok")
    }

    @Test("`verify` reports a newer format and a missing file with exit 2 (could not run), not as findings")
    func verifyCannotRun() throws {
        let cli = try LedgerCLI().initialised()
        try SQL.execute(on: cli.path("ops.ledger"), ["UPDATE ledger_info SET format_version = 7"])
        let newer = try cli.run(["--ledger", "ops.ledger", "verify"])
        #expect(newer.status == 2)
        #expect(newer.stderr.contains("ledger format v7"), "\(newer.stderr)")
        let missing = try cli.run(["--ledger", "gone.ledger", "verify"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("[not-found]"))
    }

    static func eventCount(_ path: String) throws -> Int {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM events") ?? 0 }
    }

    static func databaseBytes(_ path: String) throws -> Int64 {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { try Int64.fetchOne($0, sql: "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()") ?? 0 }
    }

    static func integrityCheck(_ path: String) throws -> String? {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") }
    }
}
