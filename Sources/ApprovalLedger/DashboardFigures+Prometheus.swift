extension DashboardFigures {
    /// The families the dashboards and the alert rules (Tools/prometheus/) need beyond the
    /// SLIs: the pending queue by environment and by group, break-glass reviews, escalation
    /// steps and votes by channel. Every label set is bounded: environments and groups come
    /// from the policy, channels are the part of `via` before its `:`. docs/METRICS.md lists
    /// them.
    public func prometheusText(queues: [GroupQueue], voteChannels: [String: Int]) -> String {
        var out = PrometheusExposition()
        var stalledByEnvironment: [String: Int] = [:]
        for request in pending where request.isStalled { stalledByEnvironment[request.environment, default: 0] += 1 }

        out.family("ledger_requests_pending_by_environment", .gauge, help: "Requests pending at the evaluation time, by environment.")
        for count in pendingByEnvironment {
            out.sample("ledger_requests_pending_by_environment", [("environment", count.name)], Double(count.count))
        }
        out.family("ledger_requests_stalled_by_environment", .gauge, help: "M3 by environment: pending past their deadline (0 for an environment with pending requests and none stalled).")
        for count in pendingByEnvironment {
            out.sample("ledger_requests_stalled_by_environment", [("environment", count.name)], Double(stalledByEnvironment[count.name] ?? 0))
        }
        if let next = pending.first {
            out.single("ledger_requests_pending_next_deadline_seconds", .gauge, help: "Time left to the soonest deadline of a pending request (negative once past it); absent when none is pending.", Double(next.timeLeftMs) / 1000)
        }
        out.family("ledger_requests_pending_by_group", .gauge, help: "Pending requests that still need approvals from each policy group.")
        for queue in queues {
            out.sample("ledger_requests_pending_by_group", [("group", queue.group)], Double(queue.requestIDs.count))
        }
        out.family("ledger_group_approvals_missing", .gauge, help: "Approvals each policy group still owes across pending requests.")
        for queue in queues {
            out.sample("ledger_group_approvals_missing", [("group", queue.group)], Double(queue.missingApprovals))
        }
        out.single("ledger_escalations_total", .counter, help: "Escalation steps recorded (request.escalated events).", Double(escalations))
        out.single("ledger_break_glass_bypasses_total", .counter, help: "Break-glass bypasses (request.bypassed).", Double(breakGlass.bypasses))
        out.single("ledger_break_glass_reviews_open", .gauge, help: "Break-glass bypasses whose review is not closed at the evaluation time.", Double(breakGlass.openReviews))
        out.single("ledger_break_glass_reviews_overdue", .gauge, help: "Of those, reviews past their review deadline.", Double(breakGlass.overdueReviews))
        out.single("ledger_break_glass_review_max_overdue_seconds", .gauge, help: "How far past its review deadline the most overdue open review is (0 when none).", Double(breakGlass.maxOverdueMs ?? 0) / 1000)
        out.family("ledger_votes_total", .counter, help: "Votes cast (vote.cast), by channel: own-key, signed-command, or the relay channel of origin.via (token, slack, ...).")
        for (channel, count) in voteChannels.sorted(by: { $0.key < $1.key }) {
            out.sample("ledger_votes_total", [("via", channel)], Double(count))
        }
        return out.text
    }
}
