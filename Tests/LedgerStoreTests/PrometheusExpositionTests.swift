import ApprovalLedger
import Testing

/// The Prometheus text exposition writer: escaping, value formatting, histogram and summary
/// samples.
@Suite("PrometheusExposition")
struct PrometheusExpositionTests {
    @Test("Label values escape backslash, double quote and line feed; help text backslash and line feed")
    func escaping() {
        #expect(PrometheusExposition.escapeLabel("a\"b\\c\nd\té") == "a\\\"b\\\\c\\nd\té")
        #expect(PrometheusExposition.escapeHelp("a \"quoted\" \\ line\nbreak") == "a \"quoted\" \\\\ line\\nbreak")
        var out = PrometheusExposition()
        out.family("x_total", .counter, help: "two\nlines")
        out.sample("x_total", [("reason", "evil\"}\n"), ("kind", "vote")], 3)
        #expect(out.text == "# HELP x_total two\\nlines\n# TYPE x_total counter\nx_total{reason=\"evil\\\"}\\n\",kind=\"vote\"} 3\n")
    }

    @Test("Values: integers bare, fractions shortest, NaN and infinities by name")
    func values() {
        #expect(PrometheusExposition.format(42) == "42")
        #expect(PrometheusExposition.format(-3) == "-3")
        #expect(PrometheusExposition.format(0.125) == "0.125")
        #expect(PrometheusExposition.format(2.0 / 3.0) == "0.6666666666666666")
        #expect(PrometheusExposition.format(.nan) == "NaN")
        #expect(PrometheusExposition.format(.infinity) == "+Inf")
        #expect(PrometheusExposition.format(-.infinity) == "-Inf")
        #expect(PrometheusExposition.format(1e20) == "1e+20")
    }

    @Test("A histogram: cumulative buckets in seconds, +Inf equal to _count, _sum in seconds")
    func histogram() {
        var out = PrometheusExposition()
        out.histogram("d_seconds", [("env", "prod")], DurationSummary([30_000, 90_000, 7_200_000]))
        let lines = out.text.split(separator: "\n")
        #expect(lines.first == "d_seconds_bucket{env=\"prod\",le=\"60\"} 1")
        #expect(lines.contains("d_seconds_bucket{env=\"prod\",le=\"300\"} 2"))
        #expect(lines.contains("d_seconds_bucket{env=\"prod\",le=\"7200\"} 3"))
        #expect(lines.contains("d_seconds_bucket{env=\"prod\",le=\"+Inf\"} 3"))
        #expect(lines.suffix(2) == ["d_seconds_sum{env=\"prod\"} 7320", "d_seconds_count{env=\"prod\"} 3"])
    }

    @Test("A summary of no observations: NaN quantiles, zero sum and count")
    func emptySummary() {
        var out = PrometheusExposition()
        out.summary("s_seconds", [], DurationSummary([]))
        #expect(out.text == """
            s_seconds{quantile="0.5"} NaN
            s_seconds{quantile="0.9"} NaN
            s_seconds{quantile="0.99"} NaN
            s_seconds_sum 0
            s_seconds_count 0

            """)
    }
}
