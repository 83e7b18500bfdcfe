/// Wall-clock timing on the monotonic clock.
enum Stopwatch {
    /// Seconds `body` took.
    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = ContinuousClock.now
        try body()
        return (ContinuousClock.now - start).seconds
    }

    /// Seconds the async `body` took.
    static func seconds(_ body: () async throws -> Void) async rethrows -> Double {
        let start = ContinuousClock.now
        try await body()
        return (ContinuousClock.now - start).seconds
    }

    /// Runs `operation` in rounds of `round` calls until `budget` seconds have passed; returns
    /// calls per second.
    static func rate(for budget: Double, round: Int = 64, _ operation: (Int) throws -> Void) rethrows -> Double {
        let start = ContinuousClock.now
        var calls = 0
        var elapsed = 0.0
        repeat {
            for _ in 0..<round {
                try operation(calls)
                calls += 1
            }
            elapsed = (ContinuousClock.now - start).seconds
        } while elapsed < budget
        return Double(calls) / elapsed
    }
}
