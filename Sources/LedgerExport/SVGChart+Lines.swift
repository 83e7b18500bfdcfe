extension SVGChart {
    /// One named, coloured line: a value per label, nil where there is none (a gap).
    public struct Line: Sendable {
        public let name: String
        public let color: String
        public let values: [Double?]
        /// Drawn dashed, to tell a second measure of the same thing apart (a p90 beside a p50).
        public let dashed: Bool

        public init(name: String, color: String, values: [Double?], dashed: Bool = false) {
            self.name = name
            self.color = color
            self.values = values
            self.dashed = dashed
        }
    }

    /// Lines over labelled slots, each point a dot with its value as a tooltip; the y axis
    /// says `unit` in its tooltips.
    public static func lines(title: String, labels: [String], lines: [Line], unit: String) -> String {
        let maximum = lines.flatMap { $0.values.compactMap { $0 } }.max() ?? 0
        let scale = niceMaximum(Int(maximum.rounded(.up)))
        var svg = open(title)
        svg += axes(maximum: scale)
        let slot = plotWidth / Double(max(labels.count, 1))
        func x(_ index: Int) -> Double { left + slot * (Double(index) + 0.5) }
        for line in lines {
            var path = ""
            var pen = false
            for (index, value) in line.values.enumerated() {
                guard let value else { pen = false; continue }
                path += "\(pen ? "L" : "M")\(format(x(index))) \(format(y(value, scale))) "
                pen = true
            }
            if !path.isEmpty {
                svg += #"<path d="\#(path.dropLast())" fill="none" stroke="\#(line.color)" stroke-width="2"\#(line.dashed ? #" stroke-dasharray="5 3""# : "")/>"#
            }
            for (index, value) in line.values.enumerated() {
                guard let value else { continue }
                let label = labels.indices.contains(index) ? labels[index] : ""
                svg += #"<circle cx="\#(format(x(index)))" cy="\#(format(y(value, scale)))" r="3" fill="\#(line.color)"><title>\#(HTML.escape(label)) \#(HTML.escape(line.name)): \#(String(format: value)) \#(HTML.escape(unit))</title></circle>"#
            }
        }
        let every = max(1, Int((Double(labels.count) / 5).rounded(.up)))
        for (index, label) in labels.enumerated() where index % every == 0 {
            svg += #"<text x="\#(format(x(index)))" y="\#(format(height - bottom + 16))" text-anchor="middle" class="tick">\#(HTML.escape(label))</text>"#
        }
        return svg + "</svg>"
    }

    /// Horizontal bars, one row per label, stacked when there are several series: for
    /// rankings (reasons, identities) whose labels are too long for a column's foot.
    public static func horizontalBars(title: String, labels: [String], series: [Series]) -> String {
        // Narrower than the column charts, so that labels read at the same size in a grid cell.
        let chartWidth = 380.0, rowHeight = 24.0, labelWidth = 170.0, rightPad = 36.0
        let chartHeight = max(1, Double(labels.count)) * rowHeight + 8
        let totals = labels.indices.map { index in series.reduce(0) { $0 + ($1.values.indices.contains(index) ? $1.values[index] : 0) } }
        let maximum = Double(max(totals.max() ?? 0, 1))
        let span = chartWidth - labelWidth - rightPad
        var svg = #"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \#(Int(chartWidth)) \#(Int(chartHeight))" role="img" aria-label="\#(HTML.escape(title))"><title>\#(HTML.escape(title))</title>"#
        for (index, label) in labels.enumerated() {
            let rowY = 4 + Double(index) * rowHeight
            svg += #"<text x="\#(format(labelWidth - 6))" y="\#(format(rowY + 16))" text-anchor="end" class="tick">\#(HTML.escape(label.count > 22 ? label.prefix(21) + "…" : label))</text>"#
            var base = 0.0
            for line in series {
                let value = line.values.indices.contains(index) ? line.values[index] : 0
                guard value > 0 else { continue }
                let barWidth = span * Double(value) / maximum
                svg += #"<rect x="\#(format(labelWidth + base))" y="\#(format(rowY + 3))" width="\#(format(barWidth))" height="\#(format(rowHeight - 6))" fill="\#(line.color)"><title>\#(HTML.escape(label)) \#(HTML.escape(line.name)): \#(value)</title></rect>"#
                base += barWidth
            }
            svg += #"<text x="\#(format(labelWidth + base + 4))" y="\#(format(rowY + 15))" class="tick">\#(totals[index])</text>"#
        }
        return svg + "</svg>"
    }
}
