/// A dictionary that forgets its least recently used entries beyond `capacity`, so per-stream
/// state kept during a walk stays bounded however many streams the ledger has. What it forgets
/// the walker reads back from the ledger when the stream shows up again.
struct BoundedCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private var entries: [Key: (value: Value, used: Int)] = [:]
    private var clock = 0
    let capacity: Int

    init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    var count: Int { entries.count }

    subscript(key: Key) -> Value? {
        mutating get {
            clock += 1
            let now = clock
            // One lookup, updated in place: this runs for every event of a walk.
            return entries[key].map { entry in
                entries[key]!.used = now
                return entry.value
            }
        }
        set { update(key, to: newValue) }
    }

    /// Sets or removes the entry for `key`; returns the entries forgotten to make room.
    @discardableResult
    mutating func update(_ key: Key, to value: Value?) -> [(key: Key, value: Value)] {
        clock += 1
        entries[key] = value.map { ($0, clock) }
        return entries.count > capacity ? evictOldestHalf() : []
    }

    /// Evicting half at a time keeps the cost amortized to O(log n) per insertion.
    private mutating func evictOldestHalf() -> [(key: Key, value: Value)] {
        let cutoff = entries.values.map(\.used).sorted()[entries.count / 2]
        // Removed in place: filtering into a new table would hold two tables at the peak.
        let evicted = entries.compactMap { $0.value.used < cutoff ? (key: $0.key, value: $0.value.value) : nil }
        for (key, _) in evicted { entries.removeValue(forKey: key) }
        return evicted
    }
}
