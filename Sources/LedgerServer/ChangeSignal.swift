import Synchronization

/// Wakes the tasks that wait for the ledger to change (long-poll waits, event streams, the
/// sweeper) as soon as this server appends, instead of at their next poll. Other processes
/// may append to the same file too, so waiters still poll, with `wait(upTo:)` as the bound.
final class ChangeSignal: Sendable {
    private struct State {
        var nextID = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        /// Waits that ended before their continuation was registered.
        var finished: Set<Int> = []
    }

    private let state = Mutex(State())

    /// Wakes every current waiter.
    func notify() {
        let waiters = state.withLock { state in
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns after the next `notify`, after `duration`, or when the task is cancelled,
    /// whichever comes first.
    func wait(upTo duration: Duration) async {
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    let resumeNow = self.state.withLock { state in
                        if state.finished.remove(id) != nil { return true }
                        state.waiters[id] = continuation
                        return false
                    }
                    if resumeNow { continuation.resume() }
                }
            }
            group.addTask { try? await Task.sleep(for: duration) }
            await group.next()
            group.cancelAll()
            finish(id)
        }
        // Every child is done: a mark still there was for a wait `notify` had ended.
        _ = state.withLock { $0.finished.remove(id) }
    }

    /// Ends wait `id`: resumes its continuation, or marks it so it never waits.
    private func finish(_ id: Int) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if let waiter = state.waiters.removeValue(forKey: id) { return waiter }
            // Either `notify` resumed it already, or it has not registered yet: then
            // registration must see this mark and not wait.
            state.finished.insert(id)
            return nil
        }
        waiter?.resume()
    }
}
