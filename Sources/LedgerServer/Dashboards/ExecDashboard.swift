import ApprovalLedger

/// `/dashboards/exec`: how the approval process performs, for whoever owns it: approval
/// rate, latency by environment week by week, what went wrong after approval, break-glass.
enum ExecDashboard {
    static func page(_ snapshot: DashboardSnapshot) -> DashboardPage {
        let metrics = snapshot.metrics, figures = snapshot.figures
        var page = DashboardPage(
            path: "/dashboards/exec", title: "Executive overview",
            lede: "Whole ledger up to now. Latency counts decisions made by people (automatic ones are in the approval rate); weeks are UTC, Monday to Monday.",
            now: snapshot.now)
        let decided = metrics.approvalRate.denominator
        let breakGlass = figures.breakGlass
        page.section(
            "Key figures",
            DashboardPage.tiles([
                ("Approval rate", DashboardPage.percent(metrics.approvalRate), "\(metrics.approvalRate.numerator) granted of \(decided) decided", "ok"),
                ("Latency p50", DashboardPage.duration(metrics.approvalLatency.p50Ms), "\(metrics.approvalLatency.count) decisions by people", "neutral"),
                ("Latency p90", DashboardPage.duration(metrics.approvalLatency.p90Ms), "p99 \(DashboardPage.duration(metrics.approvalLatency.p99Ms))", "neutral"),
                ("Failures after approval", DashboardPage.percent(metrics.failuresAfterApproval),
                 "\(metrics.failuresAfterApproval.numerator) of \(metrics.failuresAfterApproval.denominator) executions", metrics.failuresAfterApproval.numerator > 0 ? "warn" : "ok"),
                ("Rollbacks after approval", "\(metrics.rollbacksAfterApproval.numerator)",
                 "of \(metrics.rollbacksAfterApproval.denominator) executed (\(DashboardPage.percent(metrics.rollbacksAfterApproval)))", metrics.rollbacksAfterApproval.numerator > 0 ? "warn" : "ok"),
                ("Break-glass bypasses", "\(breakGlass.bypasses)", "acted without approval", breakGlass.bypasses > 0 ? "warn" : "ok"),
                ("Open reviews", "\(breakGlass.openReviews)", breakGlass.overdueReviews > 0 ? "\(breakGlass.overdueReviews) overdue" : "none overdue",
                 breakGlass.overdueReviews > 0 ? "fail" : breakGlass.openReviews > 0 ? "warn" : "ok"),
                ("Audit completeness", DashboardPage.percent(metrics.auditCompleteness),
                 "\(metrics.auditCompleteness.numerator) of \(metrics.auditCompleteness.denominator) records complete", metrics.auditCompleteness.value.map { $0 < 1 } ?? false ? "fail" : "ok"),
            ]))

        let labels = figures.weekStartsMs.map { String(DashboardPage.time(milliseconds: $0).prefix(10).dropFirst(5)) }
        let environments = Array(Set(figures.weeklyLatency.map(\.environment))).sorted()
        var lines: [SVGChart.Line] = []
        var legend: [(String, String, Bool)] = []
        for (index, environment) in environments.enumerated() {
            let color = DashboardPage.palette[index % DashboardPage.palette.count]
            let weeks = Dictionary(figures.weeklyLatency.filter { $0.environment == environment }.map { ($0.weekStartMs, $0.latency) }, uniquingKeysWith: { a, _ in a })
            func minutes(_ pick: (DurationSummary) -> Int64?) -> [Double?] {
                figures.weekStartsMs.map { start in weeks[start].flatMap(pick).map { Double($0) / 60_000 } }
            }
            lines.append(SVGChart.Line(name: "\(environment) p50", color: color, values: minutes(\.p50Ms)))
            lines.append(SVGChart.Line(name: "\(environment) p90", color: color, values: minutes(\.p90Ms), dashed: true))
            legend += [("\(environment) p50", color, false), ("\(environment) p90", color, true)]
        }
        let outcomes = figures.weeklyOutcomes
        page.section(
            "Week by week",
            DashboardPage.charts([
                DashboardPage.figure(
                    "Approval latency by environment (minutes)",
                    SVGChart.lines(title: "Approval latency p50 and p90 by environment and week, minutes", labels: labels, lines: lines, unit: "min"), legend: legend),
                DashboardPage.barFigure(
                    "Decisions per week",
                    title: "Requests granted and denied per week", labels: labels,
                    series: [
                        SVGChart.Series(name: "granted", color: "#15803d", values: outcomes.map(\.granted)),
                        SVGChart.Series(name: "denied", color: "#b91c1c", values: outcomes.map(\.denied)),
                    ]),
                DashboardPage.barFigure(
                    "Failures and rollbacks after approval",
                    title: "Failed approved executions and rollbacks per week", labels: labels,
                    series: [
                        SVGChart.Series(name: "failed executions", color: "#d97706", values: outcomes.map(\.failures)),
                        SVGChart.Series(name: "rollbacks", color: "#7c3aed", values: outcomes.map(\.rollbacks)),
                    ]),
            ]))

        let rows = metrics.approvalLatencyByGroup.map { group in
            [
                HTML.escape(group.environment), DashboardPage.code(group.action), "\(group.latency.count)", DashboardPage.duration(group.latency.p50Ms),
                DashboardPage.duration(group.latency.p90Ms), DashboardPage.duration(group.latency.p99Ms),
            ]
        }
        page.section(
            "Latency by environment and action (all time)",
            DashboardPage.table(["Environment", "Action", "Decisions", "p50", "p90", "p99"], rows, empty: "No request has been decided by people yet."))
        return page
    }
}
