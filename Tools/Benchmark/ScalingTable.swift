import Foundation

/// The scaling section of the printed report.
struct ScalingTable {
    let report: ScalingReport
    let runs: Int

    func render() -> [String] {
        guard !report.series.isEmpty else { return [] }
        typealias T = ResultTable
        var lines = [
            "Scaling: cost against ledger size (time: median of the runs [min – max]; µs/event = time ÷ events processed)",
            "  " + T.pad("operation", 20) + T.padLeft("size", 11) + "  " + T.pad("time, s", 26) + T.padLeft("µs/event", 10)
                + T.padLeft("CPU µs/ev", 11) + T.padLeft("events/s", 11) + T.padLeft("peak RSS", 11) + T.padLeft("share", 8),
        ]
        for series in report.series {
            for (index, point) in series.points.sorted(by: { $0.ledgerEvents < $1.ledgerEvents }).enumerated() {
                lines.append(Self.row(index == 0 ? series.operation : "", size: point.ledgerEvents, point, showShare: true))
            }
        }
        lines.append("  share: events/s ÷ the crypto limit measured around the run (append: Ed25519 sign/s on 1 core;")
        lines.append("         verify: Ed25519 verify/s on all cores at once)")
        lines.append("  growth of the cost per event from the smallest to the largest size (1.00 = linear, below = better):")
        lines.append("    " + T.pad("", 20) + T.padLeft("µs/event", 9) + T.padLeft("CPU", 8))
        for series in report.series {
            if let growth = series.growth {
                lines.append(
                    "    " + T.pad(series.operation, 20) + T.padLeft(String(format: "%.2f", growth), 9)
                        + T.padLeft(String(format: "%.2f", series.cpuGrowth ?? .nan), 8))
            }
        }
        if let incremental = report.incremental, let base = incremental.points.first?.ledgerEvents {
            lines.append("  incremental verify (`ledger verify --since-checkpoint`) on the \(T.grouped(Double(base)))-event ledger:")
            for point in incremental.points {
                lines.append(Self.row("  after checkpoint", size: point.events, point, showShare: true))
            }
        }
        if !report.missing.isEmpty {
            lines.append("  not measured, the `ledger` binary lacks: \(report.missing.joined(separator: ", "))")
        }
        return lines + [""]
    }

    static func row(_ label: String, size: Int, _ point: ScalingSeries.Point, showShare: Bool) -> String {
        typealias T = ResultTable
        let seconds = point.seconds
        let time = seconds.samples.count > 1
            ? String(format: "%.3f [%.3f – %.3f]", seconds.median, seconds.minimum, seconds.maximum) : String(format: "%.3f", seconds.median)
        return "  " + T.pad(label, 20) + T.padLeft(T.grouped(Double(size)), 11) + "  " + T.pad(time, 26)
            + T.padLeft(String(format: "%.1f", point.microsecondsPerEvent), 10)
            + T.padLeft(String(format: "%.1f", point.cpuMicrosecondsPerEvent), 11)
            + T.padLeft(T.grouped(point.eventsPerSecond), 11) + T.padLeft(T.bytes(Double(point.peakResidentBytes)), 11)
            + T.padLeft(showShare ? point.probeShare.map { String(format: "%.0f%%", $0 * 100) } ?? "-" : "-", 8)
    }
}
