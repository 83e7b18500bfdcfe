import ApprovalLedger

/// `/dashboards/oncall`: what needs someone now: the pending queue with the time left to
/// each deadline, stalled requests, recent escalations, and what awaits each group.
enum OnCallDashboard {
    static func page(_ snapshot: DashboardSnapshot) -> DashboardPage {
        let metrics = snapshot.metrics, figures = snapshot.figures
        var page = DashboardPage(
            path: "/dashboards/oncall", title: "On-call",
            lede: "Requests pending now, soonest deadline first. A stalled request is pending past its deadline: votes are refused and only the sweeper can resolve it, so it means the sweeper is not running.",
            now: snapshot.now)
        let stalled = figures.pending.filter(\.isStalled)
        let next = figures.pending.first { !$0.isStalled }
        let oldest = figures.oldestPending
        let hours = figures.recentMs / 3_600_000
        page.section(
            "Right now",
            DashboardPage.tiles([
                ("Pending", "\(figures.pending.count)", figures.pendingByEnvironment.count == 1 ? "in 1 environment" : "across \(figures.pendingByEnvironment.count) environments", figures.pending.isEmpty ? "ok" : "neutral"),
                ("Stalled", "\(stalled.count)", stalled.first.map { "worst \(DashboardPage.duration(-$0.timeLeftMs)) past deadline" } ?? "none past deadline", stalled.isEmpty ? "ok" : "fail"),
                ("Next deadline", next.map { DashboardPage.duration($0.timeLeftMs) } ?? "–", next.map { $0.requestID } ?? "nothing waiting", next.map { $0.timeLeftMs < 900_000 ? "warn" : "neutral" } ?? "ok"),
                ("Oldest pending", oldest.map { DashboardPage.duration(snapshot.now.millisecondsSinceEpoch - $0.openedMs) } ?? "–", oldest?.requestID ?? "queue empty", "neutral"),
                ("Escalated, last \(hours)h", "\(figures.escalatedRecently.count)", "first escalations", figures.escalatedRecently.isEmpty ? "ok" : "warn"),
                ("Rejected attempts", "\(metrics.rejectedAttemptsTotal)", "all time (see Debug)", "neutral"),
            ]))

        let rows = figures.pending.map { pending -> [String] in
            let row = snapshot.pendingRows[pending.requestID]
            let needs = snapshot.needs[pending.requestID]
            let waiting = needs?.groups.filter { $0.missing > 0 }.map { #"<span class="pill">\#(HTML.escape($0.name)) ×\#($0.missing)</span>"# }.joined() ?? "–"
            let tone = pending.isStalled ? "late" : pending.timeLeftMs < 900_000 ? "soon" : "fine"
            return [
                DashboardPage.code(pending.requestID), DashboardPage.code(pending.action), HTML.escape(pending.environment),
                HTML.escape(row?.resource ?? ""), HTML.escape(String((row?.summary ?? "").prefix(80))), HTML.escape(row?.requester ?? ""), waiting,
                DashboardPage.duration(snapshot.now.millisecondsSinceEpoch - pending.openedMs),
                #"<span class="\#(tone)">\#(pending.isStalled ? "stalled " : "")\#(DashboardPage.duration(pending.timeLeftMs))</span>"#,
            ]
        }
        page.section(
            "Pending requests",
            DashboardPage.table(["Request", "Action", "Env", "Resource", "Summary", "Requester", "Waiting for", "Age", "Time left"], rows, empty: "Nothing is waiting for approval."))

        let environments = figures.pendingByEnvironment
        page.section(
            "Where the queue is",
            DashboardPage.charts([
                DashboardPage.barFigure(
                    "Pending by environment",
                    title: "Pending requests by environment, stalled ones apart", labels: environments.map(\.name),
                    series: [
                        SVGChart.Series(name: "within deadline", color: "#2563eb", values: environments.map { env in figures.pending.filter { $0.environment == env.name && !$0.isStalled }.count }),
                        SVGChart.Series(name: "stalled", color: "#b91c1c", values: environments.map { env in stalled.filter { $0.environment == env.name }.count }),
                    ]),
                DashboardPage.barFigure(
                    "Approvals each group owes",
                    title: "Approvals still missing from each group across pending requests", labels: snapshot.queues.map(\.group),
                    series: [SVGChart.Series(name: "approvals missing", color: "#0d9488", values: snapshot.queues.map(\.missingApprovals))], horizontal: true),
            ]))

        let queueRows = snapshot.queues.map { queue in
            [
                HTML.escape(queue.group), "\(queue.requestIDs.count)", "\(queue.missingApprovals)",
                queue.soonestDeadline.map { DashboardPage.duration($0.millisecondsSinceEpoch - snapshot.now.millisecondsSinceEpoch) } ?? "–",
                queue.requestIDs.prefix(6).map(DashboardPage.code).joined(separator: " ") + (queue.requestIDs.count > 6 ? " …" : ""),
            ]
        }
        page.section(
            "What awaits each group",
            DashboardPage.table(["Group", "Requests", "Approvals missing", "Soonest deadline in", "Requests"], queueRows, empty: "No group owes an approval."))

        let escalatedRows = figures.escalatedRecently.map { request in
            [
                DashboardPage.code(request.requestID), DashboardPage.code(request.action), HTML.escape(request.environment),
                DashboardPage.time(milliseconds: request.escalatedMs), "\(request.escalations)", DashboardPage.status(request.outcome?.rawValue ?? "pending"),
            ]
        }
        page.section(
            "Escalations in the last \(hours) hours",
            DashboardPage.table(["Request", "Action", "Env", "First escalated", "Steps", "Status"], escalatedRows, empty: "No request was escalated in the last \(hours) hours."))
        return page
    }
}
