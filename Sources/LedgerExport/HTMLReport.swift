public import LedgerDomain
public import LedgerFormat
public import LedgerVerify
internal import LedgerCrypto

/// `ledger export --format html`: one self-contained file for auditors. No network, no
/// external asset (a Content-Security-Policy forbids loading any), readable without script,
/// and printable: the verification result, the SLIs with inline SVG charts, every request in
/// scope expandable to its signed history, findings, and the keys and policy versions in force.
///
/// The report is derived data for reading; the proof is an evidence bundle
/// (`--format bundle`), which the report's footer points to.
public struct HTMLReport: Sendable {
    /// Read with `keepHistory`, so that it holds the histories and the metrics facts.
    public let period: PeriodRecord
    /// The SLIs of `ledger metrics` over the period: `ledger metrics --since S --until U
    /// --now U --verify` for a period [S, U), judged at `generatedAt` when U is later or
    /// open, with the chain as `verification` found it.
    public let metrics: ApprovalMetrics
    /// The charts' series over the period, from the same facts and query as `metrics`; nil
    /// when the period is a single instant.
    public let series: ReportSeries?
    /// The verification of the ledger the report was made from.
    public let verification: VerificationReport
    public let generatedAt: Timestamp
    /// The tool and its version, e.g. `ledger 0.1.0`.
    public let generator: String

    public init(period: PeriodRecord, verification: VerificationReport, generatedAt: Timestamp, generator: String) {
        let scope = period.plan.scope
        let now = min(scope.until ?? generatedAt, generatedAt)
        let query = MetricsQuery(now: now, since: scope.since, until: scope.until, chain: MetricsQuery.Chain(verification))
        self.period = period
        self.metrics = ApprovalMetrics(facts: period.metricsFacts, query: query)
        // From the period's start (or first event) to its end, or to its last event when open.
        let end = min(scope.until ?? period.lastTime.map { $0.adding(milliseconds: 1) } ?? now, now)
        self.series = ReportSeries(facts: period.metricsFacts, query: query, start: scope.since ?? period.firstTime ?? end, end: end)
        self.verification = verification
        self.generatedAt = generatedAt
        self.generator = generator
    }

    /// Findings listed in the report; the rest are counted.
    static let maxListedFindings = 200

    static let statusColors: [(RequestState.Status, String)] = [
        (.granted, "#15803d"), (.denied, "#b91c1c"), (.expired, "#d97706"), (.cancelled, "#6b7280"),
        (.bypassed, "#7c3aed"), (.pending, "#2563eb"),
    ]

    /// The whole file.
    public var text: String {
        var html = ""
        write { html += $0 }
        return html
    }

    /// Hands the file to `sink` piece by piece (a request at a time), so that a report of a
    /// long period is never held whole in memory.
    public func write(_ sink: (String) throws -> Void) rethrows {
        try sink(head() + header() + verificationSection() + figuresSection())
        try requestsSection(sink)
        try sink(findingsSection() + keysAndPoliciesSection() + footer())
    }

    // MARK: Sections

    private var periodText: String {
        switch (period.plan.scope.since, period.plan.scope.until) {
        case (let since?, let until?): "\(since) – \(until)"
        case (let since?, nil): "from \(since)"
        case (nil, let until?): "until \(until)"
        case (nil, nil): "whole ledger"
        }
    }

    private func head() -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
        <meta name="generator" content="\(HTML.escape(generator))">
        <title>Approval audit report · \(HTML.escape(period.plan.ledgerID)) · \(HTML.escape(periodText))</title>
        <style>\(Self.style)</style>
        </head>
        <body>

        """
    }

    private func header() -> String {
        let plan = period.plan
        var scope = "every request with an event in the period"
        if !plan.scope.requestIDs.isEmpty { scope = "requests " + plan.scope.requestIDs.sorted().joined(separator: ", ") }
        var redaction = ""
        if plan.scope.redaction.allPayloads {
            redaction = "<dt>Withheld</dt><dd>every payload except those of key and policy events</dd>"
        } else if !plan.scope.redaction.fields.isEmpty {
            redaction = "<dt>Withheld</dt><dd>payloads with a member named \(HTML.escape(plan.scope.redaction.fields.sorted().joined(separator: ", ")))</dd>"
        }
        return """
            <header>
            <h1>Approval audit report</h1>
            <dl class="meta">
            <dt>Ledger</dt><dd><code>\(HTML.escape(plan.ledgerID))</code></dd>
            <dt>Period</dt><dd>\(HTML.escape(periodText)) (UTC; start inclusive, end exclusive)</dd>
            <dt>Scope</dt><dd>\(HTML.escape(scope)): \(period.requests.count) requests; events 1 … \(plan.periodEnd), \(plan.eventsInPeriod) in the period</dd>
            \(redaction)<dt>Generated</dt><dd>\(generatedAt) by \(HTML.escape(generator))</dd>
            </dl>
            <p class="noprint"><button type="button" onclick="toggleAll(true)">Expand all histories</button> <button type="button" onclick="toggleAll(false)">Collapse all</button></p>
            </header>

            """
    }

    private func verificationSection() -> String {
        let report = verification
        let verified = report.isVerified()
        let errors = report.count(.error), warnings = report.count(.warning), notes = report.count(.info)
        return """
            <section id="verification" class="verdict \(verified ? "ok" : "fail")">
            <h2>\(verified ? "VERIFIED" : "NOT VERIFIED")</h2>
            <p>\(verified
                ? "Every event of the ledger is intact, in order and correctly signed by a key registered for its actor\(report.anchorsChecked > 0 ? ", and the ledger matches the \(report.anchorsChecked) checkpoint(s) given" : "")."
                : "Verification found \(errors) error(s): the record below cannot be trusted as it stands. See the findings.")</p>
            <dl class="meta">
            <dt>Events</dt><dd>\(report.events)\(report.firstTime.map { " (\($0) → \(report.lastTime.map(\.description) ?? "?"))" } ?? "")</dd>
            <dt>Head hash</dt><dd><code>\(report.headHash ?? "none")</code></dd>
            <dt>Signatures</dt><dd>\(report.signaturesChecked) checked, \(report.keysSeen) keys</dd>
            <dt>Anchors</dt><dd>\(report.anchorsChecked == 0 ? "none given: removal of events from the end cannot be ruled out" : "\(report.anchorsChecked) checkpoint(s) checked")</dd>
            <dt>Checks</dt><dd>\(report.checks.joined(separator: ", "))</dd>
            <dt>Findings</dt><dd>\(errors) errors, \(warnings) warnings, \(notes) notes\(report.findingsOmitted > 0 ? ", \(report.findingsOmitted) more not listed" : "")</dd>
            </dl>
            </section>

            """
    }

    private func figuresSection() -> String {
        let m = metrics
        var html = "<section id=\"slis\">\n<h2>Service levels</h2>\n"
        html += "<p class=\"lede\">The SLIs of <code>ledger metrics</code> (docs/METRICS.md) for the period, judged at \(Self.time(m.query.now)); "
        html += period.plan.scope.requestIDs.isEmpty
            ? "the same figures as <code>\(HTML.escape(metricsCommand))</code>.</p>\n"
            : "limited to the \(period.requests.count) requests named.</p>\n"
        html += "<div class=\"tiles\">"
        let json = m.jsonValue
        func tile(_ label: String, _ value: String, note: String = "", metric: String) -> String {
            let member = metric.split(separator: ".").reduce(Optional(json)) { $0?[String($1)] } ?? .null
            let attributes = " data-metric=\"\(metric)\" data-value=\"\(HTML.escape(String(decoding: CanonicalJSON.encode(member), as: UTF8.self)))\""
            return Self.tile(label, value, note: note, attributes: attributes)
        }
        let latency = m.approvalLatency
        html += tile("M1 latency p50", Self.duration(latency.p50Ms), note: "\(latency.count) decided by people", metric: "approvalLatency.all.p50Ms")
        html += tile("M1 latency p90", Self.duration(latency.p90Ms), metric: "approvalLatency.all.p90Ms")
        html += tile("M1 latency p99", Self.duration(latency.p99Ms), metric: "approvalLatency.all.p99Ms")
        let rate = m.approvalRate
        html += tile("M2 approval rate", Self.percent(rate), note: "\(rate.numerator) granted of \(rate.denominator) decided", metric: "approvalRate")
        html += tile("M3 stalled", String(m.stalled.count), note: "pending past the deadline", metric: "stalled.count")
        html += tile("pending queue", String(m.pendingDepth), note: m.oldestPendingAgeMs.map { "oldest \(Self.duration($0))" } ?? "", metric: "pendingQueue.depth")
        let escalation = m.escalationRate
        html += tile("M4 escalation rate", Self.percent(escalation), note: "\(escalation.numerator) of \(escalation.denominator) that waited for people", metric: "escalationRate")
        let failures = m.failuresAfterApproval
        html += tile("M5 failures after approval", Self.percent(failures), note: "\(failures.numerator) of \(failures.denominator) approved executions", metric: "failuresAfterApproval")
        let kinds = AttemptRecord.Kind.allCases.compactMap { kind -> String? in
            let count = m.rejectedAttempts.filter { $0.kind == kind.rawValue }.reduce(0) { $0 + $1.count }
            return count == 0 ? nil : "\(count) \(kind.rawValue)\(count == 1 ? "" : "s")"
        }
        html += tile("M6 rejected attempts", String(m.rejectedAttemptsTotal), note: (kinds.isEmpty ? ["none"] : kinds).joined(separator: ", ") + " refused and recorded", metric: "rejectedAttempts.total")
        let rollbacks = m.rollbacksAfterApproval
        html += tile("M7 rollbacks after approval", Self.percent(rollbacks), note: "\(rollbacks.numerator) of \(rollbacks.denominator) approved and executed", metric: "rollbacksAfterApproval")
        html += tile("M8 requests opened", String(m.requestsOpened), metric: "traffic.opened")
        let recovery = m.timeToRecover
        html += tile("M9 time to recover", Self.duration(recovery.meanMs.map { Int64($0.rounded()) }), note: "mean of \(recovery.count); \(m.unrecovered) unrecovered", metric: "timeToRecover.recovered.meanMs")
        let complete = m.auditCompleteness
        let chain = switch m.query.chain {
        case .notChecked: "chain not checked"
        case .valid: "chain verified"
        case .invalid(let from): "chain broken from seq \(from)"
        }
        html += tile("M10 audit completeness", Self.percent(complete), note: "\(complete.numerator) of \(complete.denominator) complete; \(chain)", metric: "auditCompleteness")
        html += "</div>\n"

        var byStatus: [RequestState.Status: Int] = [:]
        for request in period.requests { byStatus[request.status, default: 0] += 1 }
        let openReviews = period.requests.filter { $0.status == .bypassed && $0.state?.review?.closedAt == nil }.count
        let counts = Self.statusColors.map { status, _ in
            "<span class=\"status \(status.rawValue)\">\(status.rawValue)</span> \(byStatus[status] ?? 0)\(status == .bypassed && openReviews > 0 ? " (\(openReviews) review(s) open)" : "")"
        }
        html += "<p class=\"statuses\"><b>\(period.requests.count) requests in this report</b>, by status at the period's end: \(counts.joined(separator: " · "))</p>\n"
        html += "<div class=\"charts\">\n"

        html += "<figure><figcaption>M1 decision latency (\(latency.count) decided by people)</figcaption>"
        let cumulative = latency.buckets + [latency.count]
        html += SVGChart.bars(
            title: "Histogram of decision latency", labels: Self.latencyLabels,
            series: [SVGChart.Series(name: "decisions", color: "#2563eb", values: cumulative.indices.map { cumulative[$0] - ($0 == 0 ? 0 : cumulative[$0 - 1]) })])
        html += "</figure>\n"

        guard let series else {
            return html + "<figure><p class=\"empty\">No time span to draw.</p></figure>\n</div>\n</section>\n"
        }
        let unit = series.widthMs == ReportSeries.hourMs ? "hour" : series.widthMs == ReportSeries.dayMs ? "day" : "\(series.widthMs / ReportSeries.dayMs) days"
        let hourly = series.widthMs < ReportSeries.dayMs
        func label(_ ms: Int64) -> String {
            let text = Timestamp(millisecondsSinceEpoch: ms).description
            return hourly ? "\(text.dropFirst(5).prefix(5)) \(text.dropFirst(11).prefix(5))" : String(text.prefix(10))
        }
        html += "<figure><figcaption>M8 requests opened per \(unit), by status</figcaption>"
        html += SVGChart.bars(
            title: "Requests opened per \(unit) by status", labels: series.buckets.map { hourly ? label($0.startMs) : String(label($0.startMs).dropFirst(5)) },
            series: Self.statusColors.map { status, color in
                SVGChart.Series(name: status.rawValue, color: color, values: series.buckets.map { $0.opened[status] ?? 0 })
            })
        html += "<ul class=\"legend\">" + Self.statusColors.map { "<li><span style=\"background:\($1)\"></span>\($0.rawValue)</li>" }.joined() + "</ul>"
        html += "</figure>\n"

        html += "<figure><figcaption>Pending queue per \(unit)</figcaption>"
        let first = series.buckets[0].startMs, span = Double(series.endMs - first)
        html += SVGChart.steps(
            title: "Pending requests per \(unit): the most at once, and the mean",
            points: series.buckets.map { SVGChart.Step(x: Double($0.startMs - first) / span, line: $0.peakPending, area: $0.meanPending) },
            ticks: [0, 0.5, 1].map { (x: $0, label: label(first + Int64(span * $0))) })
        html += "<ul class=\"legend\"><li><span class=\"line\"></span>most pending at once</li><li><span class=\"area\"></span>mean pending</li></ul>"
        return html + "</figure>\n</div>\n</section>\n"
    }

    /// The `ledger metrics` command that gives the same figures.
    private var metricsCommand: String {
        var command = "ledger metrics"
        if let since = metrics.query.since { command += " --since \(since)" }
        if let until = metrics.query.until { command += " --until \(until)" }
        command += " --now \(metrics.query.now)"
        if metrics.query.chain != .notChecked { command += " --verify" }
        return command
    }

    /// The bars of M1's histogram: `DurationSummary.bucketBounds`, then the open bucket.
    static let latencyLabels = ["≤ 1m", "1–5m", "5–15m", "15–30m", "30m–1h", "1–2h", "2–4h", "4–8h", "8–24h", "> 1d"]

    private static func tile(_ label: String, _ value: String, note: String = "", attributes: String = "") -> String {
        "<div class=\"tile\"\(attributes)><div class=\"value\">\(HTML.escape(value))</div><div class=\"label\">\(HTML.escape(label))</div>\(note.isEmpty ? "" : "<div class=\"note\">\(HTML.escape(note))</div>")</div>"
    }

    private func requestsSection(_ sink: (String) throws -> Void) rethrows {
        try sink("""
            <section id="requests">
            <h2>Requests (\(period.requests.count))</h2>
            <table class="requests">
            <thead><tr><th>Request</th><th>Opened</th><th>Action</th><th>Resource</th><th>Env</th><th>Requester</th><th>Risk</th><th>Rule</th><th>Approvers</th><th>Decision</th><th>Latency</th><th>Execution</th></tr></thead>

            """)
        for request in period.requests {
            var html = ""
            let state = request.state
            let execution = state?.executions.last.map { $0.succeeded ? "succeeded" : "failed" } ?? ""
            let rolledBack = state?.rolledBackAt != nil ? ", rolled back" : ""
            html += "<tbody class=\"request\">"
            html += "<tr><td><code>\(HTML.escape(request.id))</code></td><td>\(Self.time(request.openedAt))</td>"
            html += "<td>\(HTML.escape(state?.action ?? "—"))</td><td>\(HTML.escape(state?.resource ?? "—"))</td><td>\(HTML.escape(state?.environment ?? "—"))</td>"
            html += "<td>\(HTML.escape(request.requester))</td><td>\(state.map { "\($0.riskScore) \(HTML.escape($0.riskLevel))" } ?? "—")</td>"
            html += "<td>\(HTML.escape(state.map { "\($0.ruleName) (v\($0.policyVersion))" } ?? "—"))</td><td>\(HTML.escape(state?.approvers.joined(separator: ", ") ?? "—"))</td>"
            html += "<td><span class=\"status \(request.status.rawValue)\">\(request.status.rawValue)</span>\(state?.automatic == true ? " <small>auto</small>" : "")</td>"
            html += "<td>\(request.latencyMilliseconds.map(Self.duration) ?? "")</td><td>\(execution)\(rolledBack)</td></tr>\n"
            html += "<tr class=\"history\"><td colspan=\"12\"><details><summary>"
            html += "\(HTML.escape(state?.summary ?? "")) — signed history, \(request.history.count) events"
            if request.withheldEvents > 0 { html += " (\(request.withheldEvents) payloads withheld)" }
            if let explanation = state?.decisionExplanation { html += "<br><small>\(HTML.escape(explanation))</small>" }
            html += "</summary>\n" + history(request.history) + "</details></td></tr></tbody>\n"
            try sink(html)
        }
        try sink("</table>\n</section>\n")
    }

    private func history(_ events: [ExportedEvent]) -> String {
        var html = "<ol class=\"events\">"
        for exported in events {
            let event = exported.event, envelope = event.envelope
            html += "<li><div class=\"event-head\"><b>#\(envelope.seq)</b> \(Self.time(envelope.time)) <b>\(HTML.escape(envelope.type))</b> by \(HTML.escape(envelope.actor))</div>"
            html += "<dl class=\"proof\"><dt>key</dt><dd>\(HTML.escape(envelope.keyID.rawValue))</dd>"
            html += "<dt>hash</dt><dd>\(event.hash.hex)</dd><dt>prev</dt><dd>\(envelope.previousHash.hex)</dd>"
            html += "<dt>payload hash</dt><dd>\(envelope.payloadHash.hex)</dd><dt>signature</dt><dd>\(Hex.encode(event.signature))</dd></dl>"
            switch exported.disclosure {
            case .disclosed:
                let payload = (try? event.payload()).flatMap { $0 }.map(JSONPretty.text) ?? ""
                html += "<pre>\(HTML.escape(payload))</pre>"
            case .withheld: html += "<p class=\"withheld\">Payload withheld from this export; its SHA-256 is signed above.</p>"
            case .absent: html += "<p class=\"withheld\">Payload erased from the ledger; its SHA-256 is signed above.</p>"
            }
            html += "</li>"
        }
        return html + "</ol>"
    }

    private func findingsSection() -> String {
        var html = "<section id=\"findings\">\n<h2>Findings</h2>\n<h3>Verification</h3>\n"
        let listed = verification.findings.filter { $0.severity != .info }
        let notes = verification.findings.count - listed.count
        if listed.isEmpty {
            html += "<p>No errors or warnings.\(notes > 0 ? " \(notes) note(s): payloads absent from the ledger (redacted), which does not fail verification." : "")</p>\n"
        } else {
            html += "<table><thead><tr><th>Severity</th><th>Code</th><th>Seq</th><th>Finding</th></tr></thead><tbody>"
            for finding in listed.prefix(Self.maxListedFindings) {
                html += "<tr class=\"\(finding.severity.rawValue)\"><td>\(finding.severity.rawValue)</td><td><code>\(finding.code.rawValue)</code></td><td>\(finding.seq.map(String.init) ?? "ledger")</td><td>\(HTML.escape(finding.message))</td></tr>"
            }
            html += "</tbody></table>"
            let more = listed.count - min(listed.count, Self.maxListedFindings) + verification.findingsOmitted
            if more > 0 { html += "<p>… and \(more) more; run <code>ledger verify</code> for all.</p>" }
            html += "\n"
        }
        html += "<h3>Approval signals in scope</h3>\n"
        var signals: [String] = []
        for request in period.requests {
            let id = "<code>\(HTML.escape(request.id))</code>"
            guard let state = request.state else { continue }
            for code in state.rejectedAttempts { signals.append("\(id): a vote was refused by the rules (<code>\(HTML.escape(code))</code>) and recorded") }
            for code in state.refusedExecutions { signals.append("\(id): an execution was refused (<code>\(HTML.escape(code))</code>) and recorded") }
            if request.status == .granted, state.executions.last?.succeeded == false { signals.append("\(id): executed after approval and failed") }
            if let rolledBack = state.rolledBackAt { signals.append("\(id): rolled back at \(rolledBack)\(state.recoveredAt.map { ", recovered at \($0)" } ?? ", not recovered")") }
            if request.status == .bypassed {
                let review = state.review
                signals.append("\(id): break-glass bypass by \(HTML.escape(request.requester)); review \(review?.closedAt.map { "closed at \($0) (\(HTML.escape(review?.outcome ?? "")))" } ?? "still open, due \(review.map { "\($0.deadline)" } ?? "?")")")
            }
            if request.status == .expired { signals.append("\(id): expired undecided at \(request.decidedAt.map { "\($0)" } ?? "?")") }
        }
        html += signals.isEmpty ? "<p>None.</p>\n" : "<ul class=\"signals\">" + signals.map { "<li>\($0)</li>" }.joined() + "</ul>\n"
        return html + "</section>\n"
    }

    private func keysAndPoliciesSection() -> String {
        let plan = period.plan
        var html = "<section id=\"keys\">\n<h2>Keys and policy versions</h2>\n<h3>Keys</h3>\n"
        html += "<table><thead><tr><th>Key id</th><th>Identity</th><th>Capabilities</th><th>Registered</th><th>Revoked</th><th>In force in period</th></tr></thead><tbody>"
        for key in period.keys {
            html += "<tr><td><code>\(HTML.escape(key.registration.keyID.rawValue))</code></td><td>\(HTML.escape(key.registration.identity))</td>"
            html += "<td>\(HTML.escape(key.registration.capabilities.map(\.rawValue).joined(separator: ", ")))</td>"
            html += "<td>seq \(key.registeredSeq), \(Self.time(key.registeredAt))</td>"
            html += "<td>\(key.revokedSeq.map { "seq \($0), \(key.revokedAt.map(Self.time) ?? "") — \(HTML.escape(key.revocationReason ?? ""))" } ?? "")</td>"
            html += "<td>\(key.inForce(during: plan) ? "yes" : "no")</td></tr>"
        }
        html += "</tbody></table>\n<h3>Policy versions in force</h3>\n"
        let inForce = period.policiesInForce
        if inForce.isEmpty { return html + "<p>No policy published before the period's end.</p>\n</section>\n" }
        html += "<table><thead><tr><th>Version</th><th>Name</th><th>Hash</th><th>Published</th><th>Rules</th></tr></thead><tbody>"
        for policy in inForce {
            html += "<tr><td>\(policy.version)</td><td>\(HTML.escape(policy.name))</td><td><code>\(HTML.escape(String(policy.hash.prefix(16))))…</code></td>"
            html += "<td>\(Self.time(policy.publishedAt)) by \(HTML.escape(policy.publishedBy))</td><td>\(HTML.escape(policy.rules.joined(separator: ", ")))</td></tr>"
            if let content = policy.content {
                html += "<tr class=\"history\"><td colspan=\"5\"><details><summary>Policy v\(policy.version) as published</summary><pre>\(HTML.escape(JSONPretty.text(content)))</pre></details></td></tr>"
            }
        }
        return html + "</tbody></table>\n</section>\n"
    }

    private func footer() -> String {
        """
        <footer>
        <p>This report is derived from the ledger for reading. To prove the record authentic without trusting whoever
        produced it, verify an evidence bundle of the same period: <code>ledger export --format bundle</code>, then
        <code>ledger verify --bundle</code> or the independent <code>Tools/verify_bundle.py</code>.</p>
        </footer>
        <script>
        function toggleAll(open) { document.querySelectorAll('details').forEach(function (d) { d.open = open; }); }
        window.addEventListener('beforeprint', function () { toggleAll(true); });
        </script>
        </body>
        </html>

        """
    }

    // MARK: Formatting

    static func time(_ time: Timestamp) -> String {
        let text = time.description
        return "<time datetime=\"\(text)\">\(text.prefix(10)) \(text.dropFirst(11).prefix(8))</time>"
    }

    /// `87.5%`; `–` when nothing was counted.
    static func percent(_ ratio: ApprovalMetrics.Ratio) -> String {
        ratio.value.map { String(format: $0 * 100) + "%" } ?? "–"
    }

    static func duration(_ milliseconds: Int64?) -> String {
        milliseconds.map(duration) ?? "–"
    }

    /// `45s`, `3m`, `1h 20m`, `2d 4h`.
    static func duration(_ milliseconds: Int64) -> String {
        let seconds = max(0, milliseconds) / 1000
        if seconds < 60 { return "\(seconds)s" }
        let minutes = seconds / 60
        if minutes < 60 { return seconds % 60 == 0 || minutes >= 10 ? "\(minutes)m" : "\(minutes)m \(seconds % 60)s" }
        let hours = minutes / 60
        if hours < 24 { return minutes % 60 == 0 ? "\(hours)h" : "\(hours)h \(minutes % 60)m" }
        return hours % 24 == 0 ? "\(hours / 24)d" : "\(hours / 24)d \(hours % 24)h"
    }

    static let style = """
        :root { color-scheme: light; --ink: #111827; --muted: #6b7280; --line: #e5e7eb; --ok: #15803d; --fail: #b91c1c; }
        * { box-sizing: border-box; }
        body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); margin: 0 auto; max-width: 1180px; padding: 24px; }
        h1 { font-size: 24px; margin: 0 0 8px; } h2 { font-size: 18px; margin: 28px 0 10px; border-bottom: 1px solid var(--line); padding-bottom: 4px; } h3 { font-size: 15px; margin: 18px 0 6px; }
        code, .proof dd, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
        dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 8px 0; } dl.meta dt { color: var(--muted); } dl.meta dd { margin: 0; overflow-wrap: anywhere; }
        .verdict { border: 2px solid; border-radius: 8px; padding: 4px 18px 10px; margin-top: 16px; }
        .verdict.ok { border-color: var(--ok); background: #f0fdf4; } .verdict.fail { border-color: var(--fail); background: #fef2f2; }
        .verdict h2 { border: 0; margin: 10px 0 4px; font-size: 22px; } .verdict.ok h2 { color: var(--ok); } .verdict.fail h2 { color: var(--fail); }
        .tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(130px, 1fr)); gap: 8px; }
        .lede { color: var(--muted); margin: 0 0 8px; } .statuses { margin: 10px 0 0; }
        .tile { border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; } .tile .value { font-size: 20px; font-weight: 600; } .tile .label { color: var(--muted); } .tile .note { color: var(--muted); font-size: 11px; }
        .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(340px, 1fr)); gap: 12px; margin-top: 12px; }
        figure { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 8px; break-inside: avoid; } figcaption { font-weight: 600; margin-bottom: 4px; }
        svg { width: 100%; height: auto; display: block; } svg .tick { font-size: 13px; fill: var(--muted); } svg .grid { stroke: var(--line); } svg .axis { stroke: #9ca3af; }
        svg .area { fill: #2563eb; fill-opacity: 0.15; } svg .line { fill: none; stroke: #2563eb; stroke-width: 1.5; }
        .legend { list-style: none; padding: 0; margin: 4px 0 0; display: flex; flex-wrap: wrap; gap: 4px 12px; font-size: 12px; } .legend span { display: inline-block; width: 10px; height: 10px; margin-right: 4px; border-radius: 2px; }
        .legend span.line { height: 2px; vertical-align: middle; background: #2563eb; } .legend span.area { background: #2563eb; opacity: 0.15; }
        table { border-collapse: collapse; width: 100%; font-size: 13px; } th, td { text-align: left; padding: 4px 6px; border-bottom: 1px solid var(--line); vertical-align: top; } th { background: #f9fafb; }
        table.requests tbody.request { break-inside: avoid; } table.requests td:first-child code { white-space: nowrap; } tr.history td { border-bottom: 2px solid var(--line); padding-top: 0; }
        details summary { cursor: pointer; color: var(--muted); } details[open] summary { margin-bottom: 6px; }
        .status { font-weight: 600; } .status.granted { color: #15803d; } .status.denied { color: #b91c1c; } .status.expired { color: #d97706; } .status.cancelled { color: #6b7280; } .status.bypassed { color: #7c3aed; } .status.pending { color: #2563eb; }
        ol.events { margin: 0; padding-left: 18px; } ol.events li { margin-bottom: 10px; break-inside: avoid; }
        .proof { display: grid; grid-template-columns: max-content 1fr; gap: 0 10px; margin: 2px 0; } .proof dt { color: var(--muted); font-size: 12px; } .proof dd { margin: 0; overflow-wrap: anywhere; color: #374151; }
        pre { background: #f9fafb; border: 1px solid var(--line); border-radius: 4px; padding: 6px 8px; white-space: pre-wrap; overflow-wrap: anywhere; margin: 4px 0; }
        .withheld { color: var(--muted); font-style: italic; margin: 4px 0; } tr.error td { color: var(--fail); } .signals li { margin-bottom: 2px; } .empty { color: var(--muted); }
        footer { margin-top: 32px; color: var(--muted); border-top: 1px solid var(--line); padding-top: 8px; }
        button { font: inherit; padding: 2px 10px; }
        @page { size: A4; margin: 12mm; }
        @media print { body { padding: 0; max-width: none; font-size: 11px; } .noprint { display: none; } h2 { break-after: avoid; } .charts { grid-template-columns: 1fr 1fr; } }
        """
}
