/// Why the benchmark could not run or could not be trusted.
enum BenchmarkError: Error, CustomStringConvertible {
    /// A bad command line.
    case usage(String)
    /// A measurement produced something impossible (an invalid signature, a ledger that does
    /// not verify): its figure would mean nothing.
    case invalidRun(String)

    var description: String {
        switch self {
        case .usage(let message): "usage: \(message)"
        case .invalidRun(let message): "benchmark run invalid: \(message)"
        }
    }
}
