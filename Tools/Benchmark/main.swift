// ledger-bench: the benchmark behind docs/PERFORMANCE.md. Run it with -c release.
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "--writer" {
    exit(await WriterProcess.main(Array(arguments.dropFirst())))
}

let progress: (String) -> Void = { FileHandle.standardError.write(Data("ledger-bench: \($0)\n".utf8)) }
func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("ledger-bench: \(message)\n".utf8))
    exit(2)
}

let options: BenchmarkOptions
do {
    options = try BenchmarkOptions.parse(arguments)
} catch {
    fail("\(error)")
}
if options.showHelp {
    print(BenchmarkOptions.help)
    exit(0)
}

let machine = MachineInfo.current()
let date = ISO8601DateFormatter().string(from: Date())
#if DEBUG
progress("warning: this is a debug build; figures mean nothing. Use `-c release`.")
#endif

var runs: [[Metric: Double]] = []
var loads: [[LoadFigures]] = []
var projections: [ProjectionBenchmark.Figures] = []
var proofs: ProofReport?
var scaling: ScalingReport?
var peerDescription: String?
do {
    let limits = try CryptoLimits()
    let peer = options.peer ? try PeerBenchmark.locate(python: options.python, script: options.peerScript) : nil
    if !options.sizes.isEmpty { _ = try ScalingBenchmark.ledgerBinary(options.ledgerBinary) }
    let run = BenchmarkRun(options: options, cores: machine.cores, limits: limits, peer: peer, log: progress)
    for number in 1...options.runs where !options.projectionsOnly {
        let figures = try await run.run(number: number)
        runs.append(figures.metrics)
        loads.append(figures.loads)
    }
    if let peer, let description = peer.describe() { peerDescription = description }
    if !options.proofSizes.isEmpty {
        proofs = try await ProofBenchmark(options: options, log: progress).run()
    }
    if !options.projectionEvents.isEmpty {
        projections = try await ProjectionBenchmark(options: options, log: progress).run()
    }
    if !options.sizes.isEmpty {
        scaling = try await ScalingBenchmark(options: options, limits: limits, cores: machine.cores, log: progress).run()
    }
} catch {
    fail("\(error)")
}

var statistics: [Metric: Statistic] = [:]
for metric in Metric.allCases {
    statistics[metric] = Statistic.of(metric, in: runs)
}
let comparisons = Comparison.all(runs, cores: machine.cores)
let meanPayloadBytes = Workload(streams: options.streams).meanPayloadBytes()

let loadReport = LoadReport(runs: loads, peerSaves: runs.map { $0[.peerSave] })
let table = ResultTable(
    machine: machine, options: options, statistics: statistics, comparisons: comparisons, loads: loadReport, projections: projections,
    proofs: proofs, scaling: scaling, peer: peerDescription, meanPayloadBytes: meanPayloadBytes, date: date)
print(table.render())

do {
    try ResultsFile(
        machine: machine, options: options, arguments: arguments, statistics: statistics, comparisons: comparisons,
        loads: loadReport, projections: projections, proofs: proofs, scaling: scaling, peer: peerDescription, budgets: table.budgets, meanPayloadBytes: meanPayloadBytes, date: date
    ).write(to: options.outPath)
    print("results written to \(options.outPath)")
    if let scaling, let svg = ScalingPlot(series: scaling.series, title: "Time against ledger size (\(machine.cores) cores)").svg {
        try Data(svg.utf8).write(to: URL(fileURLWithPath: options.plotPath))
        print("plot written to \(options.plotPath)")
    }
} catch {
    fail("writing the results failed: \(error)")
}
exit(table.budgets.allSatisfy(\.passes) ? 0 : 1)
