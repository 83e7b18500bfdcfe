import ApprovalLedger
import Foundation

/// One repetition of the limits, the per-save comparison with the peer, batch append and
/// verify, in a fresh scratch directory.
///
/// Each ledger phase is bracketed by the crypto limit that bounds it (half the time before,
/// half after), so that a rate and its limit are measured within seconds of each other: on a
/// shared machine the speed of a core drifts by tens of percent over a minute. The peer and our
/// per-save runs follow each other within seconds for the same reason.
struct BenchmarkRun {
    let options: BenchmarkOptions
    let cores: Int
    let limits: CryptoLimits
    let peer: PeerBenchmark?
    let log: (String) -> Void

    /// What one run measured: its figures, and the load phase's.
    struct Figures {
        var metrics: [Metric: Double]
        var loads: [LoadFigures]
    }

    func run(number: Int) async throws -> Figures {
        let parent = options.directory ?? FileManager.default.temporaryDirectory.path
        let directory = "\(parent)/ledger-bench-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { if !options.keepLedgers { try? FileManager.default.removeItem(atPath: directory) } }
        var figures: [Metric: Double] = [:]
        let half = options.cryptoSeconds / 2

        log("run \(number): SHA-256, fdatasync, SQLite commits\(options.opensslSpeed ? ", openssl speed" : "")")
        figures[.sha256GigabytesPerSecond] = CryptoLimits.sha256GigabytesPerSecond(seconds: max(0.5, half))
        figures[.fsyncsPerSecond] = FsyncProbe.measure(directory: directory, seconds: 1)
        if let commits = CommitProbe.measure(directory: directory, seconds: 1) {
            figures[.commitsPerSecond] = commits.perSecond
            figures[.commitCPU] = commits.cpuMicroseconds
        }
        if options.opensslSpeed, let speed = OpenSSLSpeed.measure(seconds: options.cryptoSeconds) {
            figures[.opensslSignsPerSecond] = speed.signsPerSecond
            figures[.opensslVerifiesPerSecond] = speed.verifiesPerSecond
        }

        try await perSave(into: &figures, number: number, directory: directory)
        let loads = try await load(number: number, directory: directory)

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

        log("run \(number): the Merkle tree's upkeep alone for \(options.events) events (leaf and node hashes, node inserts)")
        figures[.treeUpkeepCPU] = TreeUpkeepProbe.measure(directory: directory, events: options.events, batchSize: options.batchSize)

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
        return Figures(metrics: figures, loads: loads)
    }

    /// Durable writes from concurrent writers, right after the per-save phase and its peer.
    private func load(number: Int, directory: String) async throws -> [LoadFigures] {
        var loads: [LoadFigures] = []
        for writers in options.concurrency {
            log("run \(number): \(options.loadWrites) durable appends from \(writers) concurrent tasks in this process, FULL")
            let scratch = try await ScratchLedger.create(in: directory, name: "load-\(writers)", durability: .full)
            loads.append(try await ConcurrentAppendBenchmark.run(scratch, writers: writers, writes: options.loadWrites))
        }
        guard options.server, !options.concurrency.isEmpty else { return loads }
        guard let binary = try? ScalingBenchmark.ledgerBinary(options.ledgerBinary),
              let help = ChildProcess.output(of: binary, ["--help"]), ScalingOperation.subcommands(help: help).contains("serve")
        else {
            log("run \(number): no `ledger` with `serve` beside ledger-bench (or --ledger-binary): the server load is skipped")
            return loads
        }
        let served = "\(directory)/served"
        try FileManager.default.createDirectory(atPath: served, withIntermediateDirectories: true)
        loads += try ServerLoadBenchmark(ledgerBinary: binary, log: log)
            .run(directory: served, clients: options.concurrency, writes: options.loadWrites, number: number)
        return loads
    }

    /// The durable per-save workload: ours at FULL between two halves of the peer's run (so
    /// that both see the same machine), then ours at NORMAL.
    private func perSave(into figures: inout [Metric: Double], number: Int, directory: String) async throws {
        let peerHalf = max(1, options.requests / 2)
        var peerRuns: [PeerResult] = []
        func runPeer() throws {
            guard let peer else { return }
            log("run \(number): peer (\(peer.python) \(URL(fileURLWithPath: peer.script).lastPathComponent)), \(peerHalf) requests, 2 saves each")
            peerRuns.append(try peer.run(requests: peerHalf, directory: directory))
        }
        try runPeer()
        let runs: [(LedgerConfiguration.Durability, rate: Metric, cpu: Metric)] = [
            (.full, .saveFull, .saveFullCPU), (.normal, .saveNormal, .saveNormalCPU),
        ]
        for (durability, rate, cpu) in runs {
            log("run \(number): ours, \(options.requests) requests, 2 saves each, synchronous=\(durability.rawValue.uppercased())")
            let scratch = try await ScratchLedger.create(in: directory, name: "saves-\(durability.rawValue)", durability: durability)
            let timing = try await AppendBenchmark.saves(scratch, requests: options.requests)
            figures[rate] = timing.eventsPerSecond
            figures[cpu] = timing.cpuMicrosecondsPerEvent
            if durability == .full { try runPeer() }
        }
        if !peerRuns.isEmpty {
            let events = Double(peerRuns.map(\.events).reduce(0, +))
            figures[.peerSave] = events / peerRuns.map(\.seconds).reduce(0, +)
            figures[.peerSaveCPU] = peerRuns.map(\.cpuSeconds).reduce(0, +) * 1e6 / events
        }
        log("run \(number): ours through the Approvals API, \(options.requests) requests (open, approve)")
        let approvals = try await ApprovalsLedger.create(in: directory, name: "approvals")
        let timing = try await AppendBenchmark.approvals(approvals, requests: options.requests)
        figures[.approvalsSave] = timing.eventsPerSecond
        figures[.approvalsSaveCPU] = timing.cpuMicrosecondsPerEvent
    }
}
