import Foundation

/// The JSON file every figure is written to (`--out`).
struct ResultsFile {
    let machine: MachineInfo
    let options: BenchmarkOptions
    let arguments: [String]
    let statistics: [Metric: Statistic]
    let comparisons: [Comparison]
    let loads: LoadReport
    let projections: [ProjectionBenchmark.Figures]
    let proofs: ProofReport?
    let scaling: ScalingReport?
    let peer: String?
    let budgets: [Budget]
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
        let rows: [[String: Any]] = comparisons.map { row in
            var entry: [String: Any] = [
                "figure": row.metric.rawValue, "rate": row.rate, "comparedWith": row.limitName, "comparedValue": row.limit,
                "fraction": row.fraction, "fractionPerRun": row.fractions, "isRatio": row.isRatio,
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
        var document: [String: Any] = [
            "date": date,
            "command": (["ledger-bench"] + arguments).joined(separator: " "),
            "machine": [
                "cores": machine.cores, "cpuModel": machine.cpuModel, "memoryBytes": machine.memoryBytes,
                "os": machine.operatingSystem, "kernel": machine.kernel, "openssl": machine.openSSLVersion,
                "swiftOnPath": machine.swiftVersion,
            ] as [String: Any],
            "workload": [
                "events": options.events, "batchSize": options.batchSize, "requests": options.requests,
                "streams": options.streams, "runs": options.runs, "cryptoSeconds": options.cryptoSeconds,
                "meanPayloadBytes": meanPayloadBytes, "sizes": options.sizes, "writers": options.writers,
                "incremental": options.incremental, "projectionEvents": options.projectionEvents,
                "concurrency": options.concurrency, "loadWrites": options.loadWrites, "proofSizes": options.proofSizes,
                "proofRepetitions": options.proofRepetitions, "proofLedgerEvents": options.proofLedgerEvents,
            ] as [String: Any],
            "metrics": metrics,
            "comparisons": rows,
            "projections": projectionEntries,
            "load": loads.json,
            "budgets": budgets.map { ["name": $0.name, "detail": $0.detail, "pass": $0.passes] as [String: Any] },
            "allBudgetsPass": budgets.allSatisfy(\.passes),
        ]
        if let peer { document["peer"] = peer }
        if let proofs { document["proofs"] = proofs.json }
        if let scaling {
            document["scaling"] = [
                "series": scaling.series.map(Self.json), "incremental": scaling.incremental.map(Self.json) ?? NSNull(),
                "missing": scaling.missing,
            ] as [String: Any]
        }
        let data = try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        try (data + Data("\n".utf8)).write(to: URL(fileURLWithPath: path))
    }

    static func json(_ series: ScalingSeries) -> [String: Any] {
        [
            "operation": series.operation, "command": series.command, "plotted": series.plotted,
            "growth": series.growth ?? NSNull(), "cpuGrowth": series.cpuGrowth ?? NSNull(),
            "points": series.points.map { point -> [String: Any] in
                let seconds = point.seconds
                return [
                    "ledgerEvents": point.ledgerEvents, "events": point.events, "medianSeconds": seconds.median,
                    "minSeconds": seconds.minimum, "maxSeconds": seconds.maximum, "microsecondsPerEvent": point.microsecondsPerEvent,
                    "cpuMicrosecondsPerEvent": point.cpuMicrosecondsPerEvent, "eventsPerSecond": point.eventsPerSecond,
                    "peakResidentBytes": point.peakResidentBytes, "probeShare": point.probeShare ?? NSNull(),
                    "samples": point.samples.map { sample -> [String: Any] in
                        [
                            "wallSeconds": sample.wallSeconds, "cpuSeconds": sample.cpuSeconds,
                            "peakResidentBytes": sample.peakResidentBytes, "probe": sample.probe ?? NSNull(),
                        ]
                    },
                ]
            },
        ]
    }
}
