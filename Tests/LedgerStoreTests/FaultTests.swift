import ApprovalLedger
import Foundation
import GRDB
import TestSupport
import Testing

/// Storage faults: each gives a typed error that says what to do, writes nothing, and leaves
/// a ledger that still verifies with every committed event in it.
@Suite("Faults: full disk, locked, read-only, missing, not a ledger, newer format")
struct FaultTests {
    /// The logical size of the database (pages × page size), which `max_page_count` limits.
    static func databaseBytes(_ path: String) throws -> Int64 {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in
            try Int64.fetchOne(db, sql: "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()") ?? 0
        }
    }

    /// Every event's seq and hash, read with SQL, independently of the code under test.
    static func hashes(_ path: String) throws -> [Int64: Data] {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT seq, hash FROM events").map { ($0[0] as Int64, $0[1] as Data) })
        }
    }

    /// Moves everything from the write-ahead log into the main file, so its bytes are the ledger.
    static func checkpointWAL(_ path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        try queue.close()
    }

    static func note(_ bytes: Int, stream: String = "svc") -> EventDraft {
        EventDraft(type: "deploy.note", stream: stream, payload: ["text": .string(String(repeating: "x", count: bytes))])
    }

    @Test("Disk full: a single append and a whole batch fail with disk-full, nothing is half-written, and the ledger grows again once there is room")
    func diskFull() async throws {
        let fixture = try await LedgerFixture.make()
        try await fixture.appendNotes(5)
        let before = try Self.hashes(fixture.path)
        var configuration = LedgerConfiguration()
        configuration.clock = { [clock = fixture.clock] in clock.now() }
        configuration.maxFileBytes = try Self.databaseBytes(fixture.path) + 8192
        let capped = try await Ledger.open(at: fixture.path, configuration: configuration)

        var error = await #expect(throws: LedgerError.self) { try await capped.append(Self.note(100_000), signer: fixture.alice) }
        #expect(error?.code == .diskFull)
        #expect(error?.message.contains("cannot grow: the disk is full") == true, "\(String(describing: error))")
        #expect(error?.message.contains("nothing was written") == true)
        // A batch whose first events would fit: all or nothing.
        let batch = (0..<20).map { _ in Self.note(2_000) }
        error = await #expect(throws: LedgerError.self) { try await capped.append(batch, signer: fixture.alice) }
        #expect(error?.code == .diskFull)
        #expect(try Self.hashes(fixture.path) == before)
        #expect(try fixture.verify().isVerified())

        // The same handle can still append what fits, and a ledger with room takes the rest.
        try await capped.append(Self.note(10), signer: fixture.alice)
        _ = try await fixture.ledger.append(batch, signer: fixture.alice)
        #expect(try await fixture.ledger.head().size == Int64(before.count) + 21)
        #expect(try fixture.verify().isVerified())
    }

    @Test("Locked beyond the busy timeout: locked, nothing written; the append succeeds once the other writer is done")
    func locked() async throws {
        let fixture = try await LedgerFixture.make()
        var configuration = LedgerConfiguration()
        configuration.busyTimeoutSeconds = 0.2
        let impatient = try await Ledger.open(at: fixture.path, configuration: configuration)
        let head = try await impatient.head()
        let holder = try WriteLockHolder(path: fixture.path)
        let error = await #expect(throws: LedgerError.self) { try await impatient.append(Self.note(10), signer: fixture.alice) }
        holder.release()
        #expect(error?.code == .locked)
        #expect(error?.message.contains("beyond the busy timeout") == true, "\(String(describing: error))")
        #expect(try await impatient.head() == head)
        try await impatient.append(Self.note(10), signer: fixture.alice)
        #expect(try fixture.verify().isVerified())
    }

    @Test("Read-only: opened read-only, or a file with no write permission (even for root), refuses appends and is left byte for byte as it was")
    func readOnly() async throws {
        let fixture = try await LedgerFixture.make()
        try await fixture.appendNotes(3)
        var configuration = LedgerConfiguration()
        configuration.readOnly = true
        let reader = try await Ledger.open(at: fixture.path, configuration: configuration)
        var error = await #expect(throws: LedgerError.self) { try await reader.append(Self.note(10), signer: fixture.alice) }
        #expect(error?.code == .readOnly)

        // Checkpoint the WAL so the main file holds everything, then take away every write bit.
        try await fixture.ledger.append(Self.note(10), signer: fixture.alice)
        try Self.checkpointWAL(fixture.path)
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: fixture.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: fixture.path) }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: fixture.path))
        let archived = try await Ledger.open(at: fixture.path)
        error = await #expect(throws: LedgerError.self) { try await archived.append(Self.note(10), signer: fixture.alice) }
        #expect(error?.code == .readOnly)
        #expect(error?.message.contains("read-only") == true)
        error = await #expect(throws: LedgerError.self) {
            try await archived.registerKey(try Ed25519PrivateKey().publicKey, identity: "eve", signer: fixture.root)
        }
        #expect(error?.code == .readOnly)
        let report = try Verifier().verify(archived)
        #expect(report.isVerified())
        #expect(report.events == 7)
        #expect(try Data(contentsOf: URL(fileURLWithPath: fixture.path)) == bytes)
    }

    @Test("Missing file, a text file, a foreign SQLite database, a damaged ledger: typed errors that say what to do")
    func notALedger() async throws {
        let directory = try TemporaryDirectory()
        var error = await #expect(throws: LedgerError.self) { try await Ledger.open(at: directory.file("missing.ledger")) }
        #expect(error?.code == .notFound)
        #expect(error?.message.contains("ledger init") == true)

        try Data("{\"not\": \"a ledger\"}\n".utf8).write(to: URL(fileURLWithPath: directory.file("notes.json")))
        error = await #expect(throws: LedgerError.self) { try await Ledger.open(at: directory.file("notes.json")) }
        #expect(error?.code == .notALedger)
        #expect(error?.message.contains("not an SQLite database") == true)

        let foreign = try DatabaseQueue(path: directory.file("app.sqlite"))
        try await foreign.write { try $0.execute(sql: "CREATE TABLE ledger_info (x); CREATE TABLE users (name)") }
        try foreign.close()
        error = await #expect(throws: LedgerError.self) { try await Ledger.open(at: directory.file("app.sqlite")) }
        #expect(error?.code == .notALedger)

        // A ledger cut short after its header: SQLite's own words, as a typed error.
        let fixture = try await LedgerFixture.make()
        try Self.checkpointWAL(fixture.path)
        let damaged = directory.file("damaged.ledger")
        try Data(try Data(contentsOf: URL(fileURLWithPath: fixture.path)).prefix(4096 + 100)).write(to: URL(fileURLWithPath: damaged))
        error = await #expect(throws: LedgerError.self) {
            let ledger = try await Ledger.open(at: damaged)
            _ = try Verifier().verify(ledger)
        }
        #expect(error?.code == .corrupt, "\(String(describing: error))")
        #expect(error?.message.contains("Restore it from a backup") == true)
    }

    @Test("A ledger from a newer approval-ledger (unknown schema step, or a higher format version) is refused and left untouched")
    func newerFormat() async throws {
        for (name, sql, fragment) in [
            ("schema step", "INSERT INTO grdb_migrations (identifier) VALUES ('0099_merkle_tree')", "0099_merkle_tree"),
            ("format version", "UPDATE ledger_info SET format_version = 2", "ledger format v2"),
        ] {
            let fixture = try await LedgerFixture.make()
            try fixture.tamper(sql)
            try Self.checkpointWAL(fixture.path)
            let bytes = try Data(contentsOf: URL(fileURLWithPath: fixture.path))
            let error = await #expect(throws: LedgerError.self, "\(name)") { try await Ledger.open(at: fixture.path) }
            #expect(error?.code == .unsupportedVersion, "\(name)")
            #expect(error?.message.contains("newer approval-ledger") == true, "\(name): \(String(describing: error))")
            #expect(error?.message.contains(fragment) == true, "\(name): \(String(describing: error))")
            #expect(error?.message.contains("Upgrade") == true)
            #expect(try Data(contentsOf: URL(fileURLWithPath: fixture.path)) == bytes, "\(name): the file is not modified")
        }
    }
}
