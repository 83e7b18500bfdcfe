import ApprovalLedger
import Foundation

/// One repetition of every measurement, limits first, in a fresh scratch directory.
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

        log("run \(number): Ed25519 and SHA-256 limits (\(options.cryptoSeconds) s each)")
        let limits = try CryptoLimits.measure(seconds: options.cryptoSeconds, cores: cores)
        figures[.signsPerSecond] = limits.signsPerSecond
        figures[.verifiesPerSecond] = limits.verifiesPerSecond
        figures[.parallelVerifiesPerSecond] = limits.parallelVerifiesPerSecond
        figures[.sha256GigabytesPerSecond] = limits.sha256GigabytesPerSecond
        if options.opensslSpeed {
            log("run \(number): openssl speed ed25519")
            if let speed = OpenSSLSpeed.measure(seconds: options.cryptoSeconds) {
                figures[.opensslSignsPerSecond] = speed.signsPerSecond
                figures[.opensslVerifiesPerSecond] = speed.verifiesPerSecond
            }
        }
        figures[.fsyncsPerSecond] = FsyncProbe.measure(directory: directory, seconds: 1)

        let workload = Workload(streams: options.streams)
        log("run \(number): batch append of \(options.events) events, \(options.batchSize) per transaction")
        let batch = try await ScratchLedger.create(in: directory, name: "batch", durability: .full)
        figures[.batchAppend] = try await AppendBenchmark.batches(
            batch, workload, events: options.events, batchSize: options.batchSize)

        log("run \(number): verify")
        // Genesis and the key registration are verified too.
        let verified = try VerifyBenchmark.run(batch, expectedEvents: Int64(options.events) + 2)
        figures[.verify] = verified.eventsPerSecond
        figures[.verifyPeakBytes] = verified.verifyPeakBytes.map(Double.init)
        figures[.processPeakBytes] = verified.processPeakBytes.map(Double.init)
        figures[.ledgerBytes] = Double(batch.fileBytes)

        for (metric, durability) in [(Metric.singleAppendFull, LedgerConfiguration.Durability.full), (.singleAppendNormal, .normal)] {
            log("run \(number): \(options.singleAppends) single appends, durability \(durability.rawValue)")
            let single = try await ScratchLedger.create(in: directory, name: "single-\(durability.rawValue)", durability: durability)
            figures[metric] = try await AppendBenchmark.singles(single, workload, count: options.singleAppends)
        }
        return figures
    }
}
