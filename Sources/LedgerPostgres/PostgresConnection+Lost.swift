internal import NIOCore
internal import PostgresNIO
internal import Synchronization

/// The session ended while a query was waiting on it.
struct ConnectionLost: Error {}

extension PostgresConnection {
    /// `query`, failed with `ConnectionLost` once the connection closes.
    ///
    /// PostgresNIO 1.33 writes a query to a channel that has closed without failing the
    /// query's promise, so a statement sent just after the server went away (a restart, a
    /// terminated session) would wait forever. The query runs in a task of its own that is
    /// left behind in that case; the process no longer waits on it.
    @discardableResult
    func queryOrLost(_ query: PostgresQuery, logger: Logger) async throws -> PostgresRowSequence {
        let outcome = Outcome()
        return try await withCheckedThrowingContinuation { continuation in
            outcome.install(continuation)
            let watch = CloseWatch.shared.watch(self) { outcome.resume(.failure(ConnectionLost())) }
            Task {
                defer { CloseWatch.shared.end(watch) }
                do { outcome.resume(.success(try await self.query(query, logger: logger))) } catch { outcome.resume(.failure(error)) }
            }
        }
    }

    /// The future form, for the verifier's synchronous reads (`wait()` on it off the event
    /// loop), which can send the next query before waiting on this one.
    func queryOrLostFuture(_ query: PostgresQuery, logger: Logger) -> EventLoopFuture<PostgresQueryResult> {
        let promise = eventLoop.makePromise(of: PostgresQueryResult.self)
        let watch = CloseWatch.shared.watch(self) { promise.fail(ConnectionLost()) }
        self.query(query, logger: logger).cascade(to: promise)
        promise.futureResult.whenComplete { _ in CloseWatch.shared.end(watch) }
        return promise.futureResult
    }
}

/// The queries waiting on each open connection, failed when it closes.
///
/// One close callback per connection, not one per query: a callback stays registered until
/// the connection closes and holds what it captures, so one per query would keep every
/// query's result alive for the life of a pooled connection.
final class CloseWatch: Sendable {
    static let shared = CloseWatch()

    struct Watch: Sendable {
        let connection: ObjectIdentifier
        let id: UInt64
    }

    private struct State {
        var next: UInt64 = 0
        /// Each watched connection's waiting queries; a connection is a key from its first
        /// watch until it closes.
        var waiting: [ObjectIdentifier: [UInt64: @Sendable () -> Void]] = [:]
    }

    private let state = Mutex(State())

    /// Calls `onClose` when `connection` closes before `end` is called with the result.
    func watch(_ connection: PostgresConnection, _ onClose: @escaping @Sendable () -> Void) -> Watch {
        let key = ObjectIdentifier(connection)
        let (watch, first) = state.withLock { state in
            state.next += 1
            let first = state.waiting[key] == nil
            state.waiting[key, default: [:]][state.next] = onClose
            return (Watch(connection: key, id: state.next), first)
        }
        if first {
            connection.closeFuture.whenComplete { [self] _ in
                let waiting = state.withLock { $0.waiting.removeValue(forKey: key) } ?? [:]
                for onClose in waiting.values { onClose() }
            }
        }
        return watch
    }

    func end(_ watch: Watch) {
        _ = state.withLock { $0.waiting[watch.connection]?.removeValue(forKey: watch.id) }
    }
}

/// Resumes a continuation once, with whichever result comes first.
private final class Outcome: Sendable {
    private let continuation = Mutex<CheckedContinuation<PostgresRowSequence, any Error>?>(nil)

    /// Called before anything can `resume`.
    func install(_ continuation: CheckedContinuation<PostgresRowSequence, any Error>) {
        self.continuation.withLock { $0 = continuation }
    }

    func resume(_ result: Result<PostgresRowSequence, any Error>) {
        continuation.withLock { $0.take() }?.resume(with: result)
    }
}
