@testable import LedgerBenchmark
import Testing

@Suite("The time-versus-size plot")
struct ScalingPlotTests {
    static func series(_ name: String, plotted: Bool = true, _ points: [(Int, Double)]) -> ScalingSeries {
        ScalingSeries(
            operation: name, command: "",
            points: points.map { .init(ledgerEvents: $0.0, events: $0.0, samples: [.init(wallSeconds: $0.1, cpuSeconds: $0.1, peakResidentBytes: 0, probe: nil)]) },
            plotted: plotted)
    }

    @Test func oneLinePerPlottedOperationOnLogAxes() throws {
        let plot = ScalingPlot(series: [
            Self.series("verify", [(10_000, 0.8), (100_000, 7.5), (1_000_000, 74)]),
            Self.series("metrics", [(10_000, 0.05), (100_000, 0.06), (1_000_000, 0.09)]),
            Self.series("append, 1 writer", plotted: false, [(10_000, 0.5)]),
        ], title: "Time <against> size")
        let svg = try #require(plot.svg)
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.hasSuffix("</svg>\n"))
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 2)
        #expect(svg.components(separatedBy: "<circle").count - 1 == 6)
        for label in [">10k<", ">100k<", ">1M<", ">0.01 s<", ">100 s<", ">verify<", ">metrics<", "∝ events (linear)", "Time &lt;against&gt; size"] {
            #expect(svg.contains(label), "missing \(label)")
        }
        #expect(!svg.contains("append, 1 writer"))
    }

    @Test func nothingToPlotGivesNoDocument() {
        #expect(ScalingPlot(series: [], title: "t").svg == nil)
        #expect(ScalingPlot(series: [Self.series("x", plotted: false, [(10, 1)])], title: "t").svg == nil)
    }

    @Test func axisLabelsAndDecades() {
        #expect(ScalingPlot.decades(10_000, 1_000_000) == 4...6)
        #expect(ScalingPlot.decades(0.05, 0.09) == -2 ... -1)
        #expect(ScalingPlot.decades(2, 2) == 0...1)
        #expect(ScalingPlot.countLabel(4) == "10k")
        #expect(ScalingPlot.countLabel(7) == "10M")
        #expect(ScalingPlot.secondsLabel(-2) == "0.01 s")
        #expect(ScalingPlot.secondsLabel(1) == "10 s")
    }
}
