import Foundation
import TestSupport
import Testing

/// `ledger metrics` and `ledger rebuild` through the built binary, on the demo ledger, whose
/// simulated clock makes every figure reproducible.
///
/// The demo's timeline (minutes after 09:00 on 2026-11-02): canary opened 5, approved 8;
/// migration 15, granted 21; firewall 32, denied 35; autoscale 40, granted 46; cache purge
/// 51, escalated 71, granted 74; search 79, expired 229; payments 234, self-approval refused
/// 237, granted 240; cart 245, granted 248, failed 250, rolled back 254, recovered 265;
/// low-risk change 270, granted at once; break-glass purge 300, reviewed 390.
@Suite("ledger metrics and ledger rebuild")
struct MetricsCommandTests {
    static let after = "2026-11-02T16:00:00.000Z"

    static func demo() throws -> (cli: LedgerCLI, ledger: String) {
        let cli = try LedgerCLI()
        try cli.expectSuccess(cli.run(["demo", "--dir", cli.path("demo"), "--format", "json"]))
        return (cli, cli.path("demo/demo.ledger"))
    }

    @Test("On the demo ledger: rebuild equals incremental, and the check agrees before and after")
    func rebuildEqualsIncrementalOnTheDemo() throws {
        let (cli, ledger) = try Self.demo()
        let before = try cli.run(["--ledger", ledger, "rebuild", "--check", "--format", "json"])
        #expect(before.status == 0)
        let check = try jsonObject(before.stdout)
        #expect(check["tablesMatch"] as? Bool == true)
        #expect(check["recorded"] is NSNull)

        let rebuild = try cli.run(["--ledger", ledger, "rebuild", "--format", "json"])
        #expect(rebuild.status == 0)
        let rebuilt = try jsonObject(rebuild.stdout)
        #expect(rebuilt["matchedIncremental"] as? Bool == true)
        #expect(rebuilt["requests"] as? Int == 10)
        let digest = (rebuilt["rebuilt"] as? [String: Any])?["digest"] as? String
        #expect(digest == (rebuilt["previous"] as? [String: Any])?["digest"] as? String)
        #expect(digest == (check["tables"] as? [String: Any])?["digest"] as? String)

        let after = try cli.run(["--ledger", ledger, "rebuild", "--check"])
        #expect(after.status == 0)
        #expect(after.stdout.hasPrefix("CONSISTENT"))
        #expect(after.stdout.contains("equals its replay"))
    }

    @Test("A tampered projection: the check exits 1, a rebuild repairs it and says so")
    func tamperedProjection() throws {
        let (cli, ledger) = try Self.demo()
        try SQL.execute(on: ledger, ["UPDATE requests SET status = 'granted' WHERE status = 'denied'"])
        let check = try cli.run(["--ledger", ledger, "rebuild", "--check"])
        #expect(check.status == 1)
        #expect(check.stdout.hasPrefix("INCONSISTENT"))
        #expect(check.stdout.contains("run `ledger rebuild`"))
        let rebuild = try cli.run(["--ledger", ledger, "rebuild"])
        #expect(rebuild.status == 0)
        #expect(rebuild.stdout.contains("DIFFERENT"))
        #expect(try cli.run(["--ledger", ledger, "rebuild", "--check"]).status == 0)
        let list = try cli.run(["--ledger", ledger, "request", "list", "--status", "denied", "--format", "json"])
        #expect(list.stdout.contains("firewall.open"))
    }

    @Test("JSON: every SLI of the demo, computed by hand from its timeline")
    func demoFiguresAsJSON() throws {
        let (cli, ledger) = try Self.demo()
        let result = try cli.run(["--ledger", ledger, "metrics", "--now", Self.after, "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let m = try jsonObject(result.stdout)
        func object(_ path: String...) -> [String: Any]? {
            path.reduce(m as [String: Any]?) { $0?[$1] as? [String: Any] }
        }
        // M1: people decided after 3, 6, 3, 6, 23, 6 and 3 minutes.
        let latency = object("approvalLatency", "all")
        #expect(latency?["count"] as? Int == 7)
        #expect(latency?["sumMs"] as? Int == 50 * 60_000)
        #expect(latency?["p50Ms"] as? Int == 6 * 60_000)
        #expect(latency?["p90Ms"] as? Int == 23 * 60_000)
        #expect(latency?["p99Ms"] as? Int == 23 * 60_000)
        let groups = (object("approvalLatency")?["byEnvironmentAndAction"] as? [[String: Any]])?.map { "\($0["action"]!) \($0["count"]!)" }
        #expect(groups == ["autoscale.raise 1", "cache.purge 1", "db.migrate 1", "deploy.promote 3", "firewall.open 1"])
        // M2: seven granted (one by policy), the firewall change denied.
        #expect(object("approvalRate")?["numerator"] as? Int == 7 && object("approvalRate")?["denominator"] as? Int == 8)
        // M3 and the queue: nothing pending at 16:00.
        #expect(object("stalled")?["count"] as? Int == 0)
        #expect(object("pendingQueue")?["depth"] as? Int == 0)
        // M4: the purge, escalated, of eight that waited (seven by people, the expired search).
        #expect(object("escalationRate")?["numerator"] as? Int == 1 && object("escalationRate")?["denominator"] as? Int == 8)
        // M5 and M7: canary, migration and cart executed under a grant; cart failed and was rolled back.
        #expect(object("failuresAfterApproval")?["numerator"] as? Int == 1 && object("failuresAfterApproval")?["denominator"] as? Int == 3)
        #expect(object("rollbacksAfterApproval")?["numerator"] as? Int == 1 && object("rollbacksAfterApproval")?["denominator"] as? Int == 3)
        // M6: the wrong digest, the second run, the self-approval.
        let reasons = (object("rejectedAttempts")?["byReason"] as? [[String: Any]])?.map { "\($0["kind"]!)/\($0["reason"]!)" }
        #expect(reasons == ["execution/digest-mismatch", "execution/grant-used", "vote/self-approval"])
        // M8: five in the 09:00 hour, then one, one, two, one.
        let hours = (object("traffic")?["perHour"] as? [[String: Any]])?.map { $0["count"] as? Int }
        #expect(hours == [5, 1, 1, 2, 1])
        #expect(object("traffic")?["opened"] as? Int == 10 && object("traffic")?["lastHour"] as? Int == 0)
        // M9: the cart failed at 13:10 and recovered at 13:25.
        #expect(object("timeToRecover", "recovered")?["p50Ms"] as? Int == 15 * 60_000)
        #expect(object("timeToRecover")?["unrecovered"] as? Int == 0)
        // M10: the break-glass purge has no context link.
        #expect(object("auditCompleteness")?["numerator"] as? Int == 9 && object("auditCompleteness")?["denominator"] as? Int == 10)
        #expect((object("auditCompleteness")?["incomplete"] as? [[String: Any]])?.first?["reason"] as? String == "missing:links")
        let approvers = (m["approvers"] as? [[String: Any]])?.map { "\($0["approver"]!) \($0["approvals"]!)/\($0["denials"]!)/\($0["rejectedAttempts"]!)" }
        #expect(approvers == ["bob 3/0/0", "alice 2/0/1", "carol 1/0/0", "dave 1/0/0", "frank 1/0/0", "grace 0/1/0"])

        let filtered = try jsonObject(try cli.run(["--ledger", ledger, "metrics", "--now", Self.after, "--env", "prod", "--action", "deploy.*", "--format", "json"]).stdout)
        #expect((filtered["traffic"] as? [String: Any])?["opened"] as? Int == 4)
        let window = try jsonObject(try cli.run(["--ledger", ledger, "metrics", "--now", Self.after, "--since", "2026-11-02T12:00:00.000Z", "--until", "1h", "--format", "json"]).stdout)
        // [12:00, 15:00): payments, cart, the low-risk change and the bypass opened; payments and cart decided.
        #expect((window["traffic"] as? [String: Any])?["opened"] as? Int == 4)
        #expect(((window["approvalLatency"] as? [String: Any])?["all"] as? [String: Any])?["count"] as? Int == 2)
    }

    @Test("Prometheus text: HELP and TYPE before each family, valid sample lines, cumulative buckets")
    func prometheusExposition() throws {
        let (cli, ledger) = try Self.demo()
        let result = try cli.run(["--ledger", ledger, "metrics", "--now", Self.after, "--format", "prometheus"])
        #expect(result.status == 0)
        let sample = try NSRegularExpression(pattern: #"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*",?)*\})? (-?[0-9.e+-]+|NaN|\+Inf|-Inf)$"#)
        var declared: [String: String] = [:]
        var helped = Set<String>()
        var buckets: [String: [Double]] = [:]
        var counts: [String: Double] = [:]
        for line in result.stdout.split(separator: "\n").map(String.init) {
            if line.hasPrefix("# HELP ") {
                helped.insert(String(line.dropFirst(7).prefix { $0 != " " }))
            } else if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                #expect(parts.count == 4 && ["counter", "gauge", "histogram", "summary"].contains(parts[3]), "\(line)")
                #expect(helped.contains(String(parts[2])), "TYPE before HELP: \(line)")
                declared[String(parts[2])] = String(parts[3])
            } else {
                let range = NSRange(line.startIndex..., in: line)
                let match = try #require(sample.firstMatch(in: line, range: range), "not a sample: \(line)")
                let name = String(line[Range(match.range(at: 1), in: line)!])
                let family = declared.keys.first { name == $0 || name == $0 + "_bucket" || name == $0 + "_sum" || name == $0 + "_count" }
                #expect(family != nil, "sample before its family: \(line)")
                let value = Double(line.split(separator: " ").last!) ?? .nan
                if name.hasSuffix("_bucket"), let le = line.range(of: "le=") {
                    buckets[String(line[..<le.lowerBound]), default: []].append(value)
                }
                if name == "ledger_time_to_recover_seconds_count" { counts[name] = value }
            }
        }
        #expect(declared["ledger_approval_latency_seconds"] == "histogram")
        #expect(declared["ledger_rejected_attempts_total"] == "counter")
        #expect(declared["ledger_approval_latency_quantiles_seconds"] == "summary")
        for (name, values) in buckets { #expect(values == values.sorted(), "\(name) buckets not cumulative") }
        #expect(buckets["ledger_time_to_recover_seconds_bucket{"]?.last == counts["ledger_time_to_recover_seconds_count"])
        #expect(result.stdout.contains("ledger_time_to_recover_seconds_bucket{le=\"900\"} 1\n"))
        #expect(result.stdout.contains("ledger_time_to_recover_seconds_bucket{le=\"300\"} 0\n"))
        #expect(result.stdout.contains("ledger_approval_latency_overall_seconds{quantile=\"0.5\"} 360\n"))
        #expect(result.stdout.contains("ledger_rejected_attempts_total{kind=\"vote\",reason=\"self-approval\"} 1\n"))
        #expect(result.stdout.contains("ledger_requests_stalled 0\n"))
    }

    @Test("The table names every SLI; a bad time or a missing ledger cannot run; a backwards window is a usage error")
    func tableAndErrors() throws {
        let (cli, ledger) = try Self.demo()
        let table = try cli.run(["--ledger", ledger, "metrics", "--now", Self.after])
        #expect(table.status == 0)
        for label in ["M1 ", "M2 ", "M3 ", "M4 ", "M5 ", "M6 ", "M7 ", "M8 ", "M9 ", "M10", "pending queue", "approver load"] {
            #expect(table.stdout.contains(label), "\(label)")
        }
        #expect(table.stdout.contains("87.5%"))
        let badTime = try cli.run(["--ledger", ledger, "metrics", "--since", "yesterday"])
        #expect(badTime.status == 2, "a bad time cannot run, as for verify and tick")
        #expect(badTime.stderr.contains("not 'yesterday'"))
        let backwards = try cli.run(["--ledger", ledger, "metrics", "--since", "2026-11-03", "--until", "2026-11-02"])
        #expect(backwards.status == 64)
        #expect(backwards.stderr.contains("must be before --until"))
        let badFormat = try cli.run(["--ledger", ledger, "metrics", "--format", "xml"])
        #expect(badFormat.status == 64)
        let missing = try cli.run(["--ledger", cli.path("nope.ledger"), "metrics"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("ledger init"))
        for command in [["metrics", "--help"], ["rebuild", "--help"]] {
            let help = try cli.run(command)
            #expect(help.status == 0 && help.stdout.contains("Examples"), "\(command)")
        }
    }
}
