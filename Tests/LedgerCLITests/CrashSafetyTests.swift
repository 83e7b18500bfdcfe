import Foundation
import GRDB
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// kill -9 in the middle of appends. `ledger append --jsonl --format json` prints each event
/// once its transaction has committed; the test feeds it lines without end, kills it at a
/// random moment, and then holds the file to what was printed.
@Suite("Crash safety: SIGKILL during appends")
struct CrashSafetyTests {
    static let kills = 24

    @Test("24 SIGKILLs at random moments of single and batch appends: every acknowledged event is there, the chain verifies, nothing is half-written")
    func killNine() throws {
        // A killed child closes the pipe the feeder writes to: that must be an EPIPE to handle,
        // not a SIGPIPE that ends the test run.
        signal(SIGPIPE, SIG_IGN)
        let seed = ProcessInfo.processInfo.environment["LEDGER_KILL_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 1...UInt64.max)
        print("crash safety: seed \(seed) (rerun with LEDGER_KILL_SEED=\(seed))")
        var random = SplitMix64(seed: seed)
        let cli = try LedgerCLI().initialised()
        let ledger = cli.path("ops.ledger")
        let started = ContinuousClock.now
        var acknowledged: [Int64: String] = [:]
        var killedWithCommits = 0

        for trial in 0..<Self.kills {
            // Even trials: one transaction per line; odd: batches of 2–50 lines.
            let batchSize = trial % 2 == 0 ? 1 : Int.random(in: 2...50, using: &random)
            let plan = KillPlan(
                afterAcknowledgements: Int.random(in: 0...40, using: &random),
                thenMicroseconds: UInt32.random(in: 0...25_000, using: &random),
                padding: Int.random(in: 0...3000, using: &random))
            let context = "seed \(seed), trial \(trial), batch size \(batchSize), \(plan)"
            let stream = "kill-\(trial)"
            let outcome = try plan.run(cli.binary, [
                "--ledger", ledger, "--key", cli.path("alice.pem"), "append", "--jsonl", "--batch-size", String(batchSize),
                "--format", "json",
            ], stream: stream)
            #expect(outcome.ending == .signalled(SIGKILL), "\(context): \(outcome.stderr)")
            for event in outcome.acknowledged {
                #expect(acknowledged[event.seq] == nil, "\(context): seq \(event.seq) acknowledged twice")
                acknowledged[event.seq] = event.hash
            }

            // `ledger verify` is the first to open the file after the crash, read-only.
            let verify = try cli.run(["--ledger", "ops.ledger", "verify", "--format", "json"])
            #expect(verify.status == 0, "\(context): \(verify.stdout)\(verify.stderr)")
            let stored = try StoredLedger(path: ledger)
            #expect(stored.integrity == "ok", "\(context)")
            for (seq, hash) in acknowledged {
                #expect(stored.hashes[seq] == hash, "\(context): acknowledged seq \(seq) lost or changed")
            }
            #expect(stored.hashes.keys.sorted() == Array(1...Int64(stored.hashes.count)), "\(context): gapless")
            #expect(stored.eventsWithoutPayload == 0, "\(context): an event without its payload")
            // Batches commit whole: the lines of this trial that made it are whole batches, in
            // input order (a partial batch would leave a count that is not a multiple).
            let lines = try stored.lineNumbers(stream: stream)
            #expect(lines == Array(0..<lines.count), "\(context): lines out of order or missing")
            #expect(lines.count % batchSize == 0, "\(context): \(lines.count) lines is not whole batches of \(batchSize)")
            #expect(lines.count >= outcome.acknowledged.count, "\(context)")
            if lines.count > 0 { killedWithCommits += 1 }
        }
        let elapsed = ContinuousClock.now - started
        print("crash safety: \(Self.kills) kills, \(acknowledged.count) acknowledged events, \(killedWithCommits) kills after commits, \(elapsed)")
        #expect(acknowledged.count > 0, "seed \(seed): no kill came after a commit")
    }
}

/// When to kill: after the child has acknowledged some events, plus a random delay, so the
/// signal lands while a transaction is being built, signed, written or committed, or between
/// them. `padding` varies the size of each line's payload, and so the length of each write.
struct KillPlan: CustomStringConvertible {
    let afterAcknowledgements: Int
    let thenMicroseconds: UInt32
    let padding: Int

    var description: String { "kill after \(afterAcknowledgements) acks + \(thenMicroseconds) µs, padding \(padding)" }

    struct Outcome {
        let acknowledged: [(seq: Int64, hash: String)]
        let ending: ChildProcess.Ending
        let stderr: String
    }

    func run(_ binary: String, _ arguments: [String], stream: String) throws -> Outcome {
        let child = try ChildProcess(binary, arguments)
        // The feeder writes lines until the child dies; its pipe's EPIPE ends it.
        let pad = String(repeating: "p", count: padding)
        let feeder = Thread {
            var line = 0
            while child.write(Array("{\"type\":\"load.kill\",\"stream\":\"\(stream)\",\"payload\":{\"line\":\(line),\"pad\":\"\(pad)\"}}\n".utf8)) {
                line += 1
            }
        }
        feeder.start()
        var output: [UInt8] = []
        var killed = false
        while true {
            if !killed, output.count(where: { $0 == 0x0A }) >= afterAcknowledgements {
                usleep(thenMicroseconds)
                child.kill(SIGKILL)
                killed = true
            }
            let chunk = ChildProcess.read(child.stdout)
            if chunk.isEmpty { break }
            output += chunk
        }
        if !killed { child.kill(SIGKILL) }
        let stderr = String(decoding: ChildProcess.readToEnd(child.stderr), as: UTF8.self)
        let ending = child.wait()
        // Only whole lines were acknowledged: a line the kill cut short was not.
        let whole = output.lastIndex(of: 0x0A).map { output[..<$0] } ?? []
        var acknowledged: [(seq: Int64, hash: String)] = []
        for line in whole.split(separator: 0x0A) {
            if let object = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
               let seq = (object["seq"] as? NSNumber)?.int64Value, let hash = object["hash"] as? String
            {
                acknowledged.append((seq, hash))
            }
        }
        return Outcome(acknowledged: acknowledged, ending: ending, stderr: stderr)
    }
}

/// The ledger file as SQLite stores it, read with SQL, independently of the code under test.
struct StoredLedger {
    let hashes: [Int64: String]
    let integrity: String?
    let eventsWithoutPayload: Int
    private let queue: DatabaseQueue

    init(path: String) throws {
        queue = try DatabaseQueue(path: path)
        (hashes, integrity, eventsWithoutPayload) = try queue.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT seq, hex(hash) FROM events")
            let hashes = Dictionary(uniqueKeysWithValues: rows.map { ($0[0] as Int64, ($0[1] as String).lowercased()) })
            let integrity = try String.fetchOne(db, sql: "PRAGMA integrity_check")
            let orphans = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events e LEFT JOIN payloads p ON p.seq = e.seq WHERE p.seq IS NULL") ?? 0
            return (hashes, integrity, orphans)
        }
    }

    /// The `line` numbers in the payloads of `stream`, in seq order.
    func lineNumbers(stream: String) throws -> [Int] {
        try queue.read { db in
            try Int.fetchAll(db, sql: """
                SELECT json_extract(CAST(p.bytes AS TEXT), '$.line') FROM events e JOIN payloads p ON p.seq = e.seq
                WHERE e.stream = ? ORDER BY e.seq
                """, arguments: [stream])
        }
    }
}

