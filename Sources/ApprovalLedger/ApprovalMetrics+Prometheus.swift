extension ApprovalMetrics {
    /// The SLIs in the Prometheus text exposition format, durations in seconds. Counts are
    /// over the query's window: scrape without `since`/`until` for counters that only grow.
    /// docs/METRICS.md maps each family to its SLI.
    public var prometheusText: String {
        var out = PrometheusExposition()
        let seconds = { (milliseconds: Int64?) in milliseconds.map { Double($0) / 1000 } ?? 0 }
        func ratio(_ name: String, _ help: String, _ value: Ratio) {
            out.family(name, .gauge, help: help + " NaN when the denominator is zero.")
            out.sample(name, [], value.value ?? .nan)
        }

        out.family("ledger_approval_latency_seconds", .histogram, help: "M1: time from request.opened to a decision by people, by environment and action.")
        for group in approvalLatencyByGroup {
            out.histogram("ledger_approval_latency_seconds", [("environment", group.environment), ("action", group.action)], group.latency)
        }
        out.family("ledger_approval_latency_quantiles_seconds", .summary, help: "M1: p50, p90 and p99 (nearest rank) of approval latency, by environment and action.")
        for group in approvalLatencyByGroup {
            out.summary("ledger_approval_latency_quantiles_seconds", [("environment", group.environment), ("action", group.action)], group.latency)
        }
        out.family("ledger_approval_latency_overall_seconds", .summary, help: "M1: p50, p90 and p99 (nearest rank) of approval latency over all selected requests.")
        out.summary("ledger_approval_latency_overall_seconds", [], approvalLatency)
        out.family(
            "ledger_approval_latency_by_channel_seconds", .summary,
            help: "M1: p50, p90 and p99 (nearest rank) of approval latency, by the channel of the deciding vote (own-key, signed-command, token, slack).")
        for group in approvalLatencyByChannel {
            out.summary("ledger_approval_latency_by_channel_seconds", [("channel", group.channel)], group.latency)
        }

        out.family("ledger_decisions_total", .counter, help: "M2: requests granted or denied, by who decided.")
        for count in decisionsByDecider {
            out.sample("ledger_decisions_total", [("decided_by", count.decidedBy.rawValue), ("outcome", "granted")], Double(count.granted))
            out.sample("ledger_decisions_total", [("decided_by", count.decidedBy.rawValue), ("outcome", "denied")], Double(count.denied))
        }
        ratio("ledger_approval_rate", "M2: granted over granted plus denied.", approvalRate)

        out.single("ledger_requests_stalled", .gauge, help: "M3: requests pending past their deadline at the evaluation time.", Double(stalled.count))
        out.single("ledger_requests_stalled_max_overdue_seconds", .gauge, help: "M3: how far past its deadline the most overdue stalled request is (0 when none).", seconds(stalled.first?.overdueMs))
        out.single("ledger_requests_pending", .gauge, help: "Pending-queue depth: requests pending at the evaluation time.", Double(pendingDepth))
        out.single("ledger_requests_pending_oldest_age_seconds", .gauge, help: "Age of the oldest pending request (0 when none).", seconds(oldestPendingAgeMs))

        out.single("ledger_requests_waited_total", .counter, help: "M4 denominator: requests resolved after waiting for people (decided by votes, timeout or the requester).", Double(escalationRate.denominator))
        out.single("ledger_requests_escalated_total", .counter, help: "M4 numerator: of those, requests escalated at least once.", Double(escalationRate.numerator))
        ratio("ledger_escalation_rate", "M4: escalated over resolved after waiting.", escalationRate)

        out.family("ledger_approved_executions_total", .counter, help: "M5: executions reported under a grant, by outcome.")
        out.sample("ledger_approved_executions_total", [("outcome", "succeeded")], Double(failuresAfterApproval.denominator - failuresAfterApproval.numerator))
        out.sample("ledger_approved_executions_total", [("outcome", "failed")], Double(failuresAfterApproval.numerator))
        ratio("ledger_failure_after_approval_rate", "M5: failed over approved executions.", failuresAfterApproval)

        out.family("ledger_rejected_attempts_total", .counter, help: "M6: refused votes and executions recorded in the ledger, by kind and reason.")
        for count in rejectedAttempts {
            out.sample("ledger_rejected_attempts_total", [("kind", count.kind ?? ""), ("reason", count.reason)], Double(count.count))
        }

        out.single("ledger_approved_requests_executed_total", .counter, help: "M7 denominator: approved requests first executed in the window.", Double(rollbacksAfterApproval.denominator))
        out.single("ledger_rollbacks_after_approval_total", .counter, help: "M7 numerator: of those, requests rolled back.", Double(rollbacksAfterApproval.numerator))
        ratio("ledger_rollback_after_approval_rate", "M7: rolled back over approved requests executed.", rollbacksAfterApproval)

        out.single("ledger_requests_opened_total", .counter, help: "M8: requests opened in the window.", Double(requestsOpened))
        out.single("ledger_requests_opened_last_hour", .gauge, help: "M8: requests opened in the hour up to the evaluation time.", Double(requestsLastHour))
        out.single("ledger_requests_opened_last_day", .gauge, help: "M8: requests opened in the 24 hours up to the evaluation time.", Double(requestsLastDay))

        out.family("ledger_time_to_recover_seconds", .histogram, help: "M9: time from the first failure or rollback after approval to execution.recovered.")
        out.histogram("ledger_time_to_recover_seconds", [], timeToRecover)
        out.single("ledger_failures_unrecovered", .gauge, help: "M9: approved requests failed or rolled back and not recovered at the evaluation time.", Double(unrecovered))
        out.single("ledger_failures_unrecovered_oldest_age_seconds", .gauge, help: "M9: age of the oldest unrecovered failure (0 when none).", seconds(oldestUnrecoveredAgeMs))

        out.single("ledger_audit_requests", .gauge, help: "M10 denominator: requests opened in the window.", Double(auditCompleteness.denominator))
        out.single("ledger_audit_requests_complete", .gauge, help: "M10 numerator: of those, requests whose record is complete.", Double(auditCompleteness.numerator))
        ratio("ledger_audit_completeness_ratio", "M10: complete over requests opened.", auditCompleteness)
        out.family("ledger_audit_requests_incomplete", .gauge, help: "M10: incomplete requests by reason (a request may have several).")
        for reason in incompleteReasons {
            out.sample("ledger_audit_requests_incomplete", [("reason", reason.reason)], Double(reason.count))
        }
        out.single("ledger_audit_chain_checked", .gauge, help: "1 when M10 includes a verification of the hash chain (--verify), else 0.", query.chain == .notChecked ? 0 : 1)

        out.family("ledger_approver_votes_total", .counter, help: "Approver load: votes cast, by approver and decision.")
        for load in approvers {
            out.sample("ledger_approver_votes_total", [("approver", load.approver), ("decision", "approve")], Double(load.approvals))
            out.sample("ledger_approver_votes_total", [("approver", load.approver), ("decision", "deny")], Double(load.denials))
        }
        out.family("ledger_approver_rejected_attempts_total", .counter, help: "Approver load: refused vote attempts, by the identity that signed them.")
        for load in approvers where load.rejectedAttempts > 0 {
            out.sample("ledger_approver_rejected_attempts_total", [("approver", load.approver)], Double(load.rejectedAttempts))
        }
        return out.text
    }
}
