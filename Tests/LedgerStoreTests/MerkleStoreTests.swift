import ApprovalLedger
import Foundation
import GRDB
import Testing
import TestSupport

/// The Merkle tree kept in each append's transaction: roots and proofs from the stored nodes
/// equal the RFC 6962 tree of the event hashes, whatever path the events took in.
@Suite struct MerkleStoreTests {
    /// The reference: the tree computed in memory from the events as stored.
    static func referenceRoot(_ hashes: [SHA256Digest], size: Int) -> SHA256Digest {
        var frontier = MerkleFrontier()
        for hash in hashes.prefix(size) { frontier.append(MerkleTree.leafHash(hash.bytes)) }
        return frontier.root
    }

    static func hashes(_ ledger: Ledger) async throws -> [SHA256Digest] {
        var hashes: [SHA256Digest] = []
        var from: Int64 = 1
        while true {
            let page = try await ledger.events(from: from, limit: 1000)
            guard let last = page.last else { return hashes }
            hashes += page.map(\.hash)
            from = last.envelope.seq + 1
        }
    }

    @Test("Single appends, a large batch and concurrent group commits all leave the tree of the event hashes")
    func treeFollowsEveryAppendPath() async throws {
        let fixture = try await LedgerFixture.make()
        try await fixture.appendNotes(5)
        _ = try await fixture.ledger.append(
            (0..<300).map { EventDraft(type: "deploy.note", stream: "batch", payload: ["n": .integer(Int64($0))]) }, signer: fixture.alice)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<16 {
                group.addTask {
                    for n in 0..<4 {
                        _ = try await fixture.ledger.append(
                            EventDraft(type: "deploy.note", stream: "task-\(task)", payload: ["n": .integer(Int64(n))]), signer: fixture.alice)
                    }
                }
            }
            try await group.waitForAll()
        }
        let hashes = try await Self.hashes(fixture.ledger)
        let total = hashes.count
        #expect(total == 372)
        for size in [1, 2, 3, 7, 8, 9, 100, 255, 256, 257, hashes.count] {
            let root = try await fixture.ledger.treeRoot(size: Int64(size)).root
            let expected = Self.referenceRoot(hashes, size: size)
            #expect(root == expected, "root at \(size)")
        }
        let report = try fixture.verify()
        #expect(report.findings.isEmpty, "\(report.findings)")
        #expect(report.checks.contains("tree"))
    }

    @Test("Inclusion and consistency proofs from the stored tree verify against the reference roots")
    func proofsVerify() async throws {
        let fixture = try await LedgerFixture.make()
        try await fixture.appendNotes(40)
        let hashes = try await Self.hashes(fixture.ledger)
        let size = hashes.count
        for seq in [1, 2, 17, 32, size] {
            let (proof, root, event) = try await fixture.ledger.inclusionProof(seq: Int64(seq))
            let expected = Self.referenceRoot(hashes, size: size)
            #expect(root == expected)
            #expect(event.hash == hashes[seq - 1])
            try proof.verify(leafHash: MerkleTree.leafHash(event.hash.bytes).bytes, root: root.bytes)
        }
        for old in [1, 4, 5, 31, 32, 33, size] {
            let (proof, oldRoot, newRoot) = try await fixture.ledger.consistencyProof(from: Int64(old))
            let expected = Self.referenceRoot(hashes, size: old)
            #expect(oldRoot == expected)
            try proof.verify(oldRoot: oldRoot.bytes, newRoot: newRoot.bytes)
        }
        await #expect(throws: LedgerError.self) { try await fixture.ledger.inclusionProof(seq: Int64(size + 1)) }
        await #expect(throws: LedgerError.self) { try await fixture.ledger.consistencyProof(from: 0) }
    }

    @Test("A ledger written before the tree existed gets it on its first writable open, and appends extend it")
    func olderFileGetsItsTree() async throws {
        let fixture = try await LedgerFixture.make()
        try await fixture.appendNotes(21)
        try fixture.tamper("DROP TABLE merkle_nodes; DELETE FROM grdb_migrations WHERE identifier = '0005_merkle'")
        let reopened = try await fixture.openAgain()
        _ = try await reopened.append(EventDraft(type: "deploy.note", stream: "after", payload: [:]), signer: fixture.alice)
        let hashes = try await Self.hashes(reopened)
        let expected = Self.referenceRoot(hashes, size: hashes.count)
        let root = try await reopened.treeRoot().root
        #expect(root == expected)
        let report = try Verifier().verify(reopened)
        #expect(report.findings.isEmpty, "\(report.findings)")
    }

    @Test("An attacker who edits, deletes or adds tree rows is reported (tree-mismatch); events still verify")
    func editedTreeRowsAreReported() async throws {
        for attack in [
            "UPDATE merkle_nodes SET hash = zeroblob(32) WHERE pos = 3",
            "DELETE FROM merkle_nodes WHERE pos = 5",
            "INSERT INTO merkle_nodes (pos, hash) VALUES (1000, zeroblob(32))",
        ] {
            let fixture = try await LedgerFixture.make()
            try await fixture.appendNotes(12)
            try fixture.tamper("DROP TRIGGER merkle_nodes_are_immutable_update; DROP TRIGGER merkle_nodes_are_immutable_delete; " + attack)
            let codes: [FindingCode] = try fixture.verify().findings.map(\.code)
            #expect(codes == [FindingCode.treeMismatch], "\(attack)")
        }
    }

    @Test("The immutability triggers refuse UPDATE and DELETE of tree rows")
    func triggersRefuseChanges() async throws {
        let fixture = try await LedgerFixture.make()
        try await fixture.appendNotes(4)
        #expect(throws: (any Error).self) { try fixture.tamper("UPDATE merkle_nodes SET hash = zeroblob(32)") }
        #expect(throws: (any Error).self) { try fixture.tamper("DELETE FROM merkle_nodes") }
    }

    /// The rewrite a key holder can do without being seen in the chain: change an old event,
    /// re-link, re-hash and re-sign everything after it, and rebuild the stored tree.
    static func rewrite(_ fixture: LedgerFixture, seq target: Int64, keys: [KeyID: Ed25519PrivateKey]) async throws {
        let events = try await hashes(fixture.ledger).indices.asyncMap { try await fixture.ledger.events(from: Int64($0) + 1, limit: 1)[0] }
        var previous = SHA256Digest.zero
        var frontier = MerkleFrontier()
        var rows: [(Int64, Data)] = []
        for event in events {
            var envelope = event.envelope
            var payload = event.payloadBytes ?? []
            if envelope.seq == target {
                payload = CanonicalJSON.encode(["n": .integer(999), "rewritten": .bool(true)])
            }
            envelope = EventEnvelope(
                seq: envelope.seq, type: envelope.type, stream: envelope.stream, streamVersion: envelope.streamVersion, actor: envelope.actor,
                keyID: envelope.keyID, time: envelope.time, previousHash: previous, payloadHash: SHA256.hash(payload),
                idempotencyKey: envelope.idempotencyKey, correlationID: envelope.correlationID, origin: envelope.origin)
            let sealed = try RecordedEvent.seal(envelope, payloadBytes: payload, signer: keys[envelope.keyID]!)
            previous = sealed.hash
            if envelope.seq >= target {
                try fixture.tamper(
                    "UPDATE events SET hash = ?, prev_hash = ?, envelope = ?, signature = ? WHERE seq = ?",
                    arguments: [Data(sealed.hash.bytes), Data(envelope.previousHash.bytes), Data(sealed.envelopeBytes), Data(sealed.signature), envelope.seq])
                try fixture.tamper("DELETE FROM payloads WHERE seq = ?; INSERT INTO payloads (seq, bytes) VALUES (?, ?)", arguments: [envelope.seq, envelope.seq, Data(payload)])
            }
            for node in frontier.append(MerkleTree.leafHash(sealed.hash.bytes)) {
                rows.append((LedgerSnapshot.treePosition(level: node.level, index: node.index), Data(node.hash.bytes)))
            }
        }
        try fixture.tamper("DROP TRIGGER merkle_nodes_are_immutable_delete; DELETE FROM merkle_nodes")
        for (pos, hash) in rows { try fixture.tamper("INSERT INTO merkle_nodes (pos, hash) VALUES (?, ?)", arguments: [pos, hash]) }
    }

    @Test("A history rewritten after a checkpoint, chain and tree re-signed and rebuilt: it verifies alone, but not against the checkpoint, and no consistency proof joins them")
    func rewrittenHistoryFailsTheCheckpoint() async throws {
        let fixture = try await LedgerFixture.make()
        try await fixture.appendNotes(10)
        let checkpoint = try await fixture.ledger.treeCheckpoint(signer: fixture.root)
        try await fixture.appendNotes(6)
        let before = try await fixture.ledger.consistencyProof(from: checkpoint.size)
        try before.proof.verify(oldRoot: checkpoint.root.bytes, newRoot: before.newRoot.bytes)

        let keys = Dictionary(uniqueKeysWithValues: [fixture.root, fixture.alice, fixture.bob].map { ($0.key.publicKey.keyID, $0.key) })
        try await Self.rewrite(fixture, seq: 6, keys: keys)

        let alone = try fixture.verify()
        #expect(alone.findings.isEmpty, "a perfect rewrite is invisible without an anchor: \(alone.findings)")
        var verifier = Verifier()
        verifier.treeAnchors = [checkpoint]
        let anchored = try verifier.verify(fixture.ledger)
        #expect(anchored.findings.map(\.code) == [.anchorMismatch])
        // The ledger can only prove consistency with its own new past, not with the checkpoint.
        let after = try await fixture.ledger.consistencyProof(from: checkpoint.size)
        #expect(after.oldRoot != checkpoint.root)
        #expect(throws: MerkleProofError.self) { try after.proof.verify(oldRoot: checkpoint.root.bytes, newRoot: after.newRoot.bytes) }
    }
}

extension MerkleStoreTests {
    @Test("An incremental verify holds an older checkpoint to the trusted one by a consistency proof: the same history passes, a fork fails")
    func olderAnchorsAreCheckedByProof() async throws {
        let fixture = try await LedgerFixture.make()
        try await fixture.appendNotes(9)
        let old = try await fixture.ledger.treeCheckpoint(signer: fixture.root)
        try await fixture.appendNotes(7)
        let trusted = try await fixture.ledger.treeCheckpoint(signer: fixture.root)
        try await fixture.appendNotes(3)
        var verifier = Verifier()
        verifier.treeAnchors = [old]
        let same = try verifier.verify(fixture.ledger, since: .tree(trusted))
        #expect(same.findings.isEmpty, "\(same.findings)")

        // The operator rewrites event 4, re-signs everything after it, and signs a new trusted
        // checkpoint of the fork: the fork verifies against it, but the old one exposes it.
        let keys = Dictionary(uniqueKeysWithValues: [fixture.root, fixture.alice, fixture.bob].map { ($0.key.publicKey.keyID, $0.key) })
        try await Self.rewrite(fixture, seq: 4, keys: keys)
        let forked = try await fixture.ledger.treeCheckpoint(signer: fixture.root)
        let fork = try verifier.verify(fixture.ledger, since: .tree(forked))
        #expect(fork.findings.map(\.code) == [.anchorMismatch], "\(fork.findings)")
    }
}

extension MerkleStoreTests {
    @Test("--witnesses N: a checkpoint note needs valid cosignatures of N given witnesses (anchor-unwitnessed)")
    func witnessedAnchors() async throws {
        let fixture = try await LedgerFixture.make()
        try await fixture.appendNotes(5)
        var checkpoint = try await fixture.ledger.treeCheckpoint(signer: fixture.root)
        let first = try Ed25519PrivateKey(), second = try Ed25519PrivateKey()
        let keys = [CosignerKey(name: "witness.example/a", publicKey: first.publicKey), CosignerKey(name: "witness.example/b", publicKey: second.publicKey)]
        var verifier = Verifier()
        verifier.witnessKeys = keys
        verifier.requiredWitnesses = 1
        verifier.treeAnchors = [checkpoint]
        #expect(try verifier.verify(fixture.ledger).findings.map(\.code) == [.anchorUnwitnessed])

        checkpoint.note.signatures.append(try Cosignature.sign(checkpoint.note.text, timestamp: 1_764_000_000, name: "witness.example/a", key: first))
        verifier.treeAnchors = [checkpoint]
        #expect(try verifier.verify(fixture.ledger).findings.isEmpty)
        verifier.requiredWitnesses = 2
        #expect(try verifier.verify(fixture.ledger).findings.map(\.code) == [.anchorUnwitnessed])
        // A cosignature over another text (a fork's checkpoint) does not count.
        checkpoint.note.signatures.append(try Cosignature.sign(Array("other\n".utf8), timestamp: 1_764_000_000, name: "witness.example/b", key: second))
        verifier.treeAnchors = [checkpoint]
        #expect(try verifier.verify(fixture.ledger).findings.map(\.code) == [.anchorUnwitnessed])
    }
}

extension Collection {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
