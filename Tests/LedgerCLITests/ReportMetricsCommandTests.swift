import Foundation
import TestSupport
import Testing

/// The HTML report's service levels against `ledger metrics --format json`, both through the
/// built binary, on the demo ledger.
@Suite("ledger export --format html agrees with ledger metrics")
struct ReportMetricsCommandTests {
    /// An SLI tile of the report: the `ledger metrics --format json` member it names, the
    /// value it gives for it, and the text it shows.
    struct Tile {
        let metric: String
        let value: Any
        let shown: String
    }

    static func tiles(_ html: String) throws -> [Tile] {
        let pattern = try NSRegularExpression(
            pattern: #"<div class="tile" data-metric="([^"]+)" data-value="([^"]*)"><div class="value">([^<]*)</div>"#)
        return try pattern.matches(in: html, range: NSRange(html.startIndex..., in: html)).map { match in
            let group = { (index: Int) in String(html[Range(match.range(at: index), in: html)!]) }
            let json = Self.unescape(group(2))
            return Tile(metric: group(1), value: try JSONSerialization.jsonObject(with: Data(json.utf8), options: .fragmentsAllowed), shown: group(3))
        }
    }

    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    /// JSON text with sorted keys, to compare two parsed values.
    static func sorted(_ value: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]), as: UTF8.self)
    }

    /// The member at a dotted path of a JSON object.
    static func member(_ path: String, of object: [String: Any]) -> Any? {
        path.split(separator: ".").reduce(Optional(object as Any)) { ($0 as? [String: Any])?[String($1)] }
    }

    /// Exports the demo ledger's report with `arguments`, runs the `ledger metrics` command the
    /// report names, and checks every SLI tile against it.
    func expectAgreement(_ arguments: [String], in cli: LedgerCLI, name: String) throws -> [Tile] {
        try cli.expectSuccess(cli.run(["--ledger", "demo/demo.ledger", "export", "--format", "html", "--out", name] + arguments))
        let html = try String(contentsOfFile: cli.path(name), encoding: .utf8)
        let command = try #require(html.firstMatch(of: #/the same figures as <code>ledger (metrics [^<]+)</code>/#)?.output.1)
        let metrics = try cli.run(["--ledger", "demo/demo.ledger"] + command.split(separator: " ").map(String.init) + ["--format", "json"])
        try cli.expectSuccess(metrics)
        let json = try jsonObject(metrics.stdout)
        let tiles = try Self.tiles(html)
        #expect(tiles.count == 13)
        for tile in tiles {
            let expected = try #require(Self.member(tile.metric, of: json), "\(tile.metric) is not in ledger metrics --format json")
            #expect(try Self.sorted(tile.value) == Self.sorted(expected), "\(tile.metric): report \(tile.value), ledger metrics \(expected)")
            if tile.metric.hasSuffix(".total") || tile.metric.hasSuffix(".count") || tile.metric.hasSuffix(".depth") || tile.metric == "traffic.opened" {
                #expect(tile.shown == "\(expected)", "\(tile.metric) shows \(tile.shown)")
            }
        }
        return tiles
    }

    @Test("Every SLI of the demo's report equals ledger metrics --format json, rejected attempts (M6) included")
    func wholeLedger() throws {
        let cli = try ExportCommandTests.demo()
        let tiles = try expectAgreement([], in: cli, name: "report.html")
        // A vote refused for self-approval, an execution with the wrong digest, a second run of a one-shot grant.
        #expect(tiles.first { $0.metric == "rejectedAttempts.total" }?.shown == "3")
        #expect(tiles.first { $0.metric == "traffic.opened" }?.shown == "10")
    }

    @Test("A period's report agrees with ledger metrics over the same window, judged at its end")
    func period() throws {
        let cli = try ExportCommandTests.demo()
        // From the firewall change to just before the payments request's refused self-approval.
        let tiles = try expectAgreement(
            ["--since", "2026-11-02T09:30:00Z", "--until", "2026-11-02T12:56:00Z"], in: cli, name: "period.html")
        // The search request (opened 10:19, expired 12:49) waited; the payments one, opened 12:54, was pending at the end.
        #expect(tiles.first { $0.metric == "pendingQueue.depth" }?.shown == "1")
        #expect(tiles.first { $0.metric == "rejectedAttempts.total" }?.shown == "0")
    }
}
