import Foundation
import Testing
import TestSupport
import Yams
#if canImport(Glibc)
import Glibc
#endif

/// A real Prometheus (Debian's `prometheus`) scrapes the live server's `/metrics` with a
/// bearer token, with the alert rules of Tools/prometheus/ loaded; `promtool check rules`
/// passes on them; and every PromQL expression of the Grafana dashboards (Tools/grafana/)
/// and of the rule files returns data through `/api/v1/query` on a ledger with demo-like
/// history in which every alert has cause to fire. Prometheus is a test dependency
/// (Tools/install-test-deps.sh): without it this test fails, it does not skip.
@Suite("Prometheus scrapes /metrics; the alert rules and Grafana queries return data")
struct PrometheusRulesTests {
    static let tools = TestPaths.packageRoot.appendingPathComponent("Tools")
    static let ruleFiles = ["prometheus/ledger-alerts.yml"].map { tools.appendingPathComponent($0).path }
    static let dashboards = ["exec", "oncall", "debug"].map { tools.appendingPathComponent("grafana/ledger-\($0).json").path }

    /// Grafana's macros, as Grafana would expand them for a short range.
    static let macros = ["$__rate_interval": "1m", "$__interval": "15s", "$__range": "1h"]

    /// Every `expr` of the dashboards' panel targets.
    static func dashboardExpressions() throws -> [(source: String, expr: String)] {
        var found: [(String, String)] = []
        func walk(_ value: Any, _ source: String) {
            if let object = value as? [String: Any] {
                if let expr = object["expr"] as? String { found.append((source, expr)) }
                for (key, member) in object where key != "templating" { walk(member, source) }
            } else if let array = value as? [Any] {
                for member in array { walk(member, source) }
            }
        }
        for path in dashboards {
            walk(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))), URL(fileURLWithPath: path).lastPathComponent)
        }
        return found
    }

    /// Every rule's `expr` (alerting and recording) in the rule files.
    static func ruleExpressions() throws -> [(source: String, expr: String)] {
        var found: [(String, String)] = []
        for path in ruleFiles {
            let document = try #require(try Yams.load(yaml: String(contentsOfFile: path, encoding: .utf8)) as? [String: Any])
            for group in try #require(document["groups"] as? [[String: Any]]) {
                for rule in try #require(group["rules"] as? [[String: Any]]) {
                    let name = (rule["alert"] ?? rule["record"]) as? String ?? "?"
                    found.append(("\(URL(fileURLWithPath: path).lastPathComponent) \(name)", try #require(rule["expr"] as? String)))
                }
            }
        }
        return found
    }

    @Test func promtoolAcceptsTheRulesAndEveryQueryReturnsData() async throws {
        let prometheus = try #require(try? ProcessRunner.which("prometheus"), "prometheus is not installed: run Tools/install-test-deps.sh")
        let promtool = try #require(try? ProcessRunner.which("promtool"), "promtool is not installed: run Tools/install-test-deps.sh")
        for file in Self.ruleFiles {
            let check = try ProcessRunner.run(promtool, ["check", "rules", file])
            #expect(check.status == 0, "promtool check rules \(file):\n\(check.stdout)\(check.stderr)")
        }
        let dashboardQueries = try Self.dashboardExpressions(), ruleQueries = try Self.ruleExpressions()
        #expect(dashboardQueries.count >= 30 && ruleQueries.count >= 4)

        let fixture = try await DashboardFixture.make()
        defer { _ = fixture.server.stop() }
        let directory = fixture.server.directory
        try fixture.server.token("reader").write(toFile: directory.file("bearer.token"), atomically: true, encoding: .utf8)
        let config = """
            global: {scrape_interval: 1s, evaluation_interval: 1s}
            rule_files: [\(Self.ruleFiles.map { "'\($0)'" }.joined(separator: ", "))]
            scrape_configs:
              - job_name: approval-ledger
                metrics_path: /metrics
                authorization: {type: Bearer, credentials_file: '\(directory.file("bearer.token"))'}
                static_configs: [{targets: ['127.0.0.1:\(fixture.server.port)']}]
            """
        try config.write(toFile: directory.file("prometheus.yml"), atomically: true, encoding: .utf8)
        let configCheck = try ProcessRunner.run(promtool, ["check", "config", directory.file("prometheus.yml")])
        #expect(configCheck.status == 0, "promtool check config:\n\(configCheck.stdout)\(configCheck.stderr)")

        let port = try LoopbackPort.free()
        let process = try ChildProcess(
            prometheus,
            [
                "--config.file=\(directory.file("prometheus.yml"))", "--storage.tsdb.path=\(directory.file("tsdb"))",
                "--web.listen-address=127.0.0.1:\(port)", "--log.level=warn",
            ])
        let logs = LogBuffer()
        let stderr = process.stderr
        Thread.detachNewThread {
            while true {
                let chunk = ChildProcess.read(stderr)
                if chunk.isEmpty { return }
                logs.text.withLock { $0 += String(decoding: chunk, as: UTF8.self) }
            }
        }
        defer {
            process.kill(SIGTERM)
            _ = process.wait()
        }
        // A scrape that succeeded: `up` is 1 for the server's target.
        try await Self.waitFor("the first successful scrape", logs) {
            try Self.query(port, #"up{job="approval-ledger"} == 1"#).count == 1
        }
        // What the alerts watch for: a stray unauthenticated call, a burst of refused attempts
        // (after a scrape saw the counter before it), a sweeper that stopped keeping time.
        _ = try fixture.server.request("GET", "/v1/requests")
        try await fixture.refusedAttempts(8)
        try await fixture.stallTheSmokeRequest()
        try await Self.waitFor("the stalled request in Prometheus", logs) {
            try Self.query(port, "ledger_requests_stalled > 0").count == 1
        }
        try await Task.sleep(for: .seconds(3))

        var empty: [String] = []
        for (source, expression) in dashboardQueries + ruleQueries {
            var expanded = expression
            for (macro, value) in Self.macros { expanded = expanded.replacingOccurrences(of: macro, with: value) }
            let result = try Self.query(port, expanded)
            if result.isEmpty { empty.append("\(source): \(expression)") }
        }
        #expect(empty.isEmpty, "queries that returned no data:\n\(empty.joined(separator: "\n"))\nprometheus log:\n\(logs.text.withLock { $0 }.suffix(3000))")
        // The rules loaded and evaluate without error.
        let rules = try Self.get(port, "/api/v1/rules")
        let groups = ((rules["data"] as? [String: Any])?["groups"] as? [[String: Any]]) ?? []
        let loaded = groups.flatMap { ($0["rules"] as? [[String: Any]]) ?? [] }
        #expect(loaded.count == ruleQueries.count)
        for rule in loaded {
            #expect(rule["health"] as? String == "ok", "rule \(rule["name"] ?? "?"): \(rule["lastError"] ?? "")")
        }
    }

    /// The instant-query result of `expression` at now.
    static func query(_ port: Int, _ expression: String) throws -> [Any] {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let object = try get(port, "/api/v1/query?query=" + expression.addingPercentEncoding(withAllowedCharacters: allowed)!)
        guard object["status"] as? String == "success", let data = object["data"] as? [String: Any] else {
            throw HTTPConnection.HTTPFailure(message: "query \(expression): \(object)")
        }
        if data["resultType"] as? String == "scalar" { return [data["result"] as Any] }
        return data["result"] as? [Any] ?? []
    }

    static func get(_ port: Int, _ path: String) throws -> [String: Any] {
        let response = try HTTPConnection.request(port: port, "GET", path)
        guard let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else {
            throw HTTPConnection.HTTPFailure(message: "GET \(path): \(response.status) \(response.text.prefix(500))")
        }
        return object
    }

    static func waitFor(_ what: String, _ logs: LogBuffer, seconds: Double = 60, _ condition: () throws -> Bool) async throws {
        let giveUp = Date().addingTimeInterval(seconds)
        while Date() < giveUp {
            if (try? condition()) == true { return }
            try await Task.sleep(for: .milliseconds(500))
        }
        throw HTTPConnection.HTTPFailure(message: "gave up waiting for \(what); prometheus log:\n\(logs.text.withLock { $0 }.suffix(3000))")
    }

}
