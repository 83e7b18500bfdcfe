import Foundation

/// Time against ledger size as an SVG line chart on log–log axes, one line per plotted
/// operation (median, with a whisker from the fastest to the slowest run), and a dashed line of
/// slope 1 through the first point: an operation that grows linearly runs parallel to it.
struct ScalingPlot {
    var series: [ScalingSeries]
    var title: String
    var width = 760.0
    var height = 460.0

    static let colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"]
    private let left = 78.0, right = 170.0, top = 44.0, bottom = 58.0

    /// The SVG document, or nil when no plotted series has a point.
    var svg: String? {
        let plotted = series.filter { $0.plotted && !$0.points.isEmpty }
        let points = plotted.flatMap(\.points)
        guard !points.isEmpty else { return nil }
        let sizes = points.map { Double($0.ledgerEvents) }
        let times = points.flatMap { [$0.seconds.minimum, $0.seconds.maximum] }.filter { $0 > 0 }
        guard let minTime = times.min(), let maxTime = times.max() else { return nil }
        // Grid lines on whole decades; a margin around them keeps the end points off the frame.
        let xTicks = Self.decades(sizes.min()!, sizes.max()!), yTicks = Self.decades(minTime, maxTime)
        let xRange = (xTicks.lowerBound - 0.08)...(xTicks.upperBound + 0.08)
        let yRange = (yTicks.lowerBound - 0.08)...(yTicks.upperBound + 0.08)
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        func x(_ value: Double) -> Double {
            left + (log10(value) - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound) * plotWidth
        }
        func y(_ value: Double) -> Double {
            top + plotHeight - (log10(value) - yRange.lowerBound) / (yRange.upperBound - yRange.lowerBound) * plotHeight
        }
        var out = [
            ##"<svg xmlns="http://www.w3.org/2000/svg" width="\##(Self.n(width))" height="\##(Self.n(height))" viewBox="0 0 \##(Self.n(width)) \##(Self.n(height))" font-family="sans-serif" font-size="12">"##,
            ##"<rect width="100%" height="100%" fill="white"/>"##,
            ##"<text x="\##(Self.n(left))" y="24" font-size="15" font-weight="bold">\##(Self.escape(title))</text>"##,
        ]
        for decade in Int(xTicks.lowerBound)...Int(xTicks.upperBound) {
            let position = x(pow(10, Double(decade)))
            out.append(##"<line x1="\##(Self.n(position))" y1="\##(Self.n(top))" x2="\##(Self.n(position))" y2="\##(Self.n(top + plotHeight))" stroke="#ddd"/>"##)
            out.append(##"<text x="\##(Self.n(position))" y="\##(Self.n(top + plotHeight + 18))" text-anchor="middle">\##(Self.countLabel(decade))</text>"##)
        }
        for decade in Int(yTicks.lowerBound)...Int(yTicks.upperBound) {
            let position = y(pow(10, Double(decade)))
            out.append(##"<line x1="\##(Self.n(left))" y1="\##(Self.n(position))" x2="\##(Self.n(left + plotWidth))" y2="\##(Self.n(position))" stroke="#ddd"/>"##)
            out.append(##"<text x="\##(Self.n(left - 8))" y="\##(Self.n(position + 4))" text-anchor="end">\##(Self.secondsLabel(decade))</text>"##)
        }
        out.append(##"<rect x="\##(Self.n(left))" y="\##(Self.n(top))" width="\##(Self.n(plotWidth))" height="\##(Self.n(plotHeight))" fill="none" stroke="#444"/>"##)
        out.append(##"<text x="\##(Self.n(left + plotWidth / 2))" y="\##(Self.n(height - 16))" text-anchor="middle">ledger size, events (log scale)</text>"##)
        out.append(##"<text transform="translate(20 \##(Self.n(top + plotHeight / 2))) rotate(-90)" text-anchor="middle">time, seconds (log scale)</text>"##)

        // The linear reference: slope 1 through the first plotted point, clipped to the frame.
        if let anchor = plotted[0].points.min(by: { $0.ledgerEvents < $1.ledgerEvents }) {
            let (size, seconds) = (Double(anchor.ledgerEvents), anchor.seconds.median)
            let (from, to) = (pow(10, xRange.lowerBound), pow(10, xRange.upperBound))
            let ends = [from, to].map { ($0, seconds * $0 / size) }
                .map { ($0.0, min(max($0.1, pow(10, yRange.lowerBound)), pow(10, yRange.upperBound))) }
            out.append(##"<line x1="\##(Self.n(x(ends[0].0)))" y1="\##(Self.n(y(ends[0].1)))" x2="\##(Self.n(x(ends[1].0)))" y2="\##(Self.n(y(ends[1].1)))" stroke="#999" stroke-dasharray="5 4"/>"##)
        }
        var legendY = top + 8
        for (index, series) in plotted.enumerated() {
            let color = Self.colors[index % Self.colors.count]
            let sorted = series.points.sorted { $0.ledgerEvents < $1.ledgerEvents }
            let path = sorted.map { "\(Self.n(x(Double($0.ledgerEvents)))),\(Self.n(y($0.seconds.median)))" }.joined(separator: " ")
            out.append(##"<polyline points="\##(path)" fill="none" stroke="\##(color)" stroke-width="2"/>"##)
            for point in sorted {
                let px = x(Double(point.ledgerEvents))
                out.append(##"<line x1="\##(Self.n(px))" y1="\##(Self.n(y(point.seconds.minimum)))" x2="\##(Self.n(px))" y2="\##(Self.n(y(point.seconds.maximum)))" stroke="\##(color)"/>"##)
                out.append(##"<circle cx="\##(Self.n(px))" cy="\##(Self.n(y(point.seconds.median)))" r="3.5" fill="\##(color)"><title>\##(Self.escape(series.operation)): \##(ResultTable.grouped(Double(point.ledgerEvents))) events, \##(String(format: "%.3f", point.seconds.median)) s</title></circle>"##)
            }
            let legendX = left + plotWidth + 14
            out.append(##"<line x1="\##(Self.n(legendX))" y1="\##(Self.n(legendY))" x2="\##(Self.n(legendX + 22))" y2="\##(Self.n(legendY))" stroke="\##(color)" stroke-width="2"/>"##)
            out.append(##"<text x="\##(Self.n(legendX + 28))" y="\##(Self.n(legendY + 4))">\##(Self.escape(series.operation))</text>"##)
            legendY += 20
        }
        let legendX = left + plotWidth + 14
        out.append(##"<line x1="\##(Self.n(legendX))" y1="\##(Self.n(legendY))" x2="\##(Self.n(legendX + 22))" y2="\##(Self.n(legendY))" stroke="#999" stroke-dasharray="5 4"/>"##)
        out.append(##"<text x="\##(Self.n(legendX + 28))" y="\##(Self.n(legendY + 4))">∝ events (linear)</text>"##)
        out.append("</svg>")
        return out.joined(separator: "\n") + "\n"
    }

    /// Whole powers of ten around `low ... high` (at least one decade wide).
    static func decades(_ low: Double, _ high: Double) -> ClosedRange<Double> {
        let lower = floor(log10(low))
        return lower...max(lower + 1, ceil(log10(high)))
    }

    /// 10^decade events: "1k", "10k", "100k", "1M", "10M".
    static func countLabel(_ decade: Int) -> String {
        switch decade {
        case ..<3: String(Int(pow(10, Double(decade))))
        case 3..<6: "\(Int(pow(10, Double(decade - 3))))k"
        default: "\(Int(pow(10, Double(decade - 6))))M"
        }
    }

    /// 10^decade seconds: "0.01 s", "1 s", "100 s".
    static func secondsLabel(_ decade: Int) -> String {
        decade < 0 ? "\(String(format: "%.\(-decade)f", pow(10, Double(decade)))) s" : "\(Int(pow(10, Double(decade)))) s"
    }

    static func n(_ value: Double) -> String { String(format: "%.1f", value) }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
