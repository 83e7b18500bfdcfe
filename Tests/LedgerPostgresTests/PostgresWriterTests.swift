import ApprovalLedger
import Foundation
import LedgerPostgres
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Several writers on one PostgreSQL ledger, as several hosts would be: `ledger append`
/// processes and this process at once, a writer killed with SIGKILL, sessions terminated and
/// the server restarted in the middle of a batch. What was acknowledged stays, the chain stays
/// linear and gapless, and a failed write leaves nothing behind.
@Suite("PostgreSQL: many writers and their faults")
struct PostgresWriterTests {
    /// A fixture whose alice key is also in a PEM file, for the `ledger` processes.
    func writers() async throws -> (BackendFixture, key: String) {
        let fixture = try await BackendFixture.make(.postgres)
        let key = fixture.directory.file("alice.pem")
        try KeyFile.writePrivateKey(fixture.alice.key, toPath: key)
        return (fixture, key)
    }

    static func lines(_ count: Int, stream: String) -> [UInt8] {
        Array((0..<count).map { #"{"type":"deploy.note","stream":"\#(stream)","payload":{"n":\#($0)}}"# + "\n" }.joined().utf8)
    }

    /// The seq and hash of each event a `ledger append --format json` printed.
    static func acknowledged(_ output: [UInt8]) -> [(seq: Int64, hash: String)] {
        String(decoding: output, as: UTF8.self).split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let seq = object["seq"] as? Int64 ?? (object["seq"] as? Int).map(Int64.init), let hash = object["hash"] as? String
            else { return nil }
            return (seq, hash)
        }
    }

    func hashes(_ fixture: BackendFixture) throws -> [Int64: String] {
        Dictionary(uniqueKeysWithValues: try fixture.query("SELECT seq || ' ' || encode(hash, 'hex') FROM events").map { row in
            let parts = row.split(separator: " ")
            return (Int64(parts[0])!, String(parts[1]))
        })
    }

    @Test("Four `ledger append` processes and this process write at once: every acknowledged event is there once, gapless, and verifies")
    func concurrentWriters() async throws {
        let (fixture, key) = try await writers()
        let processes = try (0..<4).map { index in
            let child = try ChildProcess(
                TestPaths.ledgerBinary.path, ["append", "--jsonl", "--batch-size", "5", "--format", "json", "--ledger", fixture.address, "--key", key])
            #expect(child.write(Self.lines(100, stream: "host-\(index)")))
            close(child.stdin)
            return child
        }
        // This process is a fifth writer meanwhile, through the library.
        let own = try await fixture.appendNotes(40, stream: "library")
        var acknowledged = own.map { ($0.envelope.seq, $0.hash.hex) }
        for child in processes {
            let output = ChildProcess.readToEnd(child.stdout)
            let errors = String(decoding: ChildProcess.readToEnd(child.stderr), as: UTF8.self)
            #expect(child.wait() == .exited(0), "\(errors)")
            acknowledged += Self.acknowledged(output).map { ($0.seq, $0.hash) }
        }
        #expect(acknowledged.count == 440)
        let stored = try hashes(fixture)
        #expect(stored.count == 3 + 440, "genesis, two keys, and every acknowledged event once")
        #expect(Set(stored.keys) == Set(1...443))
        for (seq, hash) in acknowledged { #expect(stored[seq] == hash, "event \(seq) as acknowledged") }
        let versions = try fixture.query("SELECT stream || ' ' || max(stream_version) || ' ' || count(*) FROM events WHERE stream LIKE 'host-%' GROUP BY stream ORDER BY stream")
        #expect(versions == (0..<4).map { "host-\($0) 100 100" })
        let report = try await fixture.verify()
        #expect(report.isVerified(strict: true), "\(report.findings.map(\.message))")
    }

    @Test("A writer killed with SIGKILL under load loses nothing it acknowledged, and the next writer goes on")
    func killedWriter() async throws {
        let (fixture, key) = try await writers()
        let child = try ChildProcess(
            TestPaths.ledgerBinary.path, ["append", "--jsonl", "--batch-size", "1", "--format", "json", "--ledger", fixture.address, "--key", key])
        // What fits in the pipe: the child answers on stdout while it reads, and nobody reads
        // its answers until all of this is written.
        #expect(child.write(Self.lines(1000, stream: "doomed")))
        var output: [UInt8] = []
        while Self.acknowledged(output).count < 50 {
            let chunk = ChildProcess.read(child.stdout)
            if chunk.isEmpty { break }
            output += chunk
        }
        child.kill(SIGKILL)
        #expect(child.wait() == .signalled(SIGKILL))
        let acknowledged = Self.acknowledged(output)
        #expect(acknowledged.count >= 50)
        let stored = try hashes(fixture)
        for (seq, hash) in acknowledged { #expect(stored[seq] == hash, "acknowledged event \(seq) is there") }
        #expect(Set(stored.keys) == Set(1...Int64(stored.count)), "gapless")
        // The lock died with the session: the next append is not kept waiting.
        let next = try await fixture.ledger.append(EventDraft(type: "deploy.note", stream: "after", payload: [:]), signer: fixture.alice)
        #expect(next.envelope.seq == Int64(stored.count) + 1)
        #expect(try await fixture.verify().isVerified(strict: true))
    }

    @Test("A session terminated in the middle of a batch append: a clear error, nothing of the batch written, the retry succeeds")
    func sessionKilledMidBatch() async throws {
        let fixture = try await BackendFixture.make(.postgres)
        let cluster = try #require(fixture.cluster)
        try await assertBatchSurvives(fixture, interruption: {
            // The session that holds the append lock, found as a DBA would.
            try cluster.psql(fixture.address, """
                SELECT pg_terminate_backend(l.pid) FROM pg_locks l
                WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                """)
        })
    }

    @Test("PostgreSQL restarted in the middle of a batch append: a clear error, nothing of the batch written, the retry succeeds")
    func serverRestartedMidBatch() async throws {
        // A cluster of this test's own: the shared one serves other suites meanwhile.
        let cluster = try PostgresCluster()
        defer { try? cluster.stop() }
        let database = try cluster.createDatabase()
        let root = Signer(identity: "root", key: try Ed25519PrivateKey())
        let ledger = try await PostgresLedger.open(try PostgresLocation(url: database))
        try await ledger.initialize(root: root)
        let before = try await ledger.append(EventDraft(type: "deploy.note", stream: "svc", payload: [:]), signer: root)
        let batch = (0..<6_000).map { EventDraft(type: "deploy.note", stream: "batch", payload: ["i": .integer(Int64($0))]) }
        let append = Task { try await ledger.append(batch, signer: root) }
        try await waitForAppendLock(cluster, database)
        try cluster.stop(mode: "immediate")
        try cluster.start()
        let error = await #expect(throws: LedgerError.self) { try await append.value }
        #expect(error?.code == .storage)
        #expect(error?.message.contains("nothing was written") == true, "\(error?.message ?? "")")
        #expect(try cluster.psql(database, "SELECT max(seq) FROM events").stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "\(before.envelope.seq)")
        let retried = try await ledger.append(batch, signer: root)
        #expect(retried.first?.envelope.seq == before.envelope.seq + 1)
        #expect(retried.first?.envelope.previousHash == before.hash)
        let report = try await ledger.withSnapshot { try Verifier().verify($0) }
        #expect(report.isVerified(strict: true))
        #expect(report.events == before.envelope.seq + 6_000)
        await ledger.close()
    }

    @Test("A database that accepts no writes refuses appends with read-only, and verify still reads it")
    func readOnlyDatabase() async throws {
        let fixture = try await BackendFixture.make(.postgres)
        let cluster = try #require(fixture.cluster)
        let name = String(fixture.address.split(separator: "/").last!.prefix { $0 != "?" })
        try cluster.psql("postgres", "ALTER DATABASE \(name) SET default_transaction_read_only = on")
        // The setting applies to new sessions: a new ledger opens them.
        let ledger = try await PostgresLedger.open(try PostgresLocation(url: fixture.address))
        let error = await #expect(throws: LedgerError.self) {
            try await ledger.append(EventDraft(type: "deploy.note", stream: "svc", payload: [:]), signer: fixture.alice)
        }
        #expect(error?.code == .readOnly)
        #expect(try await ledger.withSnapshot { try Verifier().verify($0) }.isVerified(strict: true))
        await ledger.close()
    }

    /// Appends a batch big enough to be caught in the act, runs `interruption` once its
    /// transaction holds the append lock, and checks what the issue asks of such a fault.
    private func assertBatchSurvives(_ fixture: BackendFixture, interruption: () throws -> Void) async throws {
        let before = try fixture.storedSeqs()
        let batch = (0..<6_000).map { EventDraft(type: "deploy.note", stream: "batch", payload: ["i": .integer(Int64($0))]) }
        let ledger = fixture.ledger, alice = fixture.alice
        let append = Task { try await ledger.append(batch, signer: alice) }
        try await waitForAppendLock(try #require(fixture.cluster), fixture.address)
        try interruption()
        let error = await #expect(throws: LedgerError.self) { try await append.value }
        #expect(error?.code == .storage)
        #expect(try fixture.storedSeqs() == before, "nothing of the batch was written")
        let retried = try await fixture.ledger.append(batch, signer: fixture.alice)
        #expect(retried.first?.envelope.seq == Int64(before.count) + 1)
        #expect(try await fixture.verify().isVerified(strict: true))
    }

    /// Waits until some session of `database` holds the append lock.
    private func waitForAppendLock(_ cluster: PostgresCluster, _ database: String) async throws {
        for _ in 0..<400 {
            let held = try cluster.psql(database, """
                SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted
                AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                """).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            if held != "0" { return }
            try await Task.sleep(for: .milliseconds(25))
        }
        Issue.record("no append transaction took the lock within 10 s")
    }
}
