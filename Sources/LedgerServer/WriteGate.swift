import HTTPTypes
import Synchronization

/// Bounds the writes being committed at once. A write that finds every slot taken is refused
/// at once with 503 `server-busy` and `Retry-After`, never queued: under overload clients back
/// off instead of piling up behind SQLite's single writer until they time out.
final class WriteGate: Sendable {
    let limit: Int
    private let inFlight = Mutex(0)

    init(limit: Int) {
        self.limit = limit
    }

    var current: Int { inFlight.withLock { $0 } }

    /// Runs `body` in a slot, or throws the 503 problem when none is free.
    func run<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        let admitted = inFlight.withLock { count in
            guard count < limit else { return false }
            count += 1
            return true
        }
        guard admitted else {
            throw Problem(
                status: .serviceUnavailable, code: "server-busy",
                detail: "\(limit) writes are being committed already; retry after the time Retry-After gives"
            ).with(header: .retryAfter, "1")
        }
        defer { inFlight.withLock { $0 -= 1 } }
        return try await body()
    }
}
