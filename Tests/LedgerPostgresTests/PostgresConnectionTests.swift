import ApprovalLedger
import Foundation
import TestSupport
import Testing

/// Connecting as a deployment does: TLS with the certificate checked, and a server that goes
/// away in the middle of a copy.
@Suite("PostgreSQL connections: TLS and faults", .serialized)
struct PostgresConnectionTests {
    func ledger(_ arguments: [String], environment: [String: String] = [:]) throws -> ProcessResult {
        try ProcessRunner.run(TestPaths.ledgerBinary.path, arguments, environment: environment)
    }

    /// A ledger of `count` notes after its genesis, appended in one batch.
    func makeLedger(_ directory: TemporaryDirectory, notes count: Int) throws -> String {
        let path = directory.file("big.ledger")
        #expect(try ledger(["key", "generate", "--out", directory.file("root.pem")]).status == 0)
        #expect(try ledger(["--ledger", path, "--key", directory.file("root.pem"), "init"]).status == 0)
        let lines = (0..<count).map { #"{"type":"deploy.note","stream":"svc-\#($0 % 20)","payload":{"n":\#($0)}}"# }.joined(separator: "\n") + "\n"
        let append = try ProcessRunner.run(
            TestPaths.ledgerBinary.path, ["--ledger", path, "--key", directory.file("root.pem"), "--durability", "normal", "append", "--jsonl", "--batch"],
            input: Data(lines.utf8))
        #expect(append.status == 0, "\(append.stderr)")
        return path
    }

    @Test("sslmode verify-full with the server's CA connects; the wrong CA, or require against a server without TLS, is refused with what to do")
    func tls() throws {
        let directory = try TemporaryDirectory()
        let cluster = try PostgresCluster(tls: true)
        let demo = try makeLedger(directory, notes: 5)
        let name = String(try cluster.createDatabase().split(separator: "/").last!.prefix { $0 != "?" })
        let base = "postgres://ledger@localhost:\(cluster.port)/\(name)"
        let verified = try ledger(["copy", demo, "\(base)?sslmode=verify-full&sslrootcert=\(cluster.caPath)"])
        #expect(verified.status == 0, "\(verified.stderr)")
        // require: TLS, the certificate unchecked (libpq's meaning).
        let back = try ledger(["copy", base + "?sslmode=require", directory.file("back.ledger")])
        #expect(back.status == 0, "\(back.stderr)")
        // PGSSLMODE and PGSSLROOTCERT stand for the URL's parameters; the system's roots do not
        // know the test CA, so verify-full without it is refused.
        let unknownCA = try ledger(["copy", base, directory.file("x.ledger")], environment: ["PGSSLMODE": "verify-full"])
        #expect(unknownCA.status == 2 && unknownCA.stderr.contains("cannot reach PostgreSQL"), "\(unknownCA.stderr)")
        let viaEnvironment = try ledger(
            ["copy", base, directory.file("y.ledger")], environment: ["PGSSLMODE": "verify-full", "PGSSLROOTCERT": cluster.caPath])
        #expect(viaEnvironment.status == 0, "\(viaEnvironment.stderr)")

        let plain = try PostgresCluster.shared()
        let refused = try ledger(["copy", try plain.createDatabase().replacingOccurrences(of: "sslmode=disable", with: "sslmode=require"), directory.file("z.ledger")])
        #expect(refused.status == 2 && refused.stderr.contains("does not offer TLS"), "\(refused.stderr)")
    }

    @Test("A connection killed in the middle of a copy: a clear error, nothing half-written, and the retry succeeds")
    func connectionKilledMidCopy() async throws {
        let directory = try TemporaryDirectory()
        let cluster = try PostgresCluster()
        let source = try makeLedger(directory, notes: 20_000)
        let database = try cluster.createDatabase()
        let copy = try ChildProcess(TestPaths.ledgerBinary.path, ["copy", source, database])
        // The copy's transaction, seen from the server, then ended by an administrator.
        var killed = false
        for _ in 0..<2000 where !killed {
            let result = try cluster.psql(
                "postgres",
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(database.split(separator: "/").last!.prefix { $0 != "?" })' AND query LIKE 'INSERT INTO events%'")
            killed = result.stdout.contains("t")
        }
        #expect(killed, "the copy's transaction was never seen")
        // Read before `wait()`, which closes the pipes.
        let stderr = String(decoding: ChildProcess.readToEnd(copy.stderr), as: UTF8.self)
        #expect(copy.wait() == .exited(2))
        #expect(stderr.contains("the connection") && stderr.contains("nothing was written") && stderr.contains("[storage]"), "\(stderr)")
        #expect(try cluster.psql(database, "SELECT count(*) FROM events").stdout == "0\n", "nothing half-written")
        #expect(try cluster.psql(database, "SELECT count(*) FROM ledger_info").stdout == "0\n")
        let retry = try ledger(["copy", source, database])
        #expect(retry.status == 0, "\(retry.stderr)")
        #expect(try cluster.psql(database, "SELECT count(*) FROM events").stdout == "20001\n")
    }

    @Test("PostgreSQL restarted in the middle of a copy: the copy fails cleanly, and after the restart the retry succeeds")
    func serverRestartedMidCopy() async throws {
        let directory = try TemporaryDirectory()
        let cluster = try PostgresCluster()
        let source = try makeLedger(directory, notes: 20_000)
        let database = try cluster.createDatabase()
        let copy = try ChildProcess(TestPaths.ledgerBinary.path, ["copy", source, database])
        var seen = false
        for _ in 0..<2000 where !seen {
            // In a statement or between two: PostgresNIO 1.33 leaves a query sent on a closed
            // channel waiting forever, and the copy hung when the server went between statements.
            seen = try cluster.psql("postgres", "SELECT count(*) FROM pg_stat_activity WHERE xact_start IS NOT NULL AND query LIKE 'INSERT INTO%'").stdout != "0\n"
        }
        #expect(seen, "the copy's transaction was never seen")
        try cluster.stop(mode: "immediate")
        let stderr = String(decoding: ChildProcess.readToEnd(copy.stderr), as: UTF8.self)
        #expect(copy.wait() == .exited(2))
        #expect(stderr.contains("nothing was written") && stderr.contains("[storage]"), "\(stderr)")
        try cluster.start()
        #expect(try cluster.psql(database, "SELECT count(*) FROM events").stdout == "0\n", "recovery kept nothing of the open transaction")
        let retry = try ledger(["copy", source, database])
        #expect(retry.status == 0, "\(retry.stderr)")
    }
}
