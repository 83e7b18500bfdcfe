import ApprovalLedger
import Foundation
import Synchronization
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The real `ledger serve` binary stopped in the middle of concurrent writes: by SIGKILL, which
/// gives it no chance to finish anything, and by SIGTERM, which must let in-flight commits
/// finish. Either way every write it answered 2xx is in the file, as answered, and the ledger
/// verifies.
@Suite("Stopping the server under load loses no acknowledged write")
struct KillUnderLoadTests {
    /// Writers that append raw events until the server stops answering, recording each
    /// acknowledged event's seq and hash.
    final class Load: Sendable {
        let acknowledged = Mutex<[(seq: Int64, hash: String)]>([])
        let done = DispatchGroup()
        let running: Atomic<Int>

        init(_ harness: ServerHarness, writers: Int) {
            running = Atomic(writers)
            for writer in 0..<writers {
                done.enter()
                Thread.detachNewThread { [self] in
                    defer {
                        running.subtract(1, ordering: .relaxed)
                        done.leave()
                    }
                    var n = 0
                    while true {
                        let json = #"{"type": "deploy.note", "stream": "load-\#(writer)", "payload": {"n": \#(n)}}"#
                        guard let response = try? harness.request("POST", "/v1/events", as: "ci", json: json),
                              (200..<300).contains(response.status),
                              let object = try? response.json(), let seq = (object["seq"] as? NSNumber)?.int64Value,
                              let hash = object["hash"] as? String
                        else { return }
                        acknowledged.withLock { $0.append((seq, hash)) }
                        n += 1
                    }
                }
            }
        }

        var count: Int { acknowledged.withLock { $0.count } }
    }

    static func waitFor(_ load: Load, atLeast count: Int) async throws {
        // Until enough writes are acknowledged, or every writer gave up (then the test fails).
        while load.count < count, load.running.load(ordering: .relaxed) > 0 { try await Task.sleep(for: .milliseconds(5)) }
        #expect(load.count >= count, "the server acknowledged only \(load.count) writes: \(load)")
    }

    /// Every acknowledged event is in the file with the hash it was answered with, and
    /// `ledger verify` is clean.
    static func checkAcknowledged(_ load: Load, in harness: ServerHarness) async throws {
        let acknowledged = load.acknowledged.withLock { $0 }
        let ledger = try await Ledger.open(at: harness.ledgerPath)
        let stored = try await ledger.events(from: 1, limit: 1_000_000)
        let hashes = Dictionary(uniqueKeysWithValues: stored.map { ($0.envelope.seq, $0.hash.hex) })
        for event in acknowledged {
            #expect(hashes[event.seq] == event.hash, "acknowledged seq \(event.seq) is missing or different")
        }
        let verify = try harness.ledger(["verify", "--ledger", harness.ledgerPath])
        #expect(verify.status == 0, "\(verify.stdout) \(verify.stderr)")
    }

    @Test("SIGKILL mid-load: every write answered 2xx is present, as answered, and verify is clean")
    func sigkillLosesNoAcknowledgedWrite() async throws {
        let harness = try ServerHarness()
        let load = Load(harness, writers: 16)
        try await Self.waitFor(load, atLeast: 200)
        harness.process.kill(SIGKILL)
        #expect(harness.process.wait() == .signalled(SIGKILL))
        load.done.wait()
        try await Self.checkAcknowledged(load, in: harness)
    }

    @Test("SIGTERM mid-load: in-flight commits finish, the server exits 0, every acknowledged write is present")
    func sigtermDrainsInFlightCommits() async throws {
        let harness = try ServerHarness()
        let load = Load(harness, writers: 16)
        try await Self.waitFor(load, atLeast: 200)
        #expect(harness.stop() == .exited(0))
        load.done.wait()
        try await Self.checkAcknowledged(load, in: harness)
    }
}
