/// Wall-clock timing on the monotonic clock.
enum Stopwatch {
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
