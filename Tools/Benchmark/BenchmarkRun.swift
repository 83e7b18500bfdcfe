import ApprovalLedger
import Foundation

/// One repetition of every measurement, in a fresh scratch directory.
///
/// Each ledger phase is bracketed by the crypto limit that bounds it (half the time before,
/// half after), so that a rate and its limit are measured within seconds of each other: on a
/// shared machine the speed of a core drifts by tens of percent over a minute.
struct BenchmarkRun {
    let options: BenchmarkOptions
    let cores: Int
    let log: (String) -> Void

    func run(number: Int) async throws -> [Metric: Double] {
        let parent = options.directory ?? FileManager.default.temporaryDirectory.path
        let directory = "\(parent)/ledger-bench-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { if !options.keepLedgers { try? FileManager.default.removeItem(atPath: directory) } }
        var figures: [Metric: Double] = [:]
        let limits = try CryptoLimits()
        let half = options.cryptoSeconds / 2

        log("run \(number): SHA-256, fdatasync\(options.opensslSpeed ? ", openssl speed" : "")")
        figures[.sha256GigabytesPerSecond] = CryptoLimits.sha256GigabytesPerSecond(seconds: max(0.5, half))
        figures[.fsyncsPerSecond] = FsyncProbe.measure(directory: directory, seconds: 1)
        if options.opensslSpeed, let speed = OpenSSLSpeed.measure(seconds: options.cryptoSeconds) {
            figures[.opensslSignsPerSecond] = speed.signsPerSecond
            figures[.opensslVerifiesPerSecond] = speed.verifiesPerSecond
        }

        let workload = Workload(streams: options.streams)
        log("run \(number): batch append of \(options.events) events, \(options.batchSize) per transaction, between sign limits")
        let batch = try await ScratchLedger.create(in: directory, name: "batch", durability: .full)
        let signsBefore = try limits.signsPerSecond(seconds: half)
        let appended = try await AppendBenchmark.batches(batch, workload, events: options.events, batchSize: options.batchSize)
        figures[.batchAppend] = appended.eventsPerSecond
        figures[.batchAppendCPU] = appended.cpuMicrosecondsPerEvent
        figures[.batchAppendCores] = appended.coresBusy
        let signsAfter = try limits.signsPerSecond(seconds: half)
        figures[.signsPerSecond] = (signsBefore + signsAfter) / 2

        log("run \(number): verify, between verify limits")
        let verifiesBefore = try limits.verifiesPerSecond(seconds: half)
        let parallelBefore = try limits.parallelVerifiesPerSecond(seconds: half, cores: cores)
        // Genesis and the key registration are verified too.
        let verified = try VerifyBenchmark.run(batch, expectedEvents: Int64(options.events) + 2)
        let parallelAfter = try limits.parallelVerifiesPerSecond(seconds: half, cores: cores)
        let verifiesAfter = try limits.verifiesPerSecond(seconds: half)
        figures[.verifiesPerSecond] = (verifiesBefore + verifiesAfter) / 2
        figures[.parallelVerifiesPerSecond] = (parallelBefore + parallelAfter) / 2
        figures[.verify] = verified.timing.eventsPerSecond
        figures[.verifyCPU] = verified.timing.cpuMicrosecondsPerEvent
        figures[.verifyCores] = verified.timing.coresBusy
        figures[.residentBeforeVerifyBytes] = verified.residentBeforeBytes.map(Double.init)
        figures[.verifyPeakBytes] = verified.verifyPeakBytes.map(Double.init)
        figures[.processPeakBytes] = verified.processPeakBytes.map(Double.init)
        figures[.ledgerBytes] = Double(batch.fileBytes)

        let singleRuns: [(LedgerConfiguration.Durability, rate: Metric, cpu: Metric)] = [
            (.full, .singleAppendFull, .singleAppendFullCPU), (.normal, .singleAppendNormal, .singleAppendNormalCPU),
        ]
        for (durability, rate, cpu) in singleRuns {
            log("run \(number): \(options.singleAppends) single appends, durability \(durability.rawValue)")
            let single = try await ScratchLedger.create(in: directory, name: "single-\(durability.rawValue)", durability: durability)
            let timing = try await AppendBenchmark.singles(single, workload, count: options.singleAppends)
            figures[rate] = timing.eventsPerSecond
            figures[cpu] = timing.cpuMicrosecondsPerEvent
        }
        return figures
    }
}
