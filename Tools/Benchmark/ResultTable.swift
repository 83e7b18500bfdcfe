import Foundation

/// The human-readable report printed to stdout.
struct ResultTable {
    let machine: MachineInfo
    let options: BenchmarkOptions
    let statistics: [Metric: Statistic]
    let comparisons: [Comparison]
    let meanPayloadBytes: Double
    let date: String

    func render() -> String {
        var lines: [String] = []
        lines.append("approval-ledger benchmark, \(date)")
        lines.append("machine: \(machine.cores) cores, \(machine.cpuModel), \(Self.bytes(Double(machine.memoryBytes))) RAM, \(machine.operatingSystem), \(machine.openSSLVersion)")
        lines.append(
            "workload: \(options.events) events in batches of \(options.batchSize), \(options.singleAppends) single appends per durability, "
                + "\(options.streams) streams, payload ≈ \(Int(meanPayloadBytes.rounded())) bytes; "
                + "median of \(options.runs) run\(options.runs == 1 ? "" : "s") [min – max]")
        lines.append("note: a shared, noisy machine; rates vary by 10–20% between runs.")
        lines.append("")
        lines.append("Physical limits")
        for metric in [Metric.signsPerSecond, .opensslSignsPerSecond, .verifiesPerSecond, .opensslVerifiesPerSecond,
                       .parallelVerifiesPerSecond, .sha256GigabytesPerSecond, .fsyncsPerSecond] {
            guard let statistic = statistics[metric] else {
                lines.append("  " + Self.pad(metric.label, 46) + "not measured")
                continue
            }
            lines.append("  " + Self.pad(metric.label, 46) + Self.padLeft(Self.value(statistic.median, metric), 10) + " " + Self.pad(metric.unit, 11)
                + "[\(Self.value(statistic.minimum, metric)) – \(Self.value(statistic.maximum, metric))]")
        }
        lines.append("")
        lines.append("Ledger rates against their limits")
        lines.append("  " + Self.pad("figure", 36) + Self.padLeft("events/s", 10) + "  " + Self.pad("limit", 34) + Self.padLeft("", 10)
            + Self.padLeft("share", 8) + "  " + Self.pad("budget", 8) + "result")
        for row in comparisons {
            let budget = row.requiredFraction.map { "≥ \(Int(($0 * 100).rounded()))%" } ?? "-"
            let result = row.passes.map { $0 ? "PASS" : "FAIL" } ?? "info"
            lines.append("  " + Self.pad(row.metric.label, 36) + Self.padLeft(Self.value(row.rate, row.metric), 10) + "  "
                + Self.pad(row.limitName, 34) + Self.padLeft(Self.grouped(row.limit), 10)
                + Self.padLeft(String(format: "%.1f%%", row.fraction * 100), 8) + "  " + Self.pad(budget, 8) + result)
        }
        lines.append("")
        for metric in [Metric.batchAppend, .singleAppendFull, .singleAppendNormal, .verify] {
            if let statistic = statistics[metric] {
                lines.append("  " + Self.pad(metric.label, 36) + "runs: " + statistic.samples.map { Self.grouped($0) }.joined(separator: ", "))
            }
        }
        lines.append("")
        lines.append("Memory and size")
        for metric in [Metric.verifyPeakBytes, .processPeakBytes, .ledgerBytes] {
            if let statistic = statistics[metric] {
                lines.append("  " + Self.pad(metric.label, 46) + Self.padLeft(Self.bytes(statistic.median), 10))
            }
        }
        let budgets = comparisons.compactMap(\.passes)
        lines.append("")
        lines.append(budgets.allSatisfy { $0 } ? "All \(budgets.count) budgets PASS." : "\(budgets.filter { !$0 }.count) of \(budgets.count) budgets FAIL.")
        return lines.joined(separator: "\n")
    }

    static func value(_ value: Double, _ metric: Metric) -> String {
        switch metric {
        case .sha256GigabytesPerSecond: String(format: "%.2f", value)
        case .verifyPeakBytes, .processPeakBytes, .ledgerBytes: bytes(value)
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
        value >= Double(1 << 30) ? String(format: "%.1f GiB", value / Double(1 << 30)) : String(format: "%.1f MiB", value / Double(1 << 20))
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }

    static func padLeft(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }
}
