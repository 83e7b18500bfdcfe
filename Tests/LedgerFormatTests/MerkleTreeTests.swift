import Foundation
import LedgerCrypto
import LedgerFormat
import Testing
import TestSupport

/// The RFC 6962 tree, its proofs and their checks, on transparency-dev/merkle's published
/// vectors (../shared/vectors/merkle).
@Suite struct MerkleTreeTests {
    /// Perfect subtrees computed from leaf data held in memory: the reference the stored tree
    /// is compared with.
    struct MemoryTree {
        let leaves: [SHA256Digest]

        init(entries: [[UInt8]]) { leaves = entries.map { MerkleTree.leafHash($0) } }

        func subtree(_ level: Int, _ index: UInt64) -> SHA256Digest {
            if level == 0 { return leaves[Int(index)] }
            return MerkleTree.nodeHash(subtree(level - 1, index * 2), subtree(level - 1, index * 2 + 1))
        }
    }

    let rfc = try! TestPaths.vectorJSON("merkle/rfc6962_vectors.json") as! [String: Any]
    var entries: [[UInt8]] { (rfc["leaves"] as! [String]).map { Hex.decode($0)! } }

    @Test func rootsOfEveryPrefixMatchTheVectors() throws {
        let tree = MemoryTree(entries: entries)
        for case let root as [String: Any] in rfc["roots"] as! [Any] {
            let size = UInt64(root["tree_size"] as! Int)
            let computed = try MerkleTree.root(size: size, subtree: tree.subtree)
            #expect(computed.hex == root["root"] as! String, "root at size \(size)")
            var frontier = MerkleFrontier()
            for leaf in tree.leaves.prefix(Int(size)) { frontier.append(leaf) }
            #expect(frontier.root == computed, "frontier root at size \(size)")
        }
    }

    @Test func frontierCompletesTheVectorNodes() throws {
        let levels = (rfc["node_hashes"] as! [String: Any])["levels"] as! [[String]]
        var frontier = MerkleFrontier()
        var completed: [String] = []
        for leaf in MemoryTree(entries: entries).leaves {
            for node in frontier.append(leaf) {
                #expect(levels[node.level][Int(node.index)] == node.hash.hex)
                completed.append(node.hash.hex)
            }
        }
        #expect(completed.count == 4 + 2 + 1)
    }

    @Test func proofsAreGeneratedExactlyAndVerify() throws {
        let tree = MemoryTree(entries: entries)
        for case let probe as [String: Any] in rfc["inclusion_proofs"] as! [Any] {
            let index = UInt64(probe["leaf_index"] as! Int), size = UInt64(probe["tree_size"] as! Int)
            let proof = try MerkleTree.inclusionProof(leafIndex: index, treeSize: size, subtree: tree.subtree)
            #expect(proof.hashes.map(Hex.encode) == probe["proof"] as! [String], "inclusion \(index) in \(size)")
            try proof.verify(leafHash: Hex.decode(probe["leaf_hash"] as! String)!, root: Hex.decode(probe["root"] as! String)!)
        }
        for case let probe as [String: Any] in rfc["consistency_proofs"] as! [Any] {
            let old = UInt64(probe["size1"] as! Int), new = UInt64(probe["size2"] as! Int)
            let proof = try MerkleTree.consistencyProof(oldSize: old, newSize: new, subtree: tree.subtree)
            #expect(proof.hashes.map(Hex.encode) == probe["proof"] as! [String], "consistency \(old) to \(new)")
            try proof.verify(oldRoot: Hex.decode(probe["root1"] as! String)!, newRoot: Hex.decode(probe["root2"] as! String)!)
        }
    }

    /// Every proof between every pair of sizes up to 70 leaves verifies, and no proof verifies
    /// for a neighbouring leaf or with one bit changed.
    @Test func everyProofUpToSeventyLeavesVerifiesAndResistsChange() throws {
        let tree = MemoryTree(entries: (0..<70).map { [UInt8($0), 0x5A] })
        for size in UInt64(1)...70 {
            let root = try MerkleTree.root(size: size, subtree: tree.subtree).bytes
            for index in 0..<size {
                let proof = try MerkleTree.inclusionProof(leafIndex: index, treeSize: size, subtree: tree.subtree)
                try proof.verify(leafHash: tree.leaves[Int(index)].bytes, root: root)
                #expect(throws: MerkleProofError.self) { try proof.verify(leafHash: tree.leaves[Int((index + 1) % 70)].bytes, root: root) }
                if var tampered = proof.hashes.first {
                    tampered[0] ^= 1
                    var bad = proof
                    bad.hashes[0] = tampered
                    #expect(throws: MerkleProofError.self) { try bad.verify(leafHash: tree.leaves[Int(index)].bytes, root: root) }
                }
            }
            for old in UInt64(1)...size {
                let proof = try MerkleTree.consistencyProof(oldSize: old, newSize: size, subtree: tree.subtree)
                let oldRoot = try MerkleTree.root(size: old, subtree: tree.subtree).bytes
                try proof.verify(oldRoot: oldRoot, newRoot: root)
                if old < size {
                    #expect(throws: MerkleProofError.self) { try proof.verify(oldRoot: root, newRoot: oldRoot) }
                }
            }
        }
    }

    @Test(arguments: ["inclusion", "consistency"])
    func transparencyDevProbesFailExactlyWhenTheyShould(kind: String) throws {
        let directory = TestPaths.vectors.appendingPathComponent("merkle/transparency-dev/testdata/\(kind)")
        let files = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)!
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "json" }
        #expect(files.count == 98)
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            let probe = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
            let bytes = { (name: String) in [UInt8](Data(base64Encoded: probe[name] as! String)!) }
            let proof = ((probe["proof"] as? [String]) ?? []).map { [UInt8](Data(base64Encoded: $0)!) }
            let failed: Bool
            if kind == "inclusion" {
                // Read as text: two probes use UInt64.max, which Foundation would round.
                let index = UInt64(Self.integer("leafIdx", in: text))!, size = UInt64(Self.integer("treeSize", in: text))!
                failed = (try? InclusionProof(leafIndex: index, treeSize: size, hashes: proof).verify(leafHash: bytes("leafHash"), root: bytes("root"))) == nil
            } else {
                let old = UInt64(Self.integer("size1", in: text))!, new = UInt64(Self.integer("size2", in: text))!
                failed = (try? ConsistencyProof(oldSize: old, newSize: new, hashes: proof).verify(oldRoot: bytes("root1"), newRoot: bytes("root2"))) == nil
            }
            #expect(failed == (probe["wantErr"] as! Bool), "\(file.path)")
        }
    }

    private static func integer(_ name: String, in text: String) -> String {
        let range = text.range(of: "\"\(name)\"\\s*:\\s*[0-9]+", options: .regularExpression)!
        return String(text[range].split(separator: ":").last!.trimmingCharacters(in: .whitespaces))
    }
}
