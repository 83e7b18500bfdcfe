import ApprovalLedger
import Foundation
import GRDB

/// What keeping the Merkle tree costs an append, alone: the work `Appender.extendTree` does
/// for each event (its leaf hash, the interior nodes it completes, hashed and inserted into a
/// `merkle_nodes` table of the migration's shape), in transactions of the batch size, on a
/// scratch SQLite file of its own.
///
/// The ledger has no switch to append without its tree, and the benchmark adds none: this
/// probe is the difference. It commits at `synchronous=NORMAL` because in a real append the
/// tree's rows share the event's commit and its fsync; what it measures is CPU.
enum TreeUpkeepProbe {
    /// CPU µs per event (all threads), or nil when the probe database cannot be made.
    static func measure(directory: String, events: Int, batchSize: Int) -> Double? {
        let path = directory + "/tree-probe.sqlite"
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        // The event hashes the appends would have chained, made before the clock starts.
        let hashes = (0..<events).map { SHA256.hash(Array("event \($0)".utf8)) }
        do {
            let pool = try DatabasePool(path: path)
            return try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
                try db.execute(sql: "CREATE TABLE merkle_nodes (pos INTEGER PRIMARY KEY, hash BLOB NOT NULL) STRICT")
                var frontier = MerkleFrontier()
                var position: Int64 = 0
                let cpu = PhaseTiming.processCPUSeconds()
                var start = 0
                while start < events {
                    let batch = hashes[start..<min(start + batchSize, events)]
                    start += batch.count
                    try db.inTransaction(.immediate) {
                        let insert = try db.cachedStatement(sql: "INSERT INTO merkle_nodes (pos, hash) VALUES (?, ?)")
                        for hash in batch {
                            for node in frontier.append(MerkleTree.leafHash(hash.bytes)) {
                                try insert.execute(arguments: [position, Data(node.hash.bytes)])
                                position += 1
                            }
                        }
                        return .commit
                    }
                }
                guard position == Int64(events - events.nonzeroBitCount) else { return nil }
                return (PhaseTiming.processCPUSeconds() - cpu) * 1e6 / Double(events)
            }
        } catch {
            return nil
        }
    }
}
