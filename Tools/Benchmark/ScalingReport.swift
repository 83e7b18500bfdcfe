/// Everything the scaling runs measured, and the budgets they are held to.
struct ScalingReport: Equatable {
    /// Largest accepted growth of time per event from the smallest to the largest size: 1 is
    /// linear; the rest is room for a shared machine's noise.
    static let maxGrowth = 1.25
    /// `ledger verify` must stay under this peak RSS at every size (issue 6).
    static let verifyPeakResidentLimit = 100_000_000
    /// Verifying N new events after a checkpoint of a large ledger may cost at most this much
    /// more per event than a full verify of a ledger of N events: its time follows the new
    /// events, not the size of what came before (the same room as `maxGrowth`).
    static let incrementalFactor = 1.25
    /// Issue 20, on the workflow ledger at the largest size: `ledger verify` at this share of
    /// the all-cores Ed25519 verify rate measured around it, under this peak RSS; `ledger
    /// rebuild` (the whole process) at this rate; `ledger metrics` under this time.
    static let workflowVerifyShare = 0.85
    static let workflowVerifyPeakResidentLimit = 50 * 1_048_576
    static let rebuildEventsPerSecond = 300_000.0
    static let metricsSeconds = 0.2

    var series: [ScalingSeries] = []
    /// `ledger verify --since-checkpoint` on the largest ledger: one point per count of events
    /// appended after the checkpoint (`events`), on a ledger of `ledgerEvents` at the checkpoint.
    var incremental: ScalingSeries?
    /// Operations the `ledger` binary under test does not offer (yet).
    var missing: [String] = []

    func series(_ operation: String) -> ScalingSeries? { series.first { $0.operation == operation } }

    var budgets: [Budget] {
        var budgets: [Budget] = []
        for series in series {
            guard let growth = series.growth else { continue }
            budgets.append(Budget(
                name: "\(series.operation): linear growth",
                detail: String(
                    format: "µs/event at the largest size ÷ at the smallest = %.2f (≤ %.2f); CPU µs/event %.2f", growth, Self.maxGrowth,
                    series.cpuGrowth ?? .nan),
                passes: growth <= Self.maxGrowth))
        }
        for verify in series where verify.operation.hasPrefix("verify") {
            for point in verify.points {
                budgets.append(Budget(
                    name: "\(verify.operation): peak RSS at \(ResultTable.grouped(Double(point.ledgerEvents))) events",
                    detail: "\(ResultTable.bytes(Double(point.peakResidentBytes))) (≤ \(Self.verifyPeakResidentLimit / 1_000_000) MB)",
                    passes: point.peakResidentBytes <= Self.verifyPeakResidentLimit))
            }
        }
        budgets += workflowBudgets
        if let incremental, let verify = series("verify"),
           let base = verify.points.first(where: { $0.ledgerEvents == incremental.points.first?.ledgerEvents }) {
            for point in incremental.points {
                // A full verify of as many events as were added, when that size was measured
                // (ledgers hold a genesis and a key event more); else the one of the base ledger.
                let full = verify.points.first { abs($0.ledgerEvents - point.events) <= point.events / 100 } ?? base
                budgets.append(Budget(
                    name: "incremental verify: peak RSS, +\(ResultTable.grouped(Double(point.events))) events",
                    detail: "\(ResultTable.bytes(Double(point.peakResidentBytes))) (≤ \(Self.verifyPeakResidentLimit / 1_000_000) MB)",
                    passes: point.peakResidentBytes <= Self.verifyPeakResidentLimit))
                let factor = point.microsecondsPerEvent / full.microsecondsPerEvent
                budgets.append(Budget(
                    name: "incremental verify: +\(ResultTable.grouped(Double(point.events))) events",
                    detail: String(
                        format: "%.1f µs per new event = %.2f× a full verify's %.1f µs/event", point.microsecondsPerEvent, factor,
                        full.microsecondsPerEvent)
                        + " at \(ResultTable.grouped(Double(full.ledgerEvents))) events" + String(format: " (≤ %.2f×)", Self.incrementalFactor),
                    passes: factor <= Self.incrementalFactor))
            }
        }
        return budgets
    }

    /// Issue 20's figures at the largest workflow ledger.
    private var workflowBudgets: [Budget] {
        var budgets: [Budget] = []
        func largest(_ operation: String) -> ScalingSeries.Point? { series(operation)?.points.max { $0.ledgerEvents < $1.ledgerEvents } }
        let size = { (point: ScalingSeries.Point) in ResultTable.grouped(Double(point.ledgerEvents)) }
        if let verify = largest("verify, workflow") {
            if let share = verify.probeShare {
                budgets.append(Budget(
                    name: "verify, workflow: share of the verify limit at \(size(verify)) events",
                    detail: String(format: "%.1f%% of Ed25519 verify/s on all cores (≥ %.0f%%)", share * 100, Self.workflowVerifyShare * 100),
                    passes: share >= Self.workflowVerifyShare))
            }
            budgets.append(Budget(
                name: "verify, workflow: peak RSS at \(size(verify)) events",
                detail: "\(ResultTable.bytes(Double(verify.peakResidentBytes))) (≤ 50 MiB)",
                passes: verify.peakResidentBytes <= Self.workflowVerifyPeakResidentLimit))
        }
        if let rebuild = largest("rebuild") {
            budgets.append(Budget(
                name: "ledger rebuild at \(size(rebuild)) workflow events",
                detail: "\(ResultTable.grouped(rebuild.eventsPerSecond)) events/s, whole process (≥ \(ResultTable.grouped(Self.rebuildEventsPerSecond)))",
                passes: rebuild.eventsPerSecond >= Self.rebuildEventsPerSecond))
        }
        if let metrics = largest("metrics") {
            budgets.append(Budget(
                name: "ledger metrics at \(size(metrics)) workflow events",
                detail: String(format: "%.3f s, whole process (< %.1f s)", metrics.seconds.median, Self.metricsSeconds),
                passes: metrics.seconds.median < Self.metricsSeconds))
        }
        return budgets
    }
}
