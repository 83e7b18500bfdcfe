/// Small charts drawn as inline SVG, so the HTML report and the server's dashboards need no
/// script, font or image from anywhere and print as they show.
public enum SVGChart {
    /// One named, coloured row of values, a value per label.
    public struct Series: Sendable {
        public let name: String
        public let color: String
        public let values: [Int]

        public init(name: String, color: String, values: [Int]) {
            self.name = name
            self.color = color
            self.values = values
        }
    }

    /// One step of `steps`: from `x` (0…1) to the next step's.
    public struct Step: Sendable {
        public let x: Double
        /// Drawn as a line.
        public let line: Int
        /// Shaded beneath the line.
        public let area: Double

        public init(x: Double, line: Int, area: Double) {
            self.x = x
            self.line = line
            self.area = area
        }
    }

    static let width = 480.0, height = 240.0
    static let left = 34.0, right = 14.0, top = 12.0, bottom = 30.0
    static var plotWidth: Double { width - left - right }
    static var plotHeight: Double { height - top - bottom }

    /// Bars, stacked when there are several series, one slot per label.
    public static func bars(title: String, labels: [String], series: [Series]) -> String {
        let totals = labels.indices.map { index in series.reduce(0) { $0 + ($1.values.indices.contains(index) ? $1.values[index] : 0) } }
        let scale = niceMaximum(totals.max() ?? 0)
        var svg = open(title)
        svg += axes(maximum: scale)
        let slot = plotWidth / Double(max(labels.count, 1))
        let barWidth = min(48, max(1, slot * 0.72))
        for (index, label) in labels.enumerated() {
            var base = 0
            let x = left + slot * Double(index) + (slot - barWidth) / 2
            for line in series {
                let value = line.values.indices.contains(index) ? line.values[index] : 0
                guard value > 0 else { continue }
                let y0 = y(Double(base), scale), y1 = y(Double(base + value), scale)
                svg += #"<rect x="\#(format(x))" y="\#(format(y1))" width="\#(format(barWidth))" height="\#(format(y0 - y1))" fill="\#(line.color)"><title>\#(HTML.escape(label)) \#(HTML.escape(line.name)): \#(value)</title></rect>"#
                base += value
            }
        }
        let every = max(1, Int((Double(labels.count) / 5).rounded(.up)))
        for (index, label) in labels.enumerated() where index % every == 0 {
            let x = left + slot * (Double(index) + 0.5)
            svg += #"<text x="\#(format(x))" y="\#(format(height - bottom + 16))" text-anchor="middle" class="tick">\#(HTML.escape(label))</text>"#
        }
        return svg + "</svg>"
    }

    /// Steps, each from its `x` to the next one's (the last to the right edge), a line over a
    /// shaded area, over labelled x ticks.
    public static func steps(title: String, points: [Step], ticks: [(x: Double, label: String)]) -> String {
        let scale = niceMaximum(points.map(\.line).max() ?? 0)
        var svg = open(title)
        svg += axes(maximum: scale)
        func path(_ value: (Step) -> Double) -> String? {
            guard let first = points.first else { return nil }
            var path = "M\(format(left + first.x * plotWidth)) \(format(y(value(first), scale)))"
            for point in points.dropFirst() {
                path += " H\(format(left + point.x * plotWidth)) V\(format(y(value(point), scale)))"
            }
            return path + " H\(format(left + plotWidth))"
        }
        if let area = path({ $0.area }), let line = path({ Double($0.line) }), let first = points.first {
            svg += #"<path d="\#(area) V\#(format(y(0, scale))) H\#(format(left + first.x * plotWidth)) Z" class="area"/>"#
            svg += #"<path d="\#(line)" class="line"/>"#
        }
        for tick in ticks {
            let anchor = tick.x <= 0 ? "start" : tick.x >= 1 ? "end" : "middle"
            svg += #"<text x="\#(format(left + tick.x * plotWidth))" y="\#(format(height - bottom + 16))" text-anchor="\#(anchor)" class="tick">\#(HTML.escape(tick.label))</text>"#
        }
        return svg + "</svg>"
    }

    static func open(_ title: String) -> String {
        #"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \#(Int(width)) \#(Int(height))" role="img" aria-label="\#(HTML.escape(title))"><title>\#(HTML.escape(title))</title>"#
    }

    /// Horizontal grid lines with their values, and the baseline.
    static func axes(maximum: Int) -> String {
        var svg = ""
        for step in 0...4 {
            let value = Double(maximum) * Double(step) / 4
            let lineY = y(value, maximum)
            svg += #"<line x1="\#(format(left))" x2="\#(format(width - right))" y1="\#(format(lineY))" y2="\#(format(lineY))" class="\#(step == 0 ? "axis" : "grid")"/>"#
            let label = value == value.rounded() ? String(Int(value)) : String(format: value)
            svg += #"<text x="\#(format(left - 6))" y="\#(format(lineY + 4))" text-anchor="end" class="tick">\#(label)</text>"#
        }
        return svg
    }

    static func y(_ value: Double, _ maximum: Int) -> Double {
        top + plotHeight * (1 - value / Double(max(maximum, 1)))
    }

    /// The smallest of 4, 8, 12, 20, 40, 80, 120, 200, … at or above `value`, so the four
    /// grid lines fall on round numbers.
    static func niceMaximum(_ value: Int) -> Int {
        var magnitude = 1
        while true {
            for step in [4, 8, 12, 20] where step * magnitude >= value { return step * magnitude }
            magnitude *= 10
        }
    }

    static func format(_ value: Double) -> String { String(format: value) }
}

extension String {
    /// A coordinate with at most one decimal, without a trailing `.0`.
    init(format value: Double) {
        let rounded = (value * 10).rounded() / 10
        self = rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
