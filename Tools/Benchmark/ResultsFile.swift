import Foundation

/// The JSON file every figure is written to (`--out`).
struct ResultsFile {
    let machine: MachineInfo
    let options: BenchmarkOptions
    let arguments: [String]
    let statistics: [Metric: Statistic]
    let comparisons: [Comparison]
    let projections: [ProjectionBenchmark.Figures]
    let meanPayloadBytes: Double
    let date: String

    func write(to path: String) throws {
        var metrics: [String: Any] = [:]
        for metric in Metric.allCases {
            guard let statistic = statistics[metric] else { continue }
            metrics[metric.rawValue] = [
                "label": metric.label, "unit": metric.unit, "median": statistic.median,
                "min": statistic.minimum, "max": statistic.maximum, "samples": statistic.samples,
            ] as [String: Any]
        }
        let budgets: [[String: Any]] = comparisons.map { row in
            var entry: [String: Any] = [
                "figure": row.metric.rawValue, "rate": row.rate, "limit": row.limitName, "limitValue": row.limit,
                "fraction": row.fraction, "fractionPerRun": row.fractions,
            ]
            if let required = row.requiredFraction, let passes = row.passes {
                entry["required"] = required
                entry["pass"] = passes
            }
            return entry
        }
        let projectionEntries: [[String: Any]] = projections.map { figures in
            [
                "events": figures.events, "requests": figures.requests, "ledgerBytes": figures.ledgerBytes,
                "buildEventsPerSecond": figures.buildEventsPerSecond, "rebuildEventsPerSecond": figures.rebuildEventsPerSecond,
                "rebuildSeconds": figures.rebuildSeconds, "rebuildCPUSeconds": figures.rebuildCPUSeconds,
                "metricsLibrarySeconds": figures.metricsLibrarySeconds, "metricsCommandSeconds": figures.metricsCommandSeconds,
                "rebuildPass": figures.rebuildPasses, "metricsPass": figures.metricsPasses,
            ]
        }
        let document: [String: Any] = [
            "date": date,
            "command": (["ledger-bench"] + arguments).joined(separator: " "),
            "machine": [
                "cores": machine.cores, "cpuModel": machine.cpuModel, "memoryBytes": machine.memoryBytes,
                "os": machine.operatingSystem, "kernel": machine.kernel, "openssl": machine.openSSLVersion,
                "swiftOnPath": machine.swiftVersion,
            ] as [String: Any],
            "workload": [
                "events": options.events, "batchSize": options.batchSize, "singleAppends": options.singleAppends,
                "streams": options.streams, "runs": options.runs, "cryptoSeconds": options.cryptoSeconds,
                "meanPayloadBytes": meanPayloadBytes,
            ] as [String: Any],
            "metrics": metrics,
            "comparisons": budgets,
            "projections": projectionEntries,
            "allBudgetsPass": (comparisons.compactMap(\.passes) + projections.flatMap { [$0.rebuildPasses, $0.metricsPasses] }).allSatisfy { $0 },
        ]
        let data = try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        try (data + Data("\n".utf8)).write(to: URL(fileURLWithPath: path))
    }
}
