internal import Dispatch
internal import Synchronization

/// Projects request streams on other cores while the thread that reads events goes on
/// reading: parsing and folding are the part of a rebuild that parallelizes.
///
/// Batches of streams are submitted in the order the streams complete, and their rows are
/// handed to `insert` (the writer, or the channel to it) in the same order, on the reading
/// thread. At most `depth` batches are in flight, so memory stays bounded by the batch size,
/// whatever the ledger's length.
final class ProjectionPipeline {
    /// Streams submitted together; about this many events per batch.
    static let batchEvents = 2048
    private static let depth = 3

    /// A batch and, once projected, its rows.
    private final class Batch: Sendable {
        /// The streams until a worker takes them, so that their events are freed there, not on
        /// the reading thread.
        let streams: Mutex<[RawRequestStream]>
        let group = DispatchGroup()
        let projected = Mutex(0)
        let rows = Mutex<ProjectionRows?>(nil)

        init(_ streams: [RawRequestStream]) { self.streams = Mutex(streams) }
    }

    private let insert: (ProjectionRows) throws -> Void
    private var collecting: [RawRequestStream] = []
    private var collectingEvents = 0
    private var inFlight: [Batch] = []
    /// Requests inserted so far.
    private(set) var requests = 0

    init(insert: @escaping (ProjectionRows) throws -> Void) {
        self.insert = insert
    }

    /// Queues one stream; submits a batch once enough events are queued.
    func add(_ stream: RawRequestStream) throws {
        collecting.append(stream)
        collectingEvents += stream.events.count
        if collectingEvents >= Self.batchEvents { try submit() }
    }

    /// Submits what is queued and inserts every batch still in flight.
    func finish() throws {
        try submit()
        while !inFlight.isEmpty { try insertOldest() }
    }

    private func submit() throws {
        guard !collecting.isEmpty else { return }
        let batch = Batch(collecting)
        collecting = []
        collectingEvents = 0
        DispatchQueue.global(qos: .userInitiated).async(group: batch.group) {
            let streams = batch.streams.withLock { streams in
                defer { streams = [] }
                return streams
            }
            let projections = streams.compactMap { $0.projection() }
            let rows = ProjectionRows(projections)
            batch.rows.withLock { $0 = rows }
            batch.projected.withLock { $0 = projections.count }
        }
        inFlight.append(batch)
        if inFlight.count > Self.depth { try insertOldest() }
    }

    private func insertOldest() throws {
        let batch = inFlight.removeFirst()
        batch.group.wait()
        if let rows = batch.rows.withLock({ $0 }) { try insert(rows) }
        requests += batch.projected.withLock { $0 }
    }
}
