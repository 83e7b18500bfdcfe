/// Text in the Prometheus exposition format (version 0.0.4): `# HELP` and `# TYPE` once per
/// metric family, then its samples, with label values and help text escaped as the format
/// requires.
public struct PrometheusExposition: Sendable {
    /// The `# TYPE` of a metric family.
    public enum MetricType: String, Sendable {
        case counter, gauge, histogram, summary
    }

    /// The exposition so far; every line ends with a newline.
    public private(set) var text = ""

    /// An empty exposition.
    public init() {}

    /// Starts a metric family. Its samples must follow before the next family starts.
    public mutating func family(_ name: String, _ type: MetricType, help: String) {
        text += "# HELP \(name) \(Self.escapeHelp(help))\n# TYPE \(name) \(type.rawValue)\n"
    }

    /// A family of one sample without labels: the most common metric.
    public mutating func single(_ name: String, _ type: MetricType, help: String, _ value: Double) {
        family(name, type, help: help)
        sample(name, [], value)
    }

    /// One sample line: `name{label="value",…} value`.
    public mutating func sample(_ name: String, _ labels: [(String, String)] = [], _ value: Double) {
        text += name
        if !labels.isEmpty {
            text += "{" + labels.map { "\($0.0)=\"\(Self.escapeLabel($0.1))\"" }.joined(separator: ",") + "}"
        }
        text += " " + Self.format(value) + "\n"
    }

    /// The `_bucket`, `_sum` and `_count` samples of a histogram of durations, in seconds.
    public mutating func histogram(_ name: String, _ labels: [(String, String)] = [], _ summary: DurationSummary) {
        for (bound, count) in zip(DurationSummary.bucketBounds, summary.buckets) {
            sample(name + "_bucket", labels + [("le", Self.format(Double(bound) / 1000))], Double(count))
        }
        sample(name + "_bucket", labels + [("le", "+Inf")], Double(summary.count))
        sample(name + "_sum", labels, Double(summary.sumMs) / 1000)
        sample(name + "_count", labels, Double(summary.count))
    }

    /// The samples of a summary of durations, in seconds: the 0.5, 0.9 and 0.99 quantiles
    /// (NaN when there are no observations), `_sum` and `_count`.
    public mutating func summary(_ name: String, _ labels: [(String, String)] = [], _ summary: DurationSummary) {
        for (quantile, value) in [("0.5", summary.p50Ms), ("0.9", summary.p90Ms), ("0.99", summary.p99Ms)] {
            sample(name, labels + [("quantile", quantile)], value.map { Double($0) / 1000 } ?? .nan)
        }
        sample(name + "_sum", labels, Double(summary.sumMs) / 1000)
        sample(name + "_count", labels, Double(summary.count))
    }

    /// A label value with backslash, double quote and line feed escaped.
    public static func escapeLabel(_ value: String) -> String {
        var escaped = ""
        for character in value.unicodeScalars {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }

    /// Help text with backslash and line feed escaped.
    public static func escapeHelp(_ text: String) -> String {
        var escaped = ""
        for character in text.unicodeScalars {
            switch character {
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }

    /// A sample value: integers without a fraction, `NaN`, `+Inf`, `-Inf`, otherwise the
    /// shortest decimal that reads back as the same double.
    public static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
