import ApprovalLedger
import Foundation

/// How cost grows with the ledger: at each size, appends by 1, 2 and 4 writer processes to one
/// file; `ledger verify` and `ledger export` as child processes on the ledger one writer built;
/// `ledger verify`, `rebuild` and `metrics` on a workflow ledger of the same size (simulated
/// approval traffic, built in this process); wall time, CPU time and peak RSS of each command.
/// Then, on the largest service ledger, `ledger verify --since-checkpoint` after more events
/// are appended.
///
/// Appends and verifies are bracketed by the crypto limit that bounds them, as in the other
/// phases, so that their share of the limit can be read despite the machine's drift.
struct ScalingBenchmark {
    let options: BenchmarkOptions
    let limits: CryptoLimits
    let cores: Int
    let log: (String) -> Void

    func run() async throws -> ScalingReport {
        let binary = try Self.ledgerBinary(options.ledgerBinary)
        let parent = options.directory ?? FileManager.default.temporaryDirectory.path
        let directory = "\(parent)/ledger-bench-scaling-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { if !options.keepLedgers { try? FileManager.default.removeItem(atPath: directory) } }

        var report = ScalingReport()
        let subcommands = ScalingOperation.subcommands(help: ChildProcess.output(of: binary, ["--help"], timeout: 30) ?? "")
        let operations = ScalingOperation.all.filter { operation in
            let available = subcommands.contains(operation.subcommand)
            if !available { report.missing.append("`ledger \(operation.subcommand)`") }
            return available
        }
        let writers = options.writers
        var appendSeries = writers.map { count in
            ScalingSeries(
                operation: "append, \(count) writer\(count == 1 ? "" : "s")",
                command: "\(count) × ledger-bench --writer (Ledger.append, \(options.batchSize) events per transaction)", points: [],
                plotted: count == writers.first)
        }
        var readSeries = operations.map {
            ScalingSeries(operation: $0.name, command: $0.command, points: [], plotted: $0.plotted)
        }
        let postgres = options.postgres.map { PostgresScaling(server: $0, benchmark: self, binary: binary, directory: directory) }
        var postgresSeries = postgres == nil ? [] : [
            ScalingSeries(operation: "copy into PostgreSQL", command: PostgresScaling.copyCommand, points: [], plotted: false),
            ScalingSeries(operation: "verify, PostgreSQL", command: PostgresScaling.verifyCommand, points: [], plotted: false),
        ]

        for size in options.sizes {
            var kept: (scratch: ScratchLedger, key: String)?
            for (index, count) in writers.enumerated() {
                var samples: [ScalingSeries.Sample] = []
                for run in 1...options.runs {
                    log("scaling: \(size) events appended by \(count) writer process\(count == 1 ? "" : "es"), \(options.batchSize) per transaction, run \(run)")
                    let name = "append-\(size)-w\(count)-\(run)"
                    let scratch = try await ScratchLedger.create(in: directory, name: name, durability: .full)
                    let key = "\(directory)/\(name).pem"
                    try KeyFile.writePrivateKey(scratch.signer.key, toPath: key)
                    samples.append(try await append(to: scratch, key: key, first: 0, events: size, writers: count, directory: directory))
                    // The operations below run on one writer's ledger; the others are deleted.
                    if index == 0, run == options.runs {
                        kept = (scratch, key)
                    } else if !options.keepLedgers {
                        Self.remove(scratch.path)
                    }
                }
                appendSeries[index].points.append(.init(ledgerEvents: size, events: size, samples: samples))
            }
            guard let kept else { continue }
            var workflow: WorkflowWorkload.Built?
            if operations.contains(where: { $0.subject == .workflow }) {
                log("scaling: building a workflow ledger of \(size) events")
                workflow = try await WorkflowWorkload().build(at: "\(directory)/workflow-\(size).ledger", events: size, log: log)
            }
            for (index, operation) in operations.enumerated() {
                let (path, events, extra): (String, Int, [String])
                switch operation.subject {
                case .serviceEvents:
                    // Genesis and the service key's registration are in the ledger too.
                    (path, events, extra) = (kept.scratch.path, size + 2, [])
                case .workflow:
                    guard let workflow else { continue }
                    let now = operation.subcommand == "metrics" ? ["--now", workflow.end.description] : []
                    (path, events, extra) = (workflow.path, Int(workflow.events), now)
                }
                var samples: [ScalingSeries.Sample] = []
                for run in 1...options.runs {
                    log("scaling: \(operation.name) on \(events) events, run \(run)")
                    samples.append(try measure(operation, extra: extra, binary: binary, ledger: path, events: events, directory: directory))
                }
                readSeries[index].points.append(.init(ledgerEvents: size, events: events, samples: samples))
            }
            if let workflow, !options.keepLedgers { Self.remove(workflow.path) }
            if let postgres {
                let points = try postgres.measure(ledger: kept.scratch.path, events: size + 2, log: log)
                postgresSeries[0].points.append(points.copy)
                postgresSeries[1].points.append(points.verify)
            }
            if size == options.sizes.max(), !options.incremental.isEmpty {
                report.incremental = try await incrementalVerify(on: kept.scratch, key: kept.key, size: size, binary: binary, directory: directory)
            }
            if !options.keepLedgers { Self.remove(kept.scratch.path) }
        }
        report.series = appendSeries + readSeries + postgresSeries
        return report
    }

    /// Appends `events` workload events from `first` on with `writers` processes at once, each a
    /// contiguous share, between two measurements of the one-core sign rate.
    func append(to scratch: ScratchLedger, key: String, first: Int, events: Int, writers: Int, directory: String) async throws -> ScalingSeries.Sample {
        let benchBinary = ChildProcess.executableDirectory.appendingPathComponent("ledger-bench").path
        let bracket = options.cryptoSeconds / 4
        let signsBefore = try limits.signsPerSecond(seconds: bracket)
        // Long enough for every writer to start and open the ledger; each starts appending then.
        let startAt = MonotonicClock.nanoseconds + 500_000_000
        var offset = first
        var running: [ChildProcess.Running] = []
        for index in 0..<writers {
            let share = events / writers + (index < events % writers ? 1 : 0)
            let job = WriterProcess.Job(
                ledger: scratch.path, key: key, identity: scratch.signer.identity, first: offset, events: share,
                batchSize: options.batchSize, streams: options.streams, startAt: startAt)
            offset += share
            guard let child = ChildProcess.start(benchBinary, job.arguments, errorPath: "\(directory)/writer-\(index).stderr", timeout: 7200) else {
                throw BenchmarkError.invalidRun("cannot start a writer process (\(benchBinary))")
            }
            running.append(child)
        }
        // The writers run independently and print one line each: reaping them in turn is enough.
        let outcomes = running.map { $0.wait() }
        let signsAfter = try limits.signsPerSecond(seconds: bracket)
        var reports: [WriterProcess.Report] = []
        for outcome in outcomes {
            guard outcome.succeeded else { throw BenchmarkError.invalidRun("a writer process \(outcome.failureDescription)") }
            reports.append(try WriterProcess.Report.parse(outcome.standardOutput))
        }
        let start = reports.map(\.startNanoseconds).min()!, end = reports.map(\.endNanoseconds).max()!
        let wall = Double(end - start) / 1e9
        let drafting = reports.map(\.draftSeconds).reduce(0, +) / reports.map { Double($0.endNanoseconds - $0.startNanoseconds) / 1e9 }.reduce(0, +)
        log(String(format: "  %.2f s, %.0f events/s; building the drafts took %.1f%% of the writers' time", wall, Double(events) / wall, drafting * 100))
        let appended = try await scratch.ledger.head().size
        guard appended == Int64(first + events + 2) else {
            throw BenchmarkError.invalidRun("after the writers the ledger holds \(appended) events; expected \(first + events + 2)")
        }
        return .init(
            wallSeconds: wall, cpuSeconds: reports.map(\.cpuSeconds).reduce(0, +),
            peakResidentBytes: reports.map(\.peakResidentBytes).max() ?? 0,
            probe: (signsBefore + signsAfter) / 2)
    }

    /// One run of `operation` as a `ledger` child process; a verify runs between two
    /// measurements of the all-core verify rate.
    func measure(
        _ operation: ScalingOperation, extra: [String] = [], binary: String, ledger: String, events: Int, directory: String
    ) throws -> ScalingSeries.Sample {
        let isVerify = operation.subcommand == "verify"
        let bracket = options.cryptoSeconds / 4
        let probe = { isVerify ? try limits.parallelVerifiesPerSecond(seconds: bracket, cores: cores) : 0 }
        let before = try probe()
        guard let outcome = ChildProcess.run(
            binary, operation.arguments(ledger, directory) + extra, errorPath: "\(directory)/\(operation.subcommand).stderr", timeout: 7200)
        else { throw BenchmarkError.invalidRun("cannot start \(binary)") }
        let after = try probe()
        // `ledger verify` exits 1 with findings: its report then says what they are.
        guard outcome.succeeded || (isVerify && outcome.exitStatus == 1) else {
            throw BenchmarkError.invalidRun("`\(operation.command)` \(outcome.failureDescription)")
        }
        try operation.check(outcome.standardOutput, events, directory)
        return .init(
            wallSeconds: outcome.wallSeconds, cpuSeconds: outcome.cpuSeconds, peakResidentBytes: outcome.peakResidentBytes,
            probe: isVerify ? (before + after) / 2 : nil)
    }

    /// Checkpoints the ledger, then for each count in `--incremental` appends up to that many
    /// events after the checkpoint and times `ledger verify --since-checkpoint`.
    func incrementalVerify(on scratch: ScratchLedger, key: String, size: Int, binary: String, directory: String) async throws -> ScalingSeries {
        let checkpoint = try await scratch.ledger.checkpoint(signer: scratch.signer)
        try Data(checkpoint.fileBytes).write(to: URL(fileURLWithPath: "\(directory)/base.checkpoint"))
        var series = ScalingSeries(
            operation: "verify --since-checkpoint", command: ScalingOperation.incrementalVerify.command, points: [])
        var appended = 0
        for target in options.incremental {
            log("scaling: \(target - appended) more events after the checkpoint of \(size + 2) events")
            _ = try await append(to: scratch, key: key, first: size + appended, events: target - appended, writers: 1, directory: directory)
            appended = target
            var samples: [ScalingSeries.Sample] = []
            for run in 1...options.runs {
                log("scaling: ledger verify --since-checkpoint, \(target) new events, run \(run)")
                samples.append(try measure(ScalingOperation.incrementalVerify, binary: binary, ledger: scratch.path, events: target, directory: directory))
            }
            series.points.append(.init(ledgerEvents: size, events: target, samples: samples))
        }
        return series
    }

    /// The `ledger` executable to time: the given path, else the one SwiftPM builds beside this one.
    static func ledgerBinary(_ given: String?) throws -> String {
        let path = given ?? ChildProcess.executableDirectory.appendingPathComponent("ledger").path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw BenchmarkError.usage(
                "no `ledger` executable at \(path): build it with the same configuration "
                    + "(swift build -c release --product ledger), pass --ledger-binary PATH, or --sizes none")
        }
        return path
    }

    static func remove(_ ledger: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: ledger + suffix) }
    }
}
