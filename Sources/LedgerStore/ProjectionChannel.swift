internal import Dispatch
internal import Synchronization

/// Hands projected rows from the thread that reads events (on a reader connection) to the
/// writer's thread, which inserts them: a bounded queue, so the reader never runs more than
/// `capacity` batches ahead and memory stays bounded.
final class ProjectionChannel: Sendable {
    /// Why a reader stops when the writer has given up.
    struct Cancelled: Error {}

    private struct State {
        var queue: [ProjectionRows] = []
        var outcome: Result<(events: Int, requests: Int), any Error>?
        var cancelled = false
    }

    private let state = Mutex(State())
    private let slots: DispatchSemaphore
    private let items = DispatchSemaphore(value: 0)

    init(capacity: Int = 4) {
        slots = DispatchSemaphore(value: capacity)
    }

    /// Queues rows, waiting while the queue is full. Throws `Cancelled` once the writer gave up.
    func send(_ rows: ProjectionRows) throws {
        slots.wait()
        try state.withLock { state in
            guard !state.cancelled else { throw Cancelled() }
            state.queue.append(rows)
        }
        items.signal()
    }

    /// Ends the stream with the reader's counts or its error.
    func finish(_ outcome: Result<(events: Int, requests: Int), any Error>) {
        state.withLock { $0.outcome = outcome }
        items.signal()
    }

    /// The next rows, or nil once the reader has finished and everything was received.
    func receive() -> ProjectionRows? {
        items.wait()
        let rows: ProjectionRows? = state.withLock { state in state.queue.isEmpty ? nil : state.queue.removeFirst() }
        if rows != nil { slots.signal() }
        return rows
    }

    /// The reader's counts, or its error; call after `receive()` returned nil.
    func outcome() throws -> (events: Int, requests: Int) {
        try state.withLock { $0.outcome! }.get()
    }

    /// Stops the reader: its next `send` throws.
    func cancel() {
        state.withLock { $0.cancelled = true }
        slots.signal()
    }
}
