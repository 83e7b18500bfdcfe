internal import Foundation
internal import GRDB

/// What `Ledger.rebuildProjections()` did.
public struct ProjectionRebuild: Sendable, Hashable {
    /// Events read (every non-system event up to the head).
    public var eventsRead: Int
    /// Request streams projected.
    public var requests: Int
    /// The digest of the tables as the appends had written them, before the rebuild.
    public var previous: ProjectionDigest
    /// The digest of the rebuilt tables, now recorded in the ledger.
    public var rebuilt: ProjectionDigest
    /// Wall-clock seconds of the replay: emptying the tables, reading every event, writing
    /// every row and their indexes.
    public var replaySeconds: Double
    /// Wall-clock seconds of the whole rebuild, both digests and the commit included.
    public var seconds: Double

    /// True when the rebuild changed nothing: the incremental tables already equalled a replay.
    public var matchedIncremental: Bool { previous.matches(rebuilt) }

    /// Events replayed per second of replay.
    public var eventsPerSecond: Double { replaySeconds > 0 ? Double(eventsRead) / replaySeconds : 0 }

    /// Replays request streams from `db`'s events into `target`'s projection tables (which
    /// must be empty), through `through` when given: events are read and rows inserted on
    /// this thread, payloads parsed and streams projected on others (`ProjectionPipeline`).
    /// - Returns: events read and request streams projected.
    static func replay(from db: Database, into target: Database, through: Int64?) throws -> (events: Int, requests: Int) {
        let writer = ProjectionWriter(db: target)
        let pipeline = ProjectionPipeline(insert: writer.insert)
        let events = try RequestEventReader.forEachRequestStream(db: db, through: through, pipeline.add)
        try pipeline.finish()
        return (events, pipeline.requests)
    }
}
