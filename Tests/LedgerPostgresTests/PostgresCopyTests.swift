import ApprovalLedger
import Foundation
import TestSupport
import Testing

/// `ledger copy` between a ledger file and a real PostgreSQL (a throwaway cluster), run as
/// the built binary: every row byte for byte both ways, the immutability triggers, and what a
/// database administrator's edits do to the copy that comes back.
@Suite("ledger copy with PostgreSQL")
struct PostgresCopyTests {
    let directory: TemporaryDirectory
    let cluster: PostgresCluster
    let demo: String

    init() throws {
        directory = try TemporaryDirectory()
        cluster = try PostgresCluster.shared()
        let result = try ProcessRunner.run(TestPaths.ledgerBinary.path, ["demo", "--dir", directory.file("demo")])
        guard result.status == 0 else { throw PostgresCluster.StartError(description: "ledger demo failed: \(result.stderr)") }
        demo = directory.file("demo/demo.ledger")
    }

    func ledger(_ arguments: [String]) throws -> ProcessResult {
        try ProcessRunner.run(TestPaths.ledgerBinary.path, arguments)
    }

    static func rows(_ path: String) async throws -> [StoredEvent] {
        var configuration = LedgerConfiguration()
        configuration.readOnly = true
        return try await Ledger.open(at: path, configuration: configuration).storedRows(from: 1, limit: 100_000)
    }

    func verifyJSON(_ path: String) throws -> [String: Any] {
        let result = try ledger(["verify", "--ledger", path, "--format", "json"])
        return (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]) ?? ["exit": result.status, "stderr": result.stderr]
    }

    @Test("File to PostgreSQL to file: every column of every row identical, and the copy verifies as the original")
    func roundTrip() async throws {
        let database = try cluster.createDatabase()
        let there = try ledger(["copy", demo, database, "--format", "json"])
        #expect(there.status == 0, "\(there.stderr)")
        let summary = try JSONSerialization.jsonObject(with: Data(there.stdout.utf8)) as? [String: Any]
        let original = try await Self.rows(demo)
        #expect(summary?["events"] as? Int == original.count)
        #expect(summary?["headHash"] as? String == original.last.map { Hex.encode($0.hash) })
        #expect((summary?["destination"] as? String)?.hasPrefix("postgres://ledger@127.0.0.1:") == true)
        // What PostgreSQL holds, read by psql rather than by the code under test.
        let envelopes = try cluster.psql(database, "SELECT encode(envelope, 'hex') FROM events ORDER BY seq").stdout.split(separator: "\n").map(String.init)
        #expect(envelopes == original.map { Hex.encode($0.envelopeBytes) })
        let signatures = try cluster.psql(database, "SELECT encode(signature, 'hex') FROM events ORDER BY seq").stdout.split(separator: "\n").map(String.init)
        #expect(signatures == original.map { Hex.encode($0.signature) })
        let payloads = try cluster.psql(database, "SELECT count(*) FROM payloads").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(payloads == String(original.filter { $0.payloadBytes != nil }.count), "the redacted payload stays absent")

        let back = directory.file("back.ledger")
        let home = try ledger(["copy", database, back])
        #expect(home.status == 0, "\(home.stderr)")
        #expect(try await Self.rows(back) == original)
        let before = try verifyJSON(demo), after = try verifyJSON(back)
        #expect(after["verified"] as? Bool == true, "\(after)")
        let beforeSummary = before["summary"] as? [String: Any], afterSummary = after["summary"] as? [String: Any]
        #expect(afterSummary?["headHash"] as? String == beforeSummary?["headHash"] as? String)
        #expect(afterSummary?["events"] as? Int == original.count)
        #expect(afterSummary?["headHash"] as? String == original.last.map { Hex.encode($0.hash) })
        // The copy is a ledger like any other: its projections were rebuilt.
        #expect(try ledger(["--ledger", back, "request", "list"]).stdout == (try ledger(["--ledger", demo, "request", "list"]).stdout))
    }

    @Test("A database that holds a ledger, or a file that exists, is never overwritten")
    func neverOverwrites() throws {
        let database = try cluster.createDatabase()
        #expect(try ledger(["copy", demo, database]).status == 0)
        let again = try ledger(["copy", demo, database])
        #expect(again.status == 2)
        #expect(again.stderr.contains("[already-exists]"), "\(again.stderr)")
        #expect(try cluster.psql(database, "SELECT count(*) FROM events").stdout == "\(try ledgerEvents())\n")
        let existing = try ledger(["copy", database, demo])
        #expect(existing.status == 2)
        #expect(existing.stderr.contains("[already-exists]"), "\(existing.stderr)")
    }

    func ledgerEvents() throws -> Int {
        (try verifyJSON(demo)["summary"] as? [String: Any])?["events"] as? Int ?? -1
    }

    @Test("UPDATE, DELETE and TRUNCATE of events are refused by the schema's triggers, and change nothing")
    func triggersRefuseChanges() throws {
        let database = try cluster.createDatabase()
        #expect(try ledger(["copy", demo, database]).status == 0)
        let before = try cluster.psql(database, "SELECT md5(string_agg(envelope::text || signature::text, '' ORDER BY seq)) FROM events").stdout
        for statement in [
            "UPDATE events SET actor = 'mallory' WHERE seq = 3", "DELETE FROM events WHERE seq = (SELECT max(seq) FROM events)",
            "TRUNCATE events CASCADE", "UPDATE payloads SET bytes = '\\x7b7d' WHERE seq = 3", "TRUNCATE payloads",
        ] {
            let result = try cluster.psql(database, statement)
            #expect(result.status != 0, "\(statement) was allowed")
            #expect(result.stderr.contains("immutable"), "\(statement): \(result.stderr)")
        }
        #expect(try cluster.psql(database, "SELECT md5(string_agg(envelope::text || signature::text, '' ORDER BY seq)) FROM events").stdout == before)
    }

    @Test("An administrator who disables the triggers and edits rows is caught by verify on the copy that comes back")
    func administratorEditsAreCaught() throws {
        let database = try cluster.createDatabase()
        #expect(try ledger(["copy", demo, database]).status == 0)
        // Everything a database owner can do: drop the defence, change a payload and a
        // column, delete the head. No signing key is needed for any of it, and none is used.
        let edit = try cluster.psql(database, """
            ALTER TABLE events DISABLE TRIGGER USER;
            ALTER TABLE payloads DISABLE TRIGGER USER;
            UPDATE payloads SET bytes = convert_to('{"summary":"nothing to see"}', 'UTF8') WHERE seq = (SELECT min(seq) FROM payloads WHERE seq > 5);
            UPDATE events SET actor = 'mallory' WHERE seq = 4;
            DELETE FROM payloads WHERE seq = (SELECT max(seq) FROM events);
            DELETE FROM events WHERE seq = (SELECT max(seq) FROM events);
            """)
        #expect(edit.status == 0, "\(edit.stderr)")
        let back = directory.file("tampered.ledger")
        #expect(try ledger(["copy", database, back]).status == 0, "a copy carries a tampered ledger as faithfully as a good one")
        let report = try ledger(["verify", "--ledger", back, "--format", "json"])
        #expect(report.status == 1, "\(report.stdout)")
        let codes = Set(((try? JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])?["findings"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String })
        #expect(codes.contains("payload-mismatch"), "\(codes)")
        #expect(codes.contains("column-mismatch"), "\(codes)")
    }

    @Test("ledger verify on the database itself: the same report as on the file, and an administrator's edits found there")
    func verifyInTheDatabase() throws {
        let database = try cluster.createDatabase()
        #expect(try ledger(["copy", demo, database]).status == 0)
        let inFile = try verifyJSON(demo), inDatabase = try verifyJSON(database)
        #expect(inDatabase["verified"] as? Bool == true, "\(inDatabase)")
        #expect((inDatabase["summary"] as? [String: Any])?["headHash"] as? String == (inFile["summary"] as? [String: Any])?["headHash"] as? String)
        #expect((inDatabase["findings"] as? [[String: Any]])?.count == (inFile["findings"] as? [[String: Any]])?.count)
        // Through LEDGER_PATH too, as every command takes a ledger.
        let viaEnvironment = try ProcessRunner.run(TestPaths.ledgerBinary.path, ["verify"], environment: ["LEDGER_PATH": database])
        #expect(viaEnvironment.status == 0 && viaEnvironment.stdout.hasPrefix("VERIFIED"), "\(viaEnvironment.stderr)")
        // What the schema would refuse, done by its owner: a column edited past the disabled
        // trigger, and a row outside 1…N once the constraint is dropped.
        let edit = try cluster.psql(database, """
            ALTER TABLE events DISABLE TRIGGER USER;
            UPDATE events SET actor = 'mallory' WHERE seq = 4;
            INSERT INTO events SELECT 0, hash, prev_hash, stream, stream_version + 1000, type, actor, key_id, time, NULL,
                correlation_id, envelope, signature FROM events WHERE seq = 5;
            """)
        #expect(edit.status == 0, "\(edit.stderr)")
        let report = try ledger(["verify", "--ledger", database, "--format", "json"])
        #expect(report.status == 1)
        let codes = Set(((try? JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])?["findings"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String })
        #expect(codes.isSuperset(of: ["column-mismatch", "seq-invalid"]), "\(codes)")
        // Other commands say they take a file, and touch nothing.
        let log = try ledger(["--ledger", database, "log"])
        #expect(log.status == 2 && log.stderr.contains("ledger copy URL FILE"), "\(log.stderr)")
    }

    @Test("A checkpoint kept elsewhere holds the database to its end: rows deleted from the end fail verify --anchor; --since-checkpoint reads only what follows")
    func anchoredInTheDatabase() throws {
        let database = try cluster.createDatabase()
        #expect(try ledger(["copy", demo, database]).status == 0)
        let checkpoint = directory.file("demo.checkpoint")
        let made = try ledger(["--ledger", demo, "--key", directory.file("demo/keys/root.pem"), "checkpoint", "--out", checkpoint])
        #expect(made.status == 0, "\(made.stderr)")
        let anchored = try ledger(["verify", "--ledger", database, "--anchor", checkpoint])
        #expect(anchored.status == 0 && anchored.stdout.hasPrefix("VERIFIED"), "\(anchored.stdout)\(anchored.stderr)")
        let since = try ledger(["verify", "--ledger", database, "--since-checkpoint", checkpoint])
        #expect(since.status == 0, "\(since.stdout)\(since.stderr)")
        // An administrator cuts the end off, as a restore to an earlier point would: the chain
        // that is left is whole, and only the anchor shows what is missing.
        let cut = try cluster.psql(database, """
            ALTER TABLE events DISABLE TRIGGER USER;
            DELETE FROM payloads WHERE seq > (SELECT max(seq) - 3 FROM events);
            DELETE FROM events WHERE seq > (SELECT max(seq) - 3 FROM events);
            """)
        #expect(cut.status == 0, "\(cut.stderr)")
        let held = try ledger(["verify", "--ledger", database, "--anchor", checkpoint, "--format", "json"])
        #expect(held.status == 1, "\(held.stdout)\(held.stderr)")
        #expect(held.stdout.contains("\"anchor-ahead\""), "\(held.stdout)")
    }

    @Test("Unreachable servers, missing databases, bad URLs and empty databases are errors with their codes")
    func connectionErrors() throws {
        let refused = try ledger(["copy", "postgres://ledger:hunter2@127.0.0.1:1/x?sslmode=disable", directory.file("x.ledger")])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("cannot reach PostgreSQL") && refused.stderr.contains("[storage]"), "\(refused.stderr)")
        #expect(!refused.stderr.contains("hunter2"))
        let missing = try ledger(["copy", cluster.url(database: "no_such_db"), directory.file("x.ledger")])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("[not-found]"), "\(missing.stderr)")
        let bad = try ledger(["copy", demo, "postgres://h/db?sslmode=always"])
        #expect(bad.status == 2 && bad.stderr.contains("sslmode"), "\(bad.stderr)")
        let empty = try ledger(["copy", try cluster.createDatabase(), directory.file("x.ledger")])
        #expect(empty.status == 2 && empty.stderr.contains("[not-a-ledger]"), "\(empty.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.file("x.ledger")))
    }
}
