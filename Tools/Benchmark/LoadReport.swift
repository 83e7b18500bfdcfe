/// The load phase over all runs: each (workload, clients) with its median figures and its
/// ratio to the peer's durable per-save rate measured in the same run, and the budgets.
struct LoadReport {
    struct Row {
        var workload: String
        var clients: Int
        /// One per run, in run order.
        var samples: [LoadFigures]
        /// Each run's writes/s ÷ that run's peer per-save events/s (runs with a peer only).
        var peerRatios: [Double]

        var writesPerSecond: Statistic? { Statistic(samples.map(\.writesPerSecond)) }
        var p50: Statistic? { Statistic(samples.map(\.p50)) }
        var p99: Statistic? { Statistic(samples.map(\.p99)) }
        var writesPerCommit: Statistic? { Statistic(samples.compactMap(\.writesPerCommit)) }
        var writerCPU: Statistic? { Statistic(samples.map(\.writerCPUMicroseconds)) }
        var clientCPU: Statistic? {
            Statistic(samples.compactMap { figure in figure.clientCPUSeconds.map { $0 * 1e6 / Double(figure.writes) } })
        }
        var peerRatio: Statistic? { Statistic(peerRatios) }
    }

    /// The server workload the budget is about, and its bounds.
    static let budgetWorkload = "server raw appends"
    static let budgetClients = 64
    static let requiredPeerRatio = 4.0
    static let maxP99Milliseconds = 25.0

    let rows: [Row]

    init(runs: [[LoadFigures]], peerSaves: [Double?]) {
        var rows: [Row] = []
        for (run, figures) in runs.enumerated() {
            for figure in figures {
                let peer = run < peerSaves.count ? peerSaves[run] : nil
                let ratio = peer.flatMap { $0 > 0 ? figure.writesPerSecond / $0 : nil }
                if let index = rows.firstIndex(where: { $0.workload == figure.workload && $0.clients == figure.clients }) {
                    rows[index].samples.append(figure)
                    if let ratio { rows[index].peerRatios.append(ratio) }
                } else {
                    rows.append(Row(workload: figure.workload, clients: figure.clients, samples: [figure], peerRatios: ratio.map { [$0] } ?? []))
                }
            }
        }
        self.rows = rows
    }

    /// The server budget at 64 clients, once the server phase and the peer ran.
    var budgets: [Budget] {
        guard let row = rows.first(where: { $0.workload == Self.budgetWorkload && $0.clients == Self.budgetClients }) else { return [] }
        var budgets: [Budget] = []
        if let ratio = row.peerRatio {
            budgets.append(Budget(
                name: "\(Self.budgetWorkload), \(Self.budgetClients) clients, durable writes/s",
                detail: String(format: "%.2f× the peer's durable per-save rate (≥ %g×)", ratio.median, Self.requiredPeerRatio),
                passes: ratio.median >= Self.requiredPeerRatio))
        }
        if let p99 = row.p99 {
            budgets.append(Budget(
                name: "\(Self.budgetWorkload), \(Self.budgetClients) clients, p99 latency",
                detail: String(format: "%.1f ms (≤ %g ms)", p99.median, Self.maxP99Milliseconds),
                passes: p99.median <= Self.maxP99Milliseconds))
        }
        return budgets
    }

    /// The table's lines.
    func render() -> [String] {
        guard !rows.isEmpty else { return [] }
        var lines = [
            "Durable writes from concurrent clients (each waits for its answer before the next), median over runs [min – max]",
            "  " + ResultTable.pad("workload", 22) + ResultTable.padLeft("clients", 8) + ResultTable.padLeft("writes/s", 24)
                + ResultTable.padLeft("× peer", 8) + ResultTable.padLeft("p50 ms", 9) + ResultTable.padLeft("p99 ms", 9)
                + ResultTable.padLeft("writes/commit", 15) + ResultTable.padLeft("writer CPU µs/write", 21)
                + ResultTable.padLeft("client CPU µs/write", 21),
        ]
        func format(_ statistic: Statistic?, _ format: String) -> String {
            statistic.map { String(format: format, $0.median) } ?? "-"
        }
        for row in rows {
            let rate = row.writesPerSecond.map {
                "\(ResultTable.grouped($0.median)) [\(ResultTable.grouped($0.minimum)) – \(ResultTable.grouped($0.maximum))]"
            } ?? "-"
            lines.append(
                "  " + ResultTable.pad(row.workload, 22) + ResultTable.padLeft("\(row.clients)", 8) + ResultTable.padLeft(rate, 24)
                    + ResultTable.padLeft(format(row.peerRatio, "%.2f×"), 8) + ResultTable.padLeft(format(row.p50, "%.2f"), 9)
                    + ResultTable.padLeft(format(row.p99, "%.2f"), 9) + ResultTable.padLeft(format(row.writesPerCommit, "%.1f"), 15)
                    + ResultTable.padLeft(format(row.writerCPU, "%.0f"), 21) + ResultTable.padLeft(format(row.clientCPU, "%.0f"), 21))
        }
        return lines + [""]
    }

    /// The rows as the JSON file holds them.
    var json: [[String: Any]] {
        rows.map { row in
            [
                "workload": row.workload, "clients": row.clients, "peerRatioPerRun": row.peerRatios,
                "runs": row.samples.map { figure -> [String: Any] in
                    [
                        "writes": figure.writes, "wallSeconds": figure.wallSeconds, "writesPerSecond": figure.writesPerSecond,
                        "p50Milliseconds": figure.p50, "p99Milliseconds": figure.p99, "writerCPUSeconds": figure.writerCPUSeconds,
                        "clientCPUSeconds": figure.clientCPUSeconds as Any, "writesPerCommit": figure.writesPerCommit as Any,
                    ]
                },
            ]
        }
    }
}
