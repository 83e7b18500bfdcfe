import Foundation
import LedgerCrypto
import LedgerFormat
import LedgerWitness
import Synchronization
import Testing
import TestSupport

/// The witness over a real state directory: cosignatures, what survives a restart, and the
/// compare-and-swap that keeps two requests from advancing from one old size.
@Suite struct WitnessTests {
    let temporary = try! TemporaryDirectory()
    let log = try! TestLog()
    let key = try! Ed25519PrivateKey()
    let clock: @Sendable () -> UInt64 = { 1_700_000_000 }

    func makeWitness() throws -> Witness {
        let state = temporary.file("witness")
        let identity = WitnessIdentity(cosignerKey: CosignerKey(name: "witness.test/w1", publicKey: key.publicKey))
        let directory = try WitnessDirectory.create(path: state, identity: identity)
        try directory.addLog(WitnessedLog(origin: log.origin, logKeys: [log.verifierKey]))
        return try Witness(directory: directory, key: key, clock: clock)
    }

    func refusal(_ body: () throws -> Void) -> WitnessRefusal? {
        do { try body() } catch let refusal as WitnessRefusal { return refusal } catch { Issue.record("unexpected \(error)") }
        return nil
    }

    @Test func aCosignatureVerifiesUnderTheWitnessKeyAndTheStateSurvivesARestart() throws {
        let witness = try makeWitness()
        let request = try log.request(old: 0, size: 5)
        let line = try witness.addCheckpoint(request)
        let cosigned = SignedNote(text: request.checkpoint.text, signatures: request.checkpoint.signatures + [line])
        #expect(try cosigned.verified(by: [witness.identity.cosignerKey]) == [witness.identity.cosignerKey])
        #expect(try Cosignature(line).timestamp == 1_700_000_000)

        // A new process: same directory, same key.
        let reopened = try Witness(directory: WitnessDirectory(path: temporary.file("witness")), key: key, clock: clock)
        let record = try #require(try reopened.directory.log(origin: log.origin))
        #expect(record.size == 5)
        #expect(record.rootHash == (try log.root(5)))
        #expect(record.checkpoint?.signatures.count == 2)
        #expect(try reopened.latestCheckpoint(originHash: WitnessDirectory.originHash(log.origin)) == record.checkpoint)
        #expect(refusal { _ = try reopened.addCheckpoint(log.request(old: 0, size: 9)) }?.currentSize == 5)
        _ = try reopened.addCheckpoint(log.request(old: 5, size: 9))
        #expect(try reopened.directory.log(origin: log.origin)?.size == 9)
    }

    @Test func aBodyIsAnsweredWithOneSignatureLine() throws {
        let witness = try makeWitness()
        let response = String(decoding: try witness.addCheckpoint(body: log.request(old: 0, size: 3).body), as: UTF8.self)
        #expect(response.hasPrefix("\u{2014} witness.test/w1 "))
        #expect(response.hasSuffix("\n"))
        #expect(response.filter { $0 == "\n" }.count == 1)
        #expect(refusal { _ = try witness.addCheckpoint(body: Array("old 0\n".utf8)) }?.code == .malformedRequest)
    }

    @Test func anUnknownOriginIs404AndNothingIsWritten() throws {
        let witness = try makeWitness()
        let other = try TestLog(origin: "other.test/log")
        let refused = refusal { _ = try witness.addCheckpoint(other.request(old: 0, size: 3)) }
        #expect(refused?.code == .unknownLog)
        #expect(refused?.httpStatus == 404)
        #expect(try witness.directory.logs().map(\.origin) == [log.origin])
    }

    @Test func ofManyConcurrentRequestsFromOneOldSizeExactlyOneIsCosigned() throws {
        let witness = try makeWitness()
        let requests = try (1...8).map { try log.request(old: 0, size: UInt64($0)) }
        let outcomes = Mutex<[UInt64?]>([])
        DispatchQueue.concurrentPerform(iterations: requests.count) { index in
            let outcome: UInt64?
            do {
                _ = try witness.addCheckpoint(requests[index])
                outcome = nil
            } catch let refusal as WitnessRefusal {
                outcome = refusal.code == .sizeConflict ? refusal.currentSize : UInt64.max
            } catch {
                outcome = .max
            }
            outcomes.withLock { $0.append(outcome) }
        }
        let all = outcomes.withLock { $0 }
        let winners = all.filter { $0 == nil }.count
        #expect(winners == 1)
        let size = try #require(try witness.directory.log(origin: log.origin)?.size)
        #expect(all.compactMap { $0 }.allSatisfy { $0 == size })
    }

    @Test func compareAndSwapRefusesAStaleExpectation() throws {
        let witness = try makeWitness()
        let directory = witness.directory
        let start = try #require(try directory.log(origin: log.origin))
        let at4 = start.advanced(to: try CheckpointText(text: log.checkpoint(4).text), note: try log.checkpoint(4))
        let at6 = start.advanced(to: try CheckpointText(text: log.checkpoint(6).text), note: try log.checkpoint(6))
        #expect(try directory.compareAndSwap(expected: start, new: at4) == nil)
        #expect(try directory.compareAndSwap(expected: start, new: at6)?.size == 4)
        #expect(try directory.log(origin: log.origin)?.size == 4)
    }

    @Test func setupMistakesAreRefused() throws {
        let witness = try makeWitness()
        let state = temporary.file("witness")
        let identity = witness.identity
        #expect(throws: WitnessError.self) { try WitnessDirectory.create(path: state, identity: identity) }
        #expect(throws: WitnessError.self) { try witness.directory.addLog(WitnessedLog(origin: log.origin, logKeys: [])) }
        #expect(throws: WitnessError.self) { try Witness(directory: witness.directory, key: Ed25519PrivateKey()) }
        #expect(throws: WitnessError.self) { try Witness(directory: WitnessDirectory(path: temporary.file("nothing")), key: key) }
        // A damaged record is reported, not read as a fresh log.
        let file = state + "/logs/" + WitnessDirectory.originHash(log.origin) + ".json"
        try Data("{".utf8).write(to: URL(fileURLWithPath: file))
        let error = #expect(throws: WitnessError.self) { try witness.directory.log(origin: log.origin) }
        #expect(error?.code == .corruptState)
    }
}
