import Foundation
import GRDB

/// The floor under every durable per-save append on this disk: SQLite transactions that each
/// insert one 1 KiB row (about what an event takes on disk) and commit, in WAL mode with
/// `synchronous=FULL`, as fast as they go. No durable save, ours or the peer's, can beat it.
enum CommitProbe {
    /// Commits per second and CPU µs per commit, or nil when the probe database cannot be made.
    static func measure(directory: String, seconds: Double) -> (perSecond: Double, cpuMicroseconds: Double)? {
        let path = directory + "/commit-probe.sqlite"
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        do {
            // A DatabasePool opens the file in WAL mode, as the ledger does, and sets its writer
            // to synchronous=NORMAL: FULL is set afterwards, as the ledger does.
            let pool = try DatabasePool(path: path)
            let row = Data(repeating: 0x42, count: 1024)
            return try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
                guard try Int.fetchOne(db, sql: "PRAGMA synchronous") == 2 else { return nil }
                try db.execute(sql: "CREATE TABLE probe (id INTEGER PRIMARY KEY, bytes BLOB NOT NULL)")
                let insert = try db.makeStatement(sql: "INSERT INTO probe (bytes) VALUES (?)")
                let cpu = PhaseTiming.processCPUSeconds()
                var commits = 0
                let rate = try Stopwatch.rate(for: seconds, round: 8) { _ in
                    try db.inTransaction(.immediate) {
                        try insert.execute(arguments: [row])
                        return .commit
                    }
                    commits += 1
                }
                return (rate, (PhaseTiming.processCPUSeconds() - cpu) * 1e6 / Double(commits)) as (perSecond: Double, cpuMicroseconds: Double)?
            }
        } catch {
            return nil
        }
    }
}
