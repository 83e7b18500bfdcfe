@testable import LedgerBenchmark
import Testing

@Suite("Scaling figures and budgets")
struct ScalingReportTests {
    static func point(_ size: Int, seconds: [Double], rss: Int = 40 << 20) -> ScalingSeries.Point {
        ScalingSeries.Point(
            ledgerEvents: size, events: size,
            samples: seconds.map { .init(wallSeconds: $0, cpuSeconds: $0 * 1.5, peakResidentBytes: rss, probe: nil) })
    }

    @Test func growthComparesTimePerEventAtTheLargestAndSmallestSizes() {
        let linear = ScalingSeries(operation: "verify", command: "", points: [Self.point(1_000_000, seconds: [50, 60, 55]), Self.point(10_000, seconds: [0.5])])
        #expect(abs(linear.growth! - 1.1) < 1e-9)
        #expect(linear.points[0].microsecondsPerEvent == 55)
        #expect(abs(linear.points[0].cpuMicrosecondsPerEvent - 82.5) < 1e-9)
        #expect(abs(linear.cpuGrowth! - 1.1) < 1e-9)
        let single = ScalingSeries(operation: "x", command: "", points: [Self.point(10_000, seconds: [1])])
        #expect(single.growth == nil)
    }

    @Test func theShareIsEachRunsRateOverTheLimitMeasuredAroundIt() {
        let point = ScalingSeries.Point(ledgerEvents: 10_000, events: 10_000, samples: [
            .init(wallSeconds: 0.5, cpuSeconds: 0.5, peakResidentBytes: 0, probe: 40_000),
            .init(wallSeconds: 1.0, cpuSeconds: 0.5, peakResidentBytes: 0, probe: 20_000),
            .init(wallSeconds: 1.0, cpuSeconds: 0.5, peakResidentBytes: 0, probe: nil),
        ])
        #expect(point.probeShare == 0.5)
        #expect(ScalingSeries.Point(ledgerEvents: 1, events: 1, samples: [.init(wallSeconds: 1, cpuSeconds: 1, peakResidentBytes: 0, probe: nil)]).probeShare == nil)
    }

    @Test func budgetsFailSuperLinearGrowthLargeMemoryAndAnIncrementalVerifyThatFollowsLedgerSize() {
        var report = ScalingReport()
        report.series = [
            ScalingSeries(operation: "verify", command: "", points: [Self.point(10_000, seconds: [1]), Self.point(100_000, seconds: [10], rss: 120_000_000)]),
            ScalingSeries(operation: "rebuild", command: "", points: [Self.point(10_000, seconds: [1]), Self.point(100_000, seconds: [20])]),
        ]
        report.incremental = ScalingSeries(operation: "verify --since-checkpoint", command: "", points: [
            ScalingSeries.Point(ledgerEvents: 100_000, events: 1_000, samples: [.init(wallSeconds: 0.11, cpuSeconds: 0.1, peakResidentBytes: 0, probe: nil)]),
            ScalingSeries.Point(ledgerEvents: 100_000, events: 10_000, samples: [.init(wallSeconds: 5, cpuSeconds: 1, peakResidentBytes: 0, probe: nil)]),
        ])
        let results = Dictionary(uniqueKeysWithValues: report.budgets.map { ($0.name, $0.passes) })
        #expect(results["verify: linear growth"] == true)
        #expect(results["rebuild: linear growth"] == false)
        #expect(results["verify: peak RSS at 10,000 events"] == true)
        #expect(results["verify: peak RSS at 100,000 events"] == false)
        // 110 µs per new event against a full verify's 100 µs/event passes; 500 fails.
        #expect(results["incremental verify: +1,000 events"] == true)
        #expect(results["incremental verify: peak RSS, +1,000 events"] == true)
        #expect(results["incremental verify: +10,000 events"] == false)
    }

    @Test func theTableShowsEverySizeAndTheGrowth() {
        var report = ScalingReport()
        report.series = [ScalingSeries(operation: "verify", command: "", points: [Self.point(10_000, seconds: [1, 2, 3]), Self.point(1_000_000, seconds: [100])])]
        report.missing = ["`ledger export`"]
        let text = ScalingTable(report: report, runs: 3).render().joined(separator: "\n")
        #expect(text.contains("1,000,000"))
        #expect(text.contains("2.000 [1.000 – 3.000]"))
        #expect(text.contains("verify                   0.50    0.50"))
        #expect(text.contains("lacks: `ledger export`"))
    }
}
