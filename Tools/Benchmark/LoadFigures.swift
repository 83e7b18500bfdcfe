/// Durable writes from concurrent clients, each waiting for its write's answer before sending
/// the next: the rate, the latency each client saw, and what the writes cost.
struct LoadFigures: Equatable {
    /// What was driven: "in-process appends", "server raw appends", "server signed votes".
    var workload: String
    /// Concurrent clients (tasks in process, HTTP connections for the server).
    var clients: Int
    var writes: Int
    var wallSeconds: Double
    /// Per-write latency, milliseconds, sorted.
    var latencies: [Double]
    /// CPU seconds of the process that wrote (this one in process, the server otherwise).
    var writerCPUSeconds: Double
    /// CPU seconds of the load generator, when it is a process of its own.
    var clientCPUSeconds: Double?
    /// Writes per SQLite commit, when the writer reports it.
    var writesPerCommit: Double?

    var writesPerSecond: Double { Double(writes) / wallSeconds }
    var p50: Double { Self.percentile(latencies, 0.50) }
    var p99: Double { Self.percentile(latencies, 0.99) }
    /// The writer's CPU µs per write.
    var writerCPUMicroseconds: Double { writerCPUSeconds * 1e6 / Double(writes) }

    /// The nearest-rank percentile of sorted `values`.
    static func percentile(_ values: [Double], _ fraction: Double) -> Double {
        guard !values.isEmpty else { return .nan }
        let rank = Int((fraction * Double(values.count)).rounded(.up))
        return values[min(values.count, max(1, rank)) - 1]
    }
}
