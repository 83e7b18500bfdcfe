// ledger-bench: the benchmark behind docs/PERFORMANCE.md. Run it with -c release.
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

let arguments = Array(CommandLine.arguments.dropFirst())
let options: BenchmarkOptions
do {
    options = try BenchmarkOptions.parse(arguments)
} catch {
    FileHandle.standardError.write(Data("ledger-bench: \(error)\n".utf8))
    exit(2)
}
if options.showHelp {
    print(BenchmarkOptions.help)
    exit(0)
}

let machine = MachineInfo.current()
let date = ISO8601DateFormatter().string(from: Date())
let progress: (String) -> Void = { FileHandle.standardError.write(Data("ledger-bench: \($0)\n".utf8)) }
#if DEBUG
progress("warning: this is a debug build; figures mean nothing. Use `-c release`.")
#endif

var runs: [[Metric: Double]] = []
var projections: [ProjectionBenchmark.Figures] = []
do {
    let run = BenchmarkRun(options: options, cores: machine.cores, log: progress)
    for number in 1...options.runs where !options.projectionsOnly {
        runs.append(try await run.run(number: number))
    }
    if !options.projectionEvents.isEmpty {
        projections = try await ProjectionBenchmark(options: options, log: progress).run()
    }
} catch {
    FileHandle.standardError.write(Data("ledger-bench: \(error)\n".utf8))
    exit(2)
}

var statistics: [Metric: Statistic] = [:]
for metric in Metric.allCases {
    statistics[metric] = Statistic.of(metric, in: runs)
}
let comparisons = Comparison.all(runs, cores: machine.cores)
let meanPayloadBytes = Workload(streams: options.streams).meanPayloadBytes()

print(ResultTable(
    machine: machine, options: options, statistics: statistics, comparisons: comparisons, projections: projections,
    meanPayloadBytes: meanPayloadBytes, date: date
).render())

do {
    try ResultsFile(
        machine: machine, options: options, arguments: arguments, statistics: statistics,
        comparisons: comparisons, projections: projections, meanPayloadBytes: meanPayloadBytes, date: date
    ).write(to: options.outPath)
    print("results written to \(options.outPath)")
} catch {
    FileHandle.standardError.write(Data("ledger-bench: writing \(options.outPath) failed: \(error)\n".utf8))
    exit(2)
}
let projectionBudgets = projections.flatMap { [$0.rebuildPasses, $0.metricsPasses] }
exit((comparisons.compactMap(\.passes) + projectionBudgets).allSatisfy { $0 } ? 0 : 1)
