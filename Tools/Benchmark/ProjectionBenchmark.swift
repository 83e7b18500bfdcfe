import ApprovalLedger
import Foundation

/// Rebuild and metrics on workflow ledgers of the sizes `--projection-events` names: each is
/// built once (`WorkflowWorkload`), then every run times a full `rebuildProjections()` and
/// `ledger metrics`, both through the library and as the `ledger` binary beside this one.
struct ProjectionBenchmark {
    /// The budgets of docs/PERFORMANCE.md.
    static let rebuildBudget = 100_000.0
    static let metricsBudgetSeconds = 1.0

    /// The figures for one ledger size.
    struct Figures {
        var events: Int64
        var requests: Int
        var ledgerBytes: Int
        var buildEventsPerSecond: Double
        /// Events replayed per second of replay (emptying, reading, writing rows and indexes),
        /// per run: the rebuild budget.
        var rebuildEventsPerSecond: [Double] = []
        /// Seconds of each run's whole `rebuildProjections()`, both digests included, and the
        /// CPU seconds (all threads) it used.
        var rebuildSeconds: [Double] = []
        var rebuildCPUSeconds: [Double] = []
        /// Seconds per run: metrics computed through the library (read, compute, JSON and
        /// Prometheus text), and `ledger metrics --format json` as a child process.
        var metricsLibrarySeconds: [Double] = []
        var metricsCommandSeconds: [Double] = []
        var rebuildMatched = true

        var rebuildPasses: Bool { (Statistic(rebuildEventsPerSecond)?.median ?? 0) >= ProjectionBenchmark.rebuildBudget }
        var metricsPasses: Bool {
            let seconds = Statistic(metricsCommandSeconds)?.median ?? Statistic(metricsLibrarySeconds)?.median ?? .infinity
            return seconds < ProjectionBenchmark.metricsBudgetSeconds
        }
    }

    let options: BenchmarkOptions
    let log: (String) -> Void

    func run() async throws -> [Figures] {
        let parent = options.directory ?? FileManager.default.temporaryDirectory.path
        let directory = "\(parent)/ledger-bench-projections-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { if !options.keepLedgers { try? FileManager.default.removeItem(atPath: directory) } }
        let binary = Self.ledgerBinary()
        if binary == nil { log("warning: no `ledger` binary beside ledger-bench; timing `ledger metrics` through the library only") }
        var all: [Figures] = []
        for size in options.projectionEvents {
            log("projections: building a workflow ledger of \(size) events")
            let built = try await WorkflowWorkload().build(at: "\(directory)/workflow-\(size).ledger", events: size, log: log)
            var figures = Figures(
                events: built.events, requests: built.requests, ledgerBytes: Self.fileBytes(built.path),
                buildEventsPerSecond: Double(built.events) / built.seconds)
            let query = MetricsQuery(now: built.end)
            let approvals = Approvals(ledger: built.ledger)
            for number in 1...options.runs {
                log("projections: run \(number) on \(built.events) events: rebuild, metrics")
                var timing = PhaseTiming()
                var rebuild: ProjectionRebuild?
                try await timing.time(events: Int(built.events)) { rebuild = try await built.ledger.rebuildProjections() }
                guard let rebuilt = rebuild, rebuilt.requests > 0 else { throw BenchmarkError.invalidRun("the rebuild projected no request") }
                figures.rebuildMatched = figures.rebuildMatched && rebuilt.matchedIncremental
                figures.rebuildEventsPerSecond.append(rebuilt.eventsPerSecond)
                figures.rebuildSeconds.append(timing.wallSeconds)
                figures.rebuildCPUSeconds.append(timing.cpuSeconds)

                let computed = try await Self.timed {
                    let metrics = try await approvals.metrics(query)
                    return (CanonicalJSON.encode(metrics.jsonValue).count, metrics.prometheusText.utf8.count, metrics.requestsOpened)
                }
                guard computed.value.2 == built.requests else {
                    throw BenchmarkError.invalidRun("metrics counted \(computed.value.2) requests opened; the ledger has \(built.requests)")
                }
                figures.metricsLibrarySeconds.append(computed.seconds)
                if let binary {
                    let start = ContinuousClock.now
                    let output = ChildProcess.output(
                        of: binary, ["metrics", "--ledger", built.path, "--now", built.end.description, "--format", "json"])
                    let seconds = (ContinuousClock.now - start).seconds
                    guard let output, output.contains("\"approvalLatency\"") else {
                        throw BenchmarkError.invalidRun("`ledger metrics` failed on the \(built.events)-event ledger")
                    }
                    figures.metricsCommandSeconds.append(seconds)
                }
            }
            if !figures.rebuildMatched { throw BenchmarkError.invalidRun("a rebuild changed the incrementally written projections") }
            all.append(figures)
        }
        return all
    }

    static func timed<T>(_ body: () async throws -> T) async rethrows -> (value: T, seconds: Double) {
        let start = ContinuousClock.now
        let value = try await body()
        return (value, (ContinuousClock.now - start).seconds)
    }

    /// The `ledger` executable SwiftPM builds beside this one, when it is there.
    static func ledgerBinary() -> String? {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let candidate = executable.deletingLastPathComponent().appendingPathComponent("ledger").path
        return FileManager.default.isExecutableFile(atPath: candidate) ? candidate : nil
    }

    static func fileBytes(_ path: String) -> Int {
        ["", "-wal", "-shm"].reduce(0) { total, suffix in
            total + (((try? FileManager.default.attributesOfItem(atPath: path + suffix))?[.size] as? Int) ?? 0)
        }
    }
}
