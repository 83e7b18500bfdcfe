import ApprovalLedger

/// The table form of `ledger metrics`. Identities, actions and reasons go through
/// `TerminalText.field`, so no control character reaches the terminal.
enum MetricsText {
    /// At most this many hours, days and stalled requests are listed (all are in the JSON).
    static let listLimit = 24

    static func print(_ metrics: ApprovalMetrics) {
        let q = metrics.query
        var scope = [q.since.map { "since \($0)" } ?? "from the first event", q.until.map { "until \($0)" } ?? "up to now"]
        if let environment = q.environment { scope.append("env \(p(environment))") }
        if let action = q.action { scope.append("action \(p(action))") }
        Output.line("Approval SLIs as of \(q.now) (\(scope.joined(separator: ", ")))")

        Output.line("M1  approval latency, decided by people")
        Output.line("      " + "ENVIRONMENT".padded(13) + "ACTION".padded(24) + "COUNT".leftPadded(6) + "MEAN".leftPadded(10)
            + "P50".leftPadded(10) + "P90".leftPadded(10) + "P99".leftPadded(10))
        let rows = [("(all)", "", metrics.approvalLatency)] + metrics.approvalLatencyByGroup.map { (p($0.environment), p($0.action), $0.latency) }
            + metrics.approvalLatencyByChannel.map { ("via " + p($0.channel), "", $0.latency) }
        for (environment, action, summary) in rows {
            Output.line("      " + environment.padded(13) + action.padded(24) + String(summary.count).leftPadded(6)
                + mean(summary).leftPadded(10) + duration(summary.p50Ms).leftPadded(10) + duration(summary.p90Ms).leftPadded(10)
                + duration(summary.p99Ms).leftPadded(10))
        }

        let deciders = metrics.decisionsByDecider.map { "\($0.decidedBy.rawValue) \($0.granted)/\($0.denied)" }.joined(separator: ", ")
        line("M2  approval rate", percent(metrics.approvalRate),
             "\(metrics.approvalRate.numerator) granted of \(metrics.approvalRate.denominator) decided" + (deciders.isEmpty ? "" : "; granted/denied by \(deciders)"))
        let stalled = metrics.stalled.prefix(listLimit).map { "\($0.requestID) \(duration($0.overdueMs)) past its deadline" }
        line("M3  stalled requests", String(metrics.stalled.count),
             stalled.isEmpty ? "none pending past its deadline" : stalled.joined(separator: ", ") + more(metrics.stalled.count))
        line("    pending queue", String(metrics.pendingDepth), metrics.oldestPendingAgeMs.map { "oldest \(duration($0))" } ?? "empty")
        line("M4  escalation rate", percent(metrics.escalationRate), "\(metrics.escalationRate.numerator) of \(metrics.escalationRate.denominator) resolved after waiting for people")
        line("M5  failures after approval", percent(metrics.failuresAfterApproval),
             "\(metrics.failuresAfterApproval.numerator) of \(metrics.failuresAfterApproval.denominator) approved executions failed")
        line("M6  rejected attempts", String(metrics.rejectedAttemptsTotal),
             metrics.rejectedAttempts.map { "\($0.kind ?? "") \(p($0.reason)) \($0.count)" }.joined(separator: ", "))
        line("M7  rollbacks after approval", percent(metrics.rollbacksAfterApproval),
             "\(metrics.rollbacksAfterApproval.numerator) of \(metrics.rollbacksAfterApproval.denominator) approved requests executed were rolled back")
        line("M8  requests opened", String(metrics.requestsOpened), "last hour \(metrics.requestsLastHour), last day \(metrics.requestsLastDay)")
        if !metrics.requestsPerDay.isEmpty {
            Output.line("      per day   " + buckets(metrics.requestsPerDay, characters: 10))
            Output.line("      per hour  " + buckets(metrics.requestsPerHour, characters: 13))
        }
        let recovered = metrics.timeToRecover
        line("M9  time to recover", recovered.count == 0 ? "n/a" : mean(recovered),
             "\(recovered.count) recovered (mean; p50 \(duration(recovered.p50Ms)), p90 \(duration(recovered.p90Ms)), p99 \(duration(recovered.p99Ms))); "
                + "\(metrics.unrecovered) unrecovered" + (metrics.oldestUnrecoveredAgeMs.map { ", oldest \(duration($0))" } ?? ""))
        let chain = q.chain == .notChecked ? "chain not checked (add --verify)" : "chain checked"
        line("M10 audit completeness", percent(metrics.auditCompleteness),
             "\(metrics.auditCompleteness.numerator) of \(metrics.auditCompleteness.denominator) requests complete; \(chain)")
        if !metrics.incompleteReasons.isEmpty {
            Output.line("      incomplete: " + metrics.incompleteReasons.map { "\($0.reason) \($0.count)" }.joined(separator: ", "))
        }
        Output.line("approver load")
        if metrics.approvers.isEmpty { Output.line("      no votes") } else {
            Output.line("      " + "APPROVER".padded(24) + "APPROVE".leftPadded(8) + "DENY".leftPadded(8) + "REJECTED".leftPadded(10))
            for load in metrics.approvers {
                Output.line("      " + p(load.approver).padded(24) + String(load.approvals).leftPadded(8) + String(load.denials).leftPadded(8)
                    + String(load.rejectedAttempts).leftPadded(10))
            }
        }
    }

    private static func line(_ label: String, _ value: String, _ detail: String) {
        Output.line(label.padded(30) + value.leftPadded(7) + (detail.isEmpty ? "" : "  " + detail))
    }

    private static func p(_ text: String) -> String { TerminalText.field(text, limit: 60) }

    private static func more(_ count: Int) -> String { count > listLimit ? " … and \(count - listLimit) more (--format json)" : "" }

    static func percent(_ ratio: ApprovalMetrics.Ratio) -> String {
        ratio.value.map { String(format: "%.1f%%", $0 * 100) } ?? "n/a"
    }

    static func mean(_ summary: DurationSummary) -> String {
        summary.meanMs.map { duration(Int64($0.rounded())) } ?? "-"
    }

    /// `850ms`, `42s`, `1h30m`, `2d3h`.
    static func duration(_ milliseconds: Int64?) -> String {
        guard let milliseconds else { return "-" }
        return milliseconds < 1000 ? "\(milliseconds)ms" : DurationText.format(milliseconds)
    }

    /// The latest buckets, oldest first, e.g. `2026-11-02T09 4, 2026-11-02T10 3`.
    private static func buckets(_ buckets: [ApprovalMetrics.TrafficBucket], characters: Int) -> String {
        let shown = buckets.suffix(listLimit).map { "\(Timestamp(millisecondsSinceEpoch: $0.startMs).description.prefix(characters)) \($0.count)" }
        return (buckets.count > listLimit ? "… " : "") + shown.joined(separator: ", ")
    }
}
