import Foundation

/// The human-readable report printed to stdout.
struct ResultTable {
    let machine: MachineInfo
    let options: BenchmarkOptions
    let statistics: [Metric: Statistic]
    let comparisons: [Comparison]
    let loads: LoadReport
    let projections: [ProjectionBenchmark.Figures]
    let proofs: ProofReport?
    let scaling: ScalingReport?
    /// "eventsourcing 9.5.6 (Python 3.11.7, SQLite 3.40.1)" when the peer ran.
    let peer: String?
    let meanPayloadBytes: Double
    let date: String

    func render() -> String {
        let core = options.projectionsOnly ? [] : limits() + rates() + loads.render() + cpuTime() + memory()
        let scalingLines = scaling.map { ScalingTable(report: $0, runs: options.runs).render() } ?? []
        return (header() + core + (proofs?.render() ?? []) + projectionRates() + scalingLines + verdict()).joined(separator: "\n")
    }

    /// Every budget with its result, in the order printed.
    var budgets: [Budget] {
        let rates = comparisons.compactMap { row in
            row.passes.map {
                Budget(
                    name: row.metric.label, detail: "\(row.formattedFraction) of \(row.limitName) (\(row.formattedBudget))", passes: $0)
            }
        }
        let projected = projections.flatMap { figures in
            let size = Self.grouped(Double(figures.events))
            let replay = Statistic(figures.rebuildEventsPerSecond)?.median ?? 0
            let metrics = Statistic(figures.metricsCommandSeconds)?.median ?? Statistic(figures.metricsLibrarySeconds)?.median ?? .infinity
            return [
                Budget(
                    name: "rebuild replay, \(size) workflow events",
                    detail: "\(Self.grouped(replay)) events/s (≥ \(Self.grouped(ProjectionBenchmark.rebuildBudget)))", passes: figures.rebuildPasses),
                Budget(
                    name: "ledger metrics, \(size) workflow events",
                    detail: String(format: "%.3f s (< %.0f s)", metrics, ProjectionBenchmark.metricsBudgetSeconds), passes: figures.metricsPasses),
            ]
        }
        let tree = AppendTreeCost(comparisons: comparisons, statistics: statistics).budgets
        return rates + approvalsCPU + tree + loads.budgets + (proofs?.budgets ?? []) + projected + (scaling?.budgets ?? [])
    }

    /// An approval command's CPU per save against a raw signed append's (issue 20).
    static let approvalsCPUFactor = 1.5

    private var approvalsCPU: [Budget] {
        guard let approvals = statistics[.approvalsSaveCPU]?.median, let raw = statistics[.saveFullCPU]?.median, raw > 0 else { return [] }
        let factor = approvals / raw
        return [Budget(
            name: "Approvals CPU per save",
            detail: String(format: "%.0f µs = %.2f× a raw signed append's %.0f µs (≤ %.1f×)", approvals, factor, raw, Self.approvalsCPUFactor),
            passes: factor <= Self.approvalsCPUFactor)]
    }

    private func projectionRates() -> [String] {
        guard !projections.isEmpty else { return [] }
        var lines = [
            "Projections: workflow ledgers (simulated approval traffic), median of \(options.runs) run\(options.runs == 1 ? "" : "s") [min – max]",
            "  " + Self.pad("events", 11) + Self.pad("requests", 10) + Self.pad("size", 11) + Self.pad("built, ev/s", 13)
                + Self.pad("replay, events/s", 29) + Self.pad("whole rebuild, s", 24) + Self.pad("CPU s, cores", 14)
                + Self.pad("metrics (library), s", 24) + "ledger metrics, s",
        ]
        func range(_ values: [Double], _ format: (Double) -> String) -> String {
            guard let statistic = Statistic(values) else { return "-" }
            return "\(format(statistic.median)) [\(format(statistic.minimum)) – \(format(statistic.maximum))]"
        }
        let seconds = { (value: Double) in String(format: "%.3f", value) }
        // CPU seconds of the whole rebuild (all threads) and the cores it kept busy on
        // average: well under 2 means other work on the machine took the cores.
        func cpu(_ figures: ProjectionBenchmark.Figures) -> String {
            guard let cpu = Statistic(figures.rebuildCPUSeconds), let wall = Statistic(figures.rebuildSeconds) else { return "-" }
            return String(format: "%.2f, %.2f", cpu.median, cpu.median / wall.median)
        }
        for figures in projections {
            lines.append(
                "  " + Self.pad(Self.grouped(Double(figures.events)), 11) + Self.pad(Self.grouped(Double(figures.requests)), 10)
                    + Self.pad(Self.bytes(Double(figures.ledgerBytes)), 11) + Self.pad(Self.grouped(figures.buildEventsPerSecond), 13)
                    + Self.pad(range(figures.rebuildEventsPerSecond, Self.grouped), 29) + Self.pad(range(figures.rebuildSeconds, seconds), 24)
                    + Self.pad(cpu(figures), 14)
                    + Self.pad(range(figures.metricsLibrarySeconds, seconds), 24) + range(figures.metricsCommandSeconds, seconds))
        }
        lines.append("  budgets: replay ≥ \(Self.grouped(ProjectionBenchmark.rebuildBudget)) events/s; `ledger metrics` < \(Int(ProjectionBenchmark.metricsBudgetSeconds)) s")
        return lines + [""]
    }

    private func header() -> [String] {
        [
            "approval-ledger benchmark, \(date)",
            "machine: \(machine.cores) cores, \(machine.cpuModel), \(Self.bytes(Double(machine.memoryBytes))) RAM, \(machine.operatingSystem)",
            "software: \(machine.openSSLVersion); \(machine.swiftVersion)\(peer.map { "; peer: \($0)" } ?? "")",
            "workload: per save \(options.requests) approval requests × 2 events, one durable transaction each; batch "
                + "\(options.events) events in transactions of \(options.batchSize), \(options.streams) streams, payload ≈ "
                + "\(Int(meanPayloadBytes.rounded())) bytes; scaling sizes \(options.sizes.map { Self.grouped(Double($0)) }.joined(separator: ", ")) "
                + "with \(options.writers.map(String.init).joined(separator: ", ")) writer processes; median of \(options.runs) "
                + "run\(options.runs == 1 ? "" : "s") [min – max]",
            "note: on a shared, noisy machine core speed drifts by tens of percent within a minute, so each ledger phase is",
            "      measured between two measurements of its crypto limit, and 'share' is the median of the per-run shares.",
            "",
        ]
    }

    private func limits() -> [String] {
        var lines = ["Physical limits"]
        for metric in [Metric.signsPerSecond, .opensslSignsPerSecond, .verifiesPerSecond, .opensslVerifiesPerSecond,
                       .parallelVerifiesPerSecond, .sha256GigabytesPerSecond, .fsyncsPerSecond, .commitsPerSecond] {
            guard let statistic = statistics[metric] else {
                lines.append("  " + Self.pad(metric.label, 46) + "not measured")
                continue
            }
            lines.append(
                "  " + Self.pad(metric.label, 46) + Self.padLeft(Self.value(statistic.median, metric), 10) + " "
                    + Self.pad(metric.unit, 11)
                    + "[\(Self.value(statistic.minimum, metric)) – \(Self.value(statistic.maximum, metric))]")
        }
        return lines + [""]
    }

    private func rates() -> [String] {
        var lines = [
            "Rates against their limits and the peer",
            "  " + Self.pad("figure", 38) + Self.padLeft("rate", 10) + "  " + Self.pad("compared with", 46)
                + Self.padLeft("share", 8) + "  " + Self.pad("budget", 8) + "result",
        ]
        for row in comparisons {
            let result = row.passes.map { $0 ? "PASS" : "FAIL" } ?? "info"
            lines.append(
                "  " + Self.pad(row.metric.label, 38) + Self.padLeft(Self.value(row.rate, row.metric), 10) + "  "
                    + Self.pad(row.limitName, 36) + Self.padLeft(Self.grouped(row.limit), 10)
                    + Self.padLeft(row.formattedFraction, 8) + "  " + Self.pad(row.formattedBudget, 8) + result)
        }
        lines.append("  per run, rate (share of, or ratio to, what the budget compares it with):")
        for row in comparisons where row.requiredFraction != nil {
            let runs = zip(statistics[row.metric]?.samples ?? [], row.fractions).map { rate, fraction in
                "\(Self.grouped(rate)) (\(row.isRatio ? String(format: "%.2f×", fraction) : String(format: "%.0f%%", fraction * 100)))"
            }
            lines.append("    " + Self.pad(row.metric.label, 36) + runs.joined(separator: ", "))
        }
        for metric in [Metric.peerSave, .saveNormal, .approvalsSave] {
            if let statistic = statistics[metric] {
                lines.append("    " + Self.pad(metric.label, 36) + statistic.samples.map { Self.grouped($0) }.joined(separator: ", "))
            }
        }
        return lines + [""]
    }

    private func cpuTime() -> [String] {
        var lines = ["CPU time per event (all threads; steadier than rates on a shared machine)"]
        let sign = statistics[.signsPerSecond].map { (name: "sign", micros: 1e6 / $0.median) }
        let verify = statistics[.verifiesPerSecond].map { (name: "verify", micros: 1e6 / $0.median) }
        let rows: [(Metric, crypto: (name: String, micros: Double)?, cores: Metric?)] = [
            (.peerSaveCPU, nil, nil), (.saveFullCPU, sign, nil), (.saveNormalCPU, sign, nil), (.approvalsSaveCPU, nil, nil),
            (.commitCPU, nil, nil), (.batchAppendCPU, sign, .batchAppendCores), (.verifyCPU, verify, .verifyCores),
        ]
        for (metric, crypto, cores) in rows {
            guard let statistic = statistics[metric] else { continue }
            var line = "  " + Self.pad(metric.label, 38) + Self.padLeft(String(format: "%.1f µs", statistic.median), 10)
            if let crypto {
                line += String(
                    format: "   Ed25519 %@ %.1f µs = %.0f%% of it", crypto.name, crypto.micros, 100 * crypto.micros / statistic.median)
            }
            if let cores, let busy = statistics[cores] {
                line += String(format: "; %.2f cores busy", busy.median)
            }
            lines.append(line)
        }
        if let tree = statistics[.treeUpkeepCPU], let share = AppendTreeCost(comparisons: comparisons, statistics: statistics).treeShareOfAppendCPU {
            lines.append(
                "  " + Self.pad(Metric.treeUpkeepCPU.label, 38) + Self.padLeft(String(format: "%.1f µs", tree.median), 10)
                    + String(format: "   leaf + node hashes and node inserts, batches as above = %.1f%% of a batch append", share * 100))
        }
        return lines + [""]
    }

    private func memory() -> [String] {
        var lines = ["Memory and size (batch ledger, verified in this process)"]
        for metric in [Metric.residentBeforeVerifyBytes, .verifyPeakBytes, .processPeakBytes, .ledgerBytes] {
            if let statistic = statistics[metric] {
                lines.append("  " + Self.pad(metric.label, 46) + Self.padLeft(Self.bytes(statistic.median), 10))
            }
        }
        return lines + [""]
    }

    private func verdict() -> [String] {
        var lines = ["Budgets"]
        for budget in budgets {
            lines.append("  " + (budget.passes ? "PASS  " : "FAIL  ") + budget.name + ": " + budget.detail)
        }
        if options.peer == false { lines.append("  (peer skipped: --no-peer; its budget is not checked)") }
        let failed = budgets.filter { !$0.passes }.count
        lines.append(failed == 0 ? "All \(budgets.count) budgets PASS." : "\(failed) of \(budgets.count) budgets FAIL.")
        return lines
    }

    static func value(_ value: Double, _ metric: Metric) -> String {
        switch metric {
        case .sha256GigabytesPerSecond: String(format: "%.2f", value)
        case .residentBeforeVerifyBytes, .verifyPeakBytes, .processPeakBytes, .ledgerBytes: bytes(value)
        default: grouped(value)
        }
    }

    /// 12345.6 → "12,346".
    static func grouped(_ value: Double) -> String {
        let digits = String(Int(value.rounded()))
        var out = ""
        for (offset, character) in digits.reversed().enumerated() {
            if offset > 0, offset % 3 == 0, character != "-" { out.append(",") }
            out.append(character)
        }
        return String(out.reversed())
    }

    static func bytes(_ value: Double) -> String {
        value >= Double(1 << 30)
            ? String(format: "%.1f GiB", value / Double(1 << 30)) : String(format: "%.1f MiB", value / Double(1 << 20))
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }

    static func padLeft(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }
}
