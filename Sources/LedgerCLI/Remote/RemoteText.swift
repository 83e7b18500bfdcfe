import ApprovalLedger

/// The text the local commands print, from the server's JSON instead of a `RequestState`:
/// the same lines as `RequestText` and the commands, field for field (a test compares them).
enum RemoteText {
    private static func string(_ object: JSONObject, _ key: String) -> String { object[key]?.stringValue ?? "" }

    /// As `RequestText.print`.
    static func printRequest(_ value: JSONValue) {
        guard let s = value.objectValue else { return }
        let p = { (text: String) in Identifier.printable(text, limit: 200) }
        let prose = { (text: String) in TerminalText.field(text, limit: 500) }
        let risk = s["risk"]?.objectValue ?? JSONObject(), policy = s["policy"]?.objectValue ?? JSONObject()
        Output.line("\(string(s, "requestId"))  \(string(s, "status").uppercased())")
        Output.line("  action      \(string(s, "action")) on \(p(string(s, "resource"))) (\(string(s, "environment")))")
        Output.line("  summary     \(prose(string(s, "summary")))")
        for link in s["links"]?.arrayValue ?? [] { Output.line("  link        \(p(link.stringValue ?? ""))") }
        if let digest = s["changeDigest"]?.stringValue { Output.line("  change      \(digest)") }
        if let release = s["release"]?.stringValue { Output.line("  release     \(p(release))") }
        Output.line("  requester   \(string(s, "requester"))")
        Output.line("  risk        \(prose(string(risk, "explanation")))")
        Output.line("  rule        \(string(policy, "rule")) (policy version \(policy["version"]?.integerValue ?? 0), \(string(policy, "hash").prefix(16))…)")
        Output.line("  opened      \(string(s, "openedAt")), deadline \(string(s, "deadline")), version \(s["version"]?.integerValue ?? 0)")
        for vote in (s["votes"]?.arrayValue ?? []).compactMap(\.objectValue) {
            let reason = string(vote, "reason")
            Output.line("  vote        \(string(vote, "voter")) \(string(vote, "decision"))\(reason.isEmpty ? "" : ": \(prose(reason))") (\(string(vote, "time")))")
        }
        let escalations = s["escalations"]?.integerValue ?? 0
        let added = (s["addedGroups"]?.arrayValue ?? []).compactMap(\.stringValue)
        if escalations > 0 {
            Output.line("  escalated   \(escalations) step\(escalations == 1 ? "" : "s")\(added.isEmpty ? "" : "; may also approve: \(added.joined(separator: ", "))")")
        }
        let rejected = (s["rejectedAttempts"]?.arrayValue ?? []).compactMap(\.stringValue)
        if !rejected.isEmpty { Output.line("  rejected    \(prose(rejected.joined(separator: ", ")))") }
        if let explanation = s["decision"]?.stringValue { Output.line("  decision    \(prose(explanation)) (\(s["decidedAt"]?.stringValue ?? ""))") }
        if let grant = s["grant"]?.objectValue {
            let digest = grant["changeDigest"]?.stringValue
            Output.line("  grant       \(string(grant, "id")) until \(string(grant, "expiresAt"))\(grant["oneShot"]?.boolValue == true ? ", one-shot" : "")\(digest.map { ", bound to \($0.prefix(16))…" } ?? "")")
        }
        for execution in (s["executions"]?.arrayValue ?? []).compactMap(\.objectValue) {
            Output.line("  executed    \(string(execution, "outcome") == "succeeded" ? "succeeded" : "FAILED") at \(string(execution, "time"))\(execution["detail"]?.stringValue.map { ": \(prose($0))" } ?? "")")
        }
        let refused = (s["refusedExecutions"]?.arrayValue ?? []).compactMap(\.stringValue)
        if !refused.isEmpty { Output.line("  refused     executions: \(prose(refused.joined(separator: ", ")))") }
        if let at = s["rolledBackAt"]?.stringValue { Output.line("  rolled back \(at)") }
        if let at = s["recoveredAt"]?.stringValue { Output.line("  recovered   \(at)") }
        if let review = s["review"]?.objectValue {
            let deadline = string(review, "deadline")
            let status = review["closedAt"]?.stringValue.map { "closed \($0): \(prose(review["outcome"]?.stringValue ?? ""))" }
                ?? (deadline < SystemClock.now().description ? "OVERDUE (due \(deadline))" : "open, due \(deadline)")
            Output.line("  review      \(status)")
        }
    }

    /// As `request list`'s table (the review flags from `reviewOverdue`, all the rows carry).
    static func printList(_ rows: [JSONValue]) {
        let now = SystemClock.now().description
        Output.line("ID              STATUS     ENV      ACTION             RESOURCE              RISK  REQUESTER   OPENED")
        for row in rows.compactMap(\.objectValue) {
            var flags: [String] = []
            if string(row, "status") == "pending", string(row, "deadline") < now { flags.append("past deadline: run `ledger tick`") }
            if row["reviewOverdue"]?.boolValue == true { flags.append("REVIEW OVERDUE") }
            let attempts = row["rejectedAttempts"]?.integerValue ?? 0
            if attempts > 0 { flags.append("\(attempts) rejected attempt\(attempts == 1 ? "" : "s")") }
            Output.line("\(string(row, "requestId").padded(15)) \(string(row, "status").padded(10)) \(string(row, "environment").padded(8)) \(string(row, "action").padded(18)) \(Identifier.printable(string(row, "resource"), limit: 21).padded(21)) \(String(row["riskScore"]?.integerValue ?? 0).padded(5)) \(string(row, "requester").padded(11)) \(string(row, "openedAt"))\(flags.isEmpty ? "" : "  [" + flags.joined(separator: "; ") + "]")")
        }
    }

    /// As `ApprovalNeeds.summary`.
    static func needsSummary(_ needs: JSONObject) -> String {
        let groups = (needs["groups"]?.arrayValue ?? []).compactMap(\.objectValue).map {
            "\(string($0, "group")) \($0["approvedBy"]?.arrayValue?.count ?? 0)/\($0["required"]?.integerValue ?? 0)"
        }
        let parts = groups + ["\(needs["approvals"]?.integerValue ?? 0) of \(needs["requiredTotal"]?.integerValue ?? 0) approvals in all"]
        let eligible = (needs["eligibleGroups"]?.arrayValue ?? []).compactMap(\.stringValue)
        return "rule \(string(needs, "rule")) needs " + parts.joined(separator: ", ") + (eligible.isEmpty ? "" : "; eligible: " + eligible.joined(separator: ", "))
    }

    /// The request's id, status and decision, as `request wait` prints a decided request.
    static func decided(_ value: JSONValue) -> String {
        let s = value.objectValue ?? JSONObject()
        return "\(string(s, "requestId")) \(string(s, "status")): \(TerminalText.field(s["decision"]?.stringValue ?? ""))"
    }
}
