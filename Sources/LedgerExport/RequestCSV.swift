internal import LedgerDomain
internal import LedgerFormat

/// `ledger export --format csv`: one row per request in scope, RFC 4180 (comma-separated,
/// CRLF line ends, fields with a comma, quote, CR or LF in double quotes, quotes doubled),
/// UTF-8 without a byte-order mark, a header row first. The columns are documented in
/// docs/EXPORT.md; they never change order, and new ones are only ever added at the end.
public enum RequestCSV {
    /// The header row, in order.
    public static let columns = [
        "request_id", "opened_at", "action", "resource", "environment", "summary", "requester", "risk_score",
        "risk_level", "policy_version", "policy_rule", "approvers", "deniers", "decision", "decided_at",
        "latency_seconds", "automatic", "grant_id", "grant_expires_at", "execution_outcome", "executions",
        "rolled_back_at", "recovered_at", "rejected_attempts", "refused_executions", "withheld_events",
    ]

    /// The whole file for `period`.
    public static func text(_ period: PeriodRecord) -> String {
        var text = row(columns)
        for request in period.requests {
            text += row(fields(request))
        }
        return text
    }

    /// The fields of one request's row, in `columns` order; empty where the value is unknown
    /// or withheld.
    public static func fields(_ request: RequestRecord) -> [String] {
        let state = request.state
        let lastExecution = state?.executions.last
        return [
            request.id,
            request.openedAt.description,
            state?.action ?? "",
            state?.resource ?? "",
            state?.environment ?? "",
            state?.summary ?? "",
            request.requester,
            state.map { String($0.riskScore) } ?? "",
            state?.riskLevel ?? "",
            state.map { String($0.policyVersion) } ?? "",
            state?.ruleName ?? "",
            state?.approvers.joined(separator: ";") ?? "",
            state?.deniers.joined(separator: ";") ?? "",
            request.status.rawValue,
            request.decidedAt?.description ?? "",
            request.latencyMilliseconds.map(seconds) ?? "",
            state.map { $0.automatic ? "true" : "false" } ?? "",
            state?.grant?.id ?? "",
            state?.grant?.expiresAt.description ?? "",
            lastExecution.map { $0.succeeded ? "succeeded" : "failed" } ?? "",
            state.map { String($0.executions.count) } ?? "",
            state?.rolledBackAt?.description ?? "",
            state?.recoveredAt?.description ?? "",
            state.map { String($0.rejectedAttempts.count) } ?? "",
            state.map { String($0.refusedExecutions.count) } ?? "",
            String(request.withheldEvents),
        ]
    }

    /// One record: the fields quoted where RFC 4180 requires, then CRLF.
    public static func row(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }

    /// A field as written. A text that a spreadsheet would run as a formula (starting with
    /// `=`, `+`, `-`, `@`, tab or CR) gets a leading `'`, the usual defence against CSV
    /// injection: request text comes from whoever opened the request.
    public static func field(_ value: String) -> String {
        var value = value
        if let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) {
            value = "'" + value
        }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Milliseconds as seconds with up to three decimals: `180`, `0.25`.
    public static func seconds(_ milliseconds: Int64) -> String {
        let whole = milliseconds / 1000, fraction = abs(milliseconds % 1000)
        guard fraction != 0 else { return String(whole) }
        var digits = String(fraction)
        digits = String(repeating: "0", count: 3 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return (milliseconds < 0 && whole == 0 ? "-" : "") + "\(whole).\(digits)"
    }
}
