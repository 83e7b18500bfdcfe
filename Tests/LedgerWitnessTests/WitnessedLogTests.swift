import LedgerCrypto
import LedgerFormat
import LedgerWitness
import Testing

/// The add-checkpoint decision without I/O: every refusal of c2sp.org/tlog-witness with its
/// status, and the cases that must pass.
@Suite struct WitnessedLogTests {
    let log = try! TestLog()
    var fresh: WitnessedLog { WitnessedLog(origin: log.origin, logKeys: [log.verifierKey]) }

    func record(at size: UInt64) throws -> WitnessedLog {
        let text = try CheckpointText(text: log.checkpoint(size).text)
        return fresh.advanced(to: text, note: try log.checkpoint(size))
    }

    func refusal(_ record: WitnessedLog, _ request: AddCheckpointRequest) -> WitnessRefusal? {
        do {
            _ = try record.check(request)
            return nil
        } catch {
            return error
        }
    }

    @Test func aFirstCheckpointFromZeroNeedsNoProof() throws {
        let text = try fresh.check(log.request(old: 0, size: 7))
        #expect(text.size == 7)
        #expect(text.rootHash == (try log.root(7)))
    }

    @Test func aValidConsistencyProofAdvancesAndABadOneIs422() throws {
        let at3 = try record(at: 3)
        for size: UInt64 in [3, 4, 7, 8, 13, 20] {
            #expect(try at3.check(log.request(old: 3, size: size)).size == size)
        }
        var bad = try log.request(old: 3, size: 13)
        bad.proof[0][0] ^= 1
        #expect(refusal(at3, bad)?.code == .inconsistent)
        #expect(refusal(at3, bad)?.httpStatus == 422)
        var short = try log.request(old: 3, size: 13)
        short.proof.removeLast()
        #expect(refusal(at3, short)?.httpStatus == 422)
    }

    @Test func theSameSizeWithAnotherRootIs422() throws {
        let at5 = try record(at: 5)
        let fork = AddCheckpointRequest(oldSize: 5, proof: [], checkpoint: try log.checkpoint(5, root: log.root(6)))
        #expect(refusal(at5, fork)?.code == .inconsistent)
        #expect(refusal(at5, fork)?.httpStatus == 422)
        // A different history of the same length signed by the log: a split view, refused.
        let other = try TestLog(origin: log.origin, entries: 20, salt: "forked ")
        let split = AddCheckpointRequest(oldSize: 5, proof: try other.proof(from: 5, to: 9), checkpoint: try log.checkpoint(9, root: other.root(9)))
        #expect(refusal(at5, split)?.code == .inconsistent)
    }

    @Test func anOldSizeOtherThanTheWitnessesIs409WithItsSize() throws {
        let at5 = try record(at: 5)
        for old: UInt64 in [0, 3, 6] {
            let refused = refusal(at5, try log.request(old: old, size: 9))
            #expect(refused?.code == .sizeConflict)
            #expect(refused?.httpStatus == 409)
            #expect(refused?.currentSize == 5)
        }
    }

    @Test func anOldSizeAboveTheCheckpointsIs400() throws {
        let request = AddCheckpointRequest(oldSize: 9, proof: [], checkpoint: try log.checkpoint(5))
        #expect(refusal(try record(at: 9), request)?.code == .oldSizeTooLarge)
        #expect(refusal(try record(at: 9), request)?.httpStatus == 400)
    }

    @Test func aProofWithOldSizeZeroIs422() throws {
        var request = try log.request(old: 0, size: 6)
        request.proof = [try log.root(1)]
        #expect(refusal(fresh, request)?.code == .unexpectedProof)
        #expect(refusal(fresh, request)?.httpStatus == 422)
    }

    @Test func anEmptyTreeMustHaveTheEmptyRoot() throws {
        #expect(try fresh.check(AddCheckpointRequest(oldSize: 0, proof: [], checkpoint: log.checkpoint(0))).size == 0)
        let wrong = AddCheckpointRequest(oldSize: 0, proof: [], checkpoint: try log.checkpoint(0, root: log.root(1)))
        #expect(refusal(fresh, wrong)?.code == .invalidEmptyRoot)
        #expect(refusal(fresh, wrong)?.httpStatus == 422)
    }

    @Test func aCheckpointNotSignedByATrustedKeyIs403() throws {
        let stranger = try Ed25519PrivateKey()
        let unsigned = AddCheckpointRequest(oldSize: 0, proof: [], checkpoint: try log.checkpoint(4, signer: stranger))
        #expect(refusal(fresh, unsigned)?.code == .untrustedCheckpoint)
        #expect(refusal(fresh, unsigned)?.httpStatus == 403)
        // The log's own line, altered: the note is rejected even with a good line beside it.
        var forged = try log.request(old: 0, size: 4)
        var line = forged.checkpoint.signatures[0]
        line.signature[5] ^= 1
        forged.checkpoint.signatures.append(line)
        #expect(refusal(fresh, forged)?.httpStatus == 403)
        // Others' lines beside the log's are ignored.
        var cosigned = try log.request(old: 0, size: 4)
        cosigned.checkpoint.signatures.append(try SignedNote.sign(cosigned.checkpoint.text, name: "someone.test/else", key: stranger))
        #expect(try fresh.check(cosigned).size == 4)
    }
}

@Suite struct AddCheckpointRequestTests {
    let log = try! TestLog()

    @Test func theBodyRoundTrips() throws {
        let request = try log.request(old: 3, size: 13)
        #expect(!request.proof.isEmpty)
        let body = String(decoding: request.body, as: UTF8.self)
        #expect(body.hasPrefix("old 3\n"))
        #expect(body.contains("\n\n\(log.origin)\n13\n"))
        #expect(try AddCheckpointRequest(body: request.body) == request)
        let first = try log.request(old: 0, size: 2)
        #expect(String(decoding: first.body, as: UTF8.self).hasPrefix("old 0\n\n\(log.origin)\n2\n"))
        #expect(try AddCheckpointRequest(body: first.body) == first)
    }

    @Test(arguments: ["", "old 3", "old 03\n\n", "old -1\n\n", "old  3\n\n", "Old 3\n\n", "old 3\nAAAA\n\n", "old 3\n"])
    func malformedHeadersAreRefused(_ header: String) throws {
        #expect(throws: FormatError.self) { try AddCheckpointRequest(body: Array(header.utf8) + log.checkpoint(5).bytes) }
    }

    @Test func aBodyWithoutACheckpointIsRefused() {
        #expect(throws: FormatError.self) { try AddCheckpointRequest(body: Array("old 3\n\n".utf8)) }
    }

    @Test func atMost63ProofLines() throws {
        let note = try log.checkpoint(5)
        let hash = Base64.encode(try log.root(1))
        let lines = { (count: Int) in Array(("old 3\n" + String(repeating: hash + "\n", count: count) + "\n").utf8) + note.bytes }
        #expect(try AddCheckpointRequest(body: lines(63)).proof.count == 63)
        #expect(throws: FormatError.self) { try AddCheckpointRequest(body: lines(64)) }
    }
}
