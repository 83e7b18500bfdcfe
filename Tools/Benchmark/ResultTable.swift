import Foundation

/// The human-readable report printed to stdout.
struct ResultTable {
    let machine: MachineInfo
    let options: BenchmarkOptions
    let statistics: [Metric: Statistic]
    let comparisons: [Comparison]
    let projections: [ProjectionBenchmark.Figures]
    let meanPayloadBytes: Double
    let date: String

    func render() -> String {
        let core = options.projectionsOnly ? [] : limits() + rates() + cpuTime() + memory()
        return (header() + core + projectionRates() + verdict()).joined(separator: "\n")
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
        for figures in projections {
            lines.append("    \(Self.grouped(Double(figures.events))) events: rebuild \(figures.rebuildPasses ? "PASS" : "FAIL"), metrics \(figures.metricsPasses ? "PASS" : "FAIL")")
        }
        return lines + [""]
    }

    private func header() -> [String] {
        [
            "approval-ledger benchmark, \(date)",
            "machine: \(machine.cores) cores, \(machine.cpuModel), \(Self.bytes(Double(machine.memoryBytes))) RAM, \(machine.operatingSystem)",
            "software: \(machine.openSSLVersion); \(machine.swiftVersion)",
            "workload: \(options.events) events in batches of \(options.batchSize), \(options.singleAppends) single appends per "
                + "durability, \(options.streams) streams, payload ≈ \(Int(meanPayloadBytes.rounded())) bytes; "
                + "median of \(options.runs) run\(options.runs == 1 ? "" : "s") [min – max]",
            "note: on a shared, noisy machine core speed drifts by tens of percent within a minute, so each ledger phase is",
            "      measured between two measurements of its crypto limit, and 'share' is the median of the per-run shares.",
            "",
        ]
    }

    private func limits() -> [String] {
        var lines = ["Physical limits"]
        for metric in [Metric.signsPerSecond, .opensslSignsPerSecond, .verifiesPerSecond, .opensslVerifiesPerSecond,
                       .parallelVerifiesPerSecond, .sha256GigabytesPerSecond, .fsyncsPerSecond] {
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
            "Ledger rates against their limits",
            "  " + Self.pad("figure", 36) + Self.padLeft("events/s", 10) + "  " + Self.pad("limit", 44)
                + Self.padLeft("share", 8) + "  " + Self.pad("budget", 8) + "result",
        ]
        for row in comparisons {
            let budget = row.requiredFraction.map { "≥ \(Int(($0 * 100).rounded()))%" } ?? "-"
            let result = row.passes.map { $0 ? "PASS" : "FAIL" } ?? "info"
            lines.append(
                "  " + Self.pad(row.metric.label, 36) + Self.padLeft(Self.value(row.rate, row.metric), 10) + "  "
                    + Self.pad(row.limitName, 34) + Self.padLeft(Self.grouped(row.limit), 10)
                    + Self.padLeft(String(format: "%.1f%%", row.fraction * 100), 8) + "  " + Self.pad(budget, 8) + result)
        }
        lines.append("  per run, events/s (share of the budgeted limit):")
        for row in comparisons where row.requiredFraction != nil {
            let runs = zip(statistics[row.metric]?.samples ?? [], row.fractions)
                .map { "\(Self.grouped($0)) (\(String(format: "%.0f%%", $1 * 100)))" }
            lines.append("    " + Self.pad(row.metric.label, 34) + runs.joined(separator: ", "))
        }
        for metric in [Metric.singleAppendFull, .singleAppendNormal] {
            if let statistic = statistics[metric] {
                lines.append("    " + Self.pad(metric.label, 34) + statistic.samples.map { Self.grouped($0) }.joined(separator: ", "))
            }
        }
        return lines + [""]
    }

    private func cpuTime() -> [String] {
        var lines = ["CPU time per event (all threads; steadier than rates on a shared machine)"]
        let sign = statistics[.signsPerSecond].map { (name: "sign", micros: 1e6 / $0.median) }
        let verify = statistics[.verifiesPerSecond].map { (name: "verify", micros: 1e6 / $0.median) }
        let rows: [(Metric, crypto: (name: String, micros: Double)?, cores: Metric?)] = [
            (.batchAppendCPU, sign, .batchAppendCores), (.singleAppendFullCPU, sign, nil),
            (.singleAppendNormalCPU, sign, nil), (.verifyCPU, verify, .verifyCores),
        ]
        for (metric, crypto, cores) in rows {
            guard let statistic = statistics[metric] else { continue }
            var line = "  " + Self.pad(metric.label, 36) + Self.padLeft(String(format: "%.1f µs", statistic.median), 10)
            if let crypto {
                line += String(
                    format: "   Ed25519 %@ %.1f µs = %.0f%% of it", crypto.name, crypto.micros, 100 * crypto.micros / statistic.median)
            }
            if let cores, let busy = statistics[cores] {
                line += String(format: "; %.2f cores busy", busy.median)
            }
            lines.append(line)
        }
        return lines + [""]
    }

    private func memory() -> [String] {
        var lines = ["Memory and size"]
        for metric in [Metric.residentBeforeVerifyBytes, .verifyPeakBytes, .processPeakBytes, .ledgerBytes] {
            if let statistic = statistics[metric] {
                lines.append("  " + Self.pad(metric.label, 46) + Self.padLeft(Self.bytes(statistic.median), 10))
            }
        }
        return lines + [""]
    }

    private func verdict() -> [String] {
        let budgets = comparisons.compactMap(\.passes) + projections.flatMap { [$0.rebuildPasses, $0.metricsPasses] }
        let failed = budgets.filter { !$0 }.count
        return [failed == 0 ? "All \(budgets.count) budgets PASS." : "\(failed) of \(budgets.count) budgets FAIL."]
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
