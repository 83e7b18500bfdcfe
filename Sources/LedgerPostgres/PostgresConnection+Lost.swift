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
    func queryOrLost(_ query: PostgresQuery, logger: Logger) async throws -> PostgresRowSequence {
        let outcome = Outcome()
        return try await withCheckedThrowingContinuation { continuation in
            outcome.install(continuation)
            closeFuture.whenComplete { _ in outcome.resume(.failure(ConnectionLost())) }
            Task {
                do { outcome.resume(.success(try await self.query(query, logger: logger))) } catch { outcome.resume(.failure(error)) }
            }
        }
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
