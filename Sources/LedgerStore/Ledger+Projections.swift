internal import Dispatch
internal import Foundation
internal import GRDB
internal import LedgerCrypto
internal import LedgerFormat

extension Ledger {
    /// Empties the projection tables and replays every request stream into them, in one write
    /// transaction (appends wait meanwhile), then records the new digest in the ledger.
    ///
    /// The projections are updated in the same transaction as every append, so a rebuild
    /// normally changes nothing: `ProjectionRebuild.matchedIncremental` says whether it did.
    /// Three threads share the replay: a reader connection scans the events (from a snapshot
    /// of the state this transaction starts from), other threads parse and project the
    /// streams, and this connection only inserts rows. The digest of the tables as they were
    /// is taken on another reader, from the same state, while this one hashes the rebuilt
    /// tables: the two run side by side once the replay, which needs the cores, is done.
    /// Memory is bounded by the requests open at any point of the log.
    public func rebuildProjections() async throws -> ProjectionRebuild {
        let clock = configuration.clock
        let database = self.database
        return try await StorageErrors.mapping(path: path) {
            try await database.writeWithoutTransaction { db in
                let start = ContinuousClock.now
                let headBefore = try Self.headSeq(db)
                let previous = PendingDigest()
                let replayDone = DispatchSemaphore(value: 0)
                database.asyncConcurrentRead { snapshot in
                    replayDone.wait()
                    previous.fulfil(Result { try ProjectionDigest.hash(try snapshot.get()) })
                }
                // Whatever happens below, the reader must not wait forever.
                var signalled = false
                defer { if !signalled { replayDone.signal() } }
                let channel = ProjectionChannel()
                database.asyncConcurrentRead { snapshot in
                    let pipeline = ProjectionPipeline(insert: channel.send)
                    channel.finish(Result {
                        let events = try RequestEventReader.forEachRequestStream(db: try snapshot.get(), through: nil, pipeline.add)
                        try pipeline.finish()
                        return (events, pipeline.requests)
                    })
                }
                defer { channel.cancel() }
                // Room for every page the rebuilt tables dirty (112 MiB at 1M events), so that
                // none spills to the WAL before the commit, to be written there twice and read
                // back. SQLite takes the memory as pages come: a smaller ledger uses less.
                let cacheSize = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
                try db.execute(sql: "PRAGMA cache_size = -262144")
                defer { try? db.execute(sql: "PRAGMA cache_size = \(cacheSize)") }
                var result: ProjectionRebuild?
                try db.inTransaction(.immediate) {
                    let head = try Self.headSeq(db)
                    // Another writer may have committed between the snapshot and this
                    // transaction: then take the digest here, before the tables are emptied.
                    let before = head == headBefore ? nil : try ProjectionDigest.hash(db)
                    let replayStart = ContinuousClock.now
                    let writer = ProjectionWriter(db: db)
                    try writer.clear()
                    let replayed = try writer.withoutSecondaryIndexes {
                        guard before == nil else {
                            // The snapshot the reader scans is older than this transaction.
                            channel.cancel()
                            return try ProjectionRebuild.replay(from: db, into: db, through: nil)
                        }
                        while let rows = channel.receive() { try writer.insert(rows) }
                        return try channel.outcome()
                    }
                    let replaySeconds = Self.seconds(ContinuousClock.now - replayStart)
                    replayDone.signal()
                    signalled = true
                    let rebuilt = ProjectionDigest(throughSeq: head, digest: try ProjectionDigest.hash(db), recordedAt: clock())
                    try db.execute(
                        sql: """
                            INSERT OR REPLACE INTO projection_digest (singleton, projection_version, through_seq, digest, recorded_at)
                            VALUES (1, ?, ?, ?, ?)
                            """,
                        arguments: [rebuilt.version, rebuilt.throughSeq, rebuilt.digest.hex, rebuilt.recordedAt?.description])
                    let digestBefore = try before ?? previous.wait()
                    result = ProjectionRebuild(
                        eventsRead: replayed.events, requests: replayed.requests,
                        previous: ProjectionDigest(throughSeq: head, digest: digestBefore), rebuilt: rebuilt,
                        replaySeconds: replaySeconds, seconds: 0)
                    return .commit
                }
                result!.seconds = Self.seconds(ContinuousClock.now - start)
                return result!
            }
        }
    }

    /// The digest of the projection tables as they stand, through the head.
    public func projectionDigest() async throws -> ProjectionDigest {
        try await StorageErrors.mapping(path: path) {
            try await database.read { db in
                try Self.requireProjectionTables(db, path: self.path)
                return ProjectionDigest(throughSeq: try Self.headSeq(db), digest: try ProjectionDigest.hash(db))
            }
        }
    }

    /// The digest `ledger rebuild` last recorded, if any.
    public func recordedProjectionDigest() async throws -> ProjectionDigest? {
        try await StorageErrors.mapping(path: path) {
            try await database.read { db in
                try Self.requireProjectionTables(db, path: self.path)
                return try Self.recordedDigest(db)
            }
        }
    }

    /// Replays events `1…through` (default: up to the head) into a scratch database and
    /// returns the digest of the projections it builds, leaving the ledger untouched. Works on
    /// a read-only ledger.
    ///
    /// - Throws: `LedgerError.storage` when the scratch database cannot be made.
    public func replayedProjectionDigest(through: Int64? = nil) throws -> ProjectionDigest {
        try StorageErrors.mapping(path: path) {
            try database.read { db in try Self.replayedDigest(db, through: min(through ?? Self.headSeq(db), Self.headSeq(db))) }
        }
    }

    /// Holds the projection tables, and the digest `ledger rebuild` recorded, to a fresh
    /// replay of the events, all from one read snapshot: the check `ledger rebuild --check`
    /// runs (`ledger verify` compares request by request in its walk instead, without a second
    /// pass: `ProjectionTableCheck`). Replays twice when the recorded digest covers
    /// fewer events than the head. Works on a read-only ledger; changes nothing.
    public func checkProjections() throws -> ProjectionCheck {
        try StorageErrors.mapping(path: path) {
            try database.read { db in
                try Self.requireProjectionTables(db, path: self.path)
                let head = try Self.headSeq(db)
                let tables = ProjectionDigest(throughSeq: head, digest: try ProjectionDigest.hash(db))
                let replayed = try Self.replayedDigest(db, through: head)
                let recorded = try Self.recordedDigest(db)
                var recordedReplay: ProjectionDigest?
                if let recorded, recorded.version == ProjectionDigest.currentVersion, recorded.throughSeq <= head {
                    recordedReplay = recorded.throughSeq == head ? replayed : try Self.replayedDigest(db, through: recorded.throughSeq)
                }
                return ProjectionCheck(tables: tables, replayed: replayed, recorded: recorded, recordedReplay: recordedReplay)
            }
        }
    }

    /// Replays `db`'s events through `through` into a scratch file in the system temporary
    /// directory, which is removed afterwards; memory stays bounded by SQLite's page cache.
    static func replayedDigest(_ db: Database, through: Int64) throws -> ProjectionDigest {
        let scratchPath = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-replay-\(UUID().uuidString).sqlite").path
        defer {
            for suffix in ["", "-journal", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: scratchPath + suffix) }
        }
        let scratch = try DatabaseQueue(path: scratchPath)
        defer { try? scratch.close() }
        try scratch.writeWithoutTransaction { target in
            try target.execute(sql: "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF")
        }
        try migrator.migrate(scratch)
        let digest = try scratch.writeWithoutTransaction { target in
            try target.inTransaction {
                _ = try ProjectionRebuild.replay(from: db, into: target, through: through)
                return .commit
            }
            return try ProjectionDigest.hash(target)
        }
        return ProjectionDigest(throughSeq: through, digest: digest)
    }

    static func recordedDigest(_ db: Database) throws -> ProjectionDigest? {
        guard let row = try Row.fetchOne(db, sql: "SELECT projection_version, through_seq, digest, recorded_at FROM projection_digest"),
              let bytes = Hex.decode(row[2] as String), let digest = SHA256Digest(bytes: bytes)
        else { return nil }
        return ProjectionDigest(version: row[0], throughSeq: row[1], digest: digest, recordedAt: Timestamp(row[3] as String))
    }

    static func headSeq(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM events WHERE seq >= 1") ?? 0
    }

    /// A ledger written before the metrics projections existed and opened read-only has not
    /// been migrated.
    static func requireProjectionTables(_ db: Database, path: String) throws {
        guard try db.tableExists("request_timings") else {
            throw LedgerError(
                .unsupportedVersion,
                "'\(path)' predates the metrics projections; run `ledger rebuild` once with write access to add them")
        }
    }
}

extension Ledger {
    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }
}
