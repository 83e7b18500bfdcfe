import Synchronization

/// Set when graceful shutdown begins, so long-lived answers (long-poll waits, event streams)
/// end at once instead of holding the drain open.
final class DrainFlag: Sendable {
    private let value = Atomic(false)

    var isSet: Bool { value.load(ordering: .acquiring) }

    func set() { value.store(true, ordering: .releasing) }
}
