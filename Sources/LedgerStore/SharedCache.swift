internal import Synchronization

/// A small dictionary that a `Ledger` keeps across its transactions and shares between the
/// tasks that use it, for facts that cost a parse to rebuild and never change once committed
/// (a key's registration, a published policy).
///
/// It holds few entries (a ledger has few keys and policies); when full it starts over rather
/// than track use. Callers store only what a committed event fixed for good, and re-read
/// anything that can still change (a key's revocation) in every transaction.
package final class SharedCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let entries = Mutex<[Key: Value]>([:])
    private let capacity: Int

    package init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    package subscript(key: Key) -> Value? {
        get { entries.withLock { $0[key] } }
        set {
            entries.withLock { entries in
                if newValue != nil, entries[key] == nil, entries.count >= capacity { entries.removeAll() }
                entries[key] = newValue
            }
        }
    }
}
