import ApprovalLedger

/// `/dashboards/debug`: the security signals and the plumbing: refused attempts by reason and
/// identity, approver load, votes by channel (relayed versus own key), and the latest events
/// against the latest full verification.
enum DebugDashboard {
    /// Events listed, newest first.
    static let recentEvents = 25

    static func page(_ snapshot: DashboardSnapshot, events: [RecordedEvent], verified: VerificationCache.Verified) -> DashboardPage {
        let metrics = snapshot.metrics, figures = snapshot.figures
        var page = DashboardPage(
            path: "/dashboards/debug", title: "Debug",
            lede: "Refused attempts are votes and executions the ledger refused and recorded (vote.rejected, execution.refused). The verification is a full `ledger verify` pass over the whole ledger, rerun when the ledger has grown since the last one.",
            now: snapshot.now)
        let report = verified.report
        let ownKey = snapshot.voteChannels.filter { VoteChannel.isOwnKey($0.key) }.values.reduce(0, +)
        let allVotes = snapshot.voteChannels.values.reduce(0, +)
        let errors = report.findings.filter { $0.severity == .error }
        page.section(
            "Signals",
            DashboardPage.tiles([
                ("Rejected attempts", "\(metrics.rejectedAttemptsTotal)", "\(metrics.rejectedAttempts.count) distinct reasons", metrics.rejectedAttemptsTotal > 0 ? "warn" : "ok"),
                ("Identities refused", "\(figures.refusalsByIdentity.count)", figures.refusalsByIdentity.first.map { "most: \($0.identity) (\($0.total))" } ?? "none", "neutral"),
                ("Votes with own key", allVotes == 0 ? "–" : DashboardPage.percent(ApprovalMetrics.Ratio(ownKey, of: allVotes)), "\(ownKey) of \(allVotes) votes", "neutral"),
                ("Relayed votes", "\(allVotes - ownKey)", "token or chat, vouched for by the server key", "neutral"),
                ("Latest verification", report.isVerified() ? "VERIFIED" : "NOT VERIFIED",
                 "\(report.events) events, \(report.signaturesChecked) signatures, \(report.findings.count) findings", report.isVerified() ? "ok" : "fail"),
            ]))

        let reasons = metrics.rejectedAttempts
        let reasonLabels = reasons.map { "\($0.kind ?? "")/\($0.reason)" }
        let loads = metrics.approvers
        let channels = snapshot.voteChannels.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
        page.section(
            "Who is refused, who votes, through what",
            DashboardPage.charts([
                DashboardPage.figure(
                    "Rejected attempts by reason",
                    SVGChart.horizontalBars(
                        title: "Refused votes and executions by kind and reason", labels: reasonLabels,
                        series: [SVGChart.Series(name: "attempts", color: "#b91c1c", values: reasons.map(\.count))]),
                    legend: [("attempts (kind/reason)", "#b91c1c", false)]),
                DashboardPage.figure(
                    "Per-approver load",
                    SVGChart.horizontalBars(
                        title: "Votes and refused vote attempts by approver", labels: loads.map(\.approver),
                        series: [
                            SVGChart.Series(name: "approvals", color: "#15803d", values: loads.map(\.approvals)),
                            SVGChart.Series(name: "denials", color: "#d97706", values: loads.map(\.denials)),
                            SVGChart.Series(name: "refused", color: "#b91c1c", values: loads.map(\.rejectedAttempts)),
                        ]),
                    legend: [("approvals", "#15803d", false), ("denials", "#d97706", false), ("refused attempts", "#b91c1c", false)]),
                DashboardPage.barFigure(
                    "Votes by channel",
                    title: "Votes cast by channel: own key, signed command, or relay", labels: channels.map(\.key),
                    series: [SVGChart.Series(name: "votes", color: "#2563eb", values: channels.map(\.value))]),
            ]))

        let identityRows = figures.refusalsByIdentity.map { identity in
            [
                HTML.escape(identity.identity), "\(identity.total)",
                identity.reasons.map { #"<span class="pill">\#(HTML.escape($0.name)) ×\#($0.count)</span>"# }.joined(),
            ]
        }
        page.section(
            "Rejected attempts by identity",
            DashboardPage.table(["Identity (key that signed)", "Attempts", "Reasons"], identityRows, empty: "No attempt has been refused."))

        let findingsBySeq = Dictionary(grouping: report.findings.filter { $0.seq != nil }, by: { $0.seq! })
        let firstError = errors.compactMap(\.seq).min()
        let eventRows = events.reversed().map { event -> [String] in
            let envelope = event.envelope
            let channel = VoteChannel.of(envelope.origin)
            let status: String
            if let findings = findingsBySeq[envelope.seq] {
                let worst = findings.contains { $0.severity == .error } ? "error" : "warning"
                status = DashboardPage.status(worst) + " " + findings.map { DashboardPage.code($0.code.rawValue) }.joined(separator: " ")
            } else if envelope.seq > verified.size {
                status = DashboardPage.status("unchecked") + " appended since"
            } else if let firstError, envelope.seq >= firstError {
                status = DashboardPage.status("error") + " after an error"
            } else {
                status = DashboardPage.status("verified")
            }
            return [
                "\(envelope.seq)", DashboardPage.time(envelope.time), DashboardPage.code(envelope.type), DashboardPage.code(String(envelope.stream.prefix(28))),
                HTML.escape(envelope.actor), HTML.escape(channel), status,
            ]
        }
        page.section(
            "Recent events",
            "<p class=\"lede\">Latest full verification at \(DashboardPage.time(verified.at)) UTC over events 1 … \(verified.size): "
                + (report.isVerified() ? "hash chain, signatures, key timeline, decisions and projections all check." : "\(errors.count) errors; the first at seq \(firstError.map(String.init) ?? "–").")
                + " An event is <em>verified</em> when that pass covered it and found no error at or before it; <em>warning</em> or <em>error</em> names the findings at its seq (a warning, such as a request past its deadline, does not fail verification); <em>unchecked</em> when appended since.</p>"
                + DashboardPage.table(["Seq", "Time (UTC)", "Type", "Stream", "Actor", "Channel", "Verify"], eventRows, empty: "The ledger has no events."))
        return page
    }
}
