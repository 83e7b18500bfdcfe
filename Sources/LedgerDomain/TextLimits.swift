/// Size limits on the text people and services write into requests, votes and reports.
///
/// Every event is read by a person sooner or later, and every one costs every verifier a hash:
/// a reason is a few sentences, not a file. The limits are in UTF-8 bytes, well above honest
/// use and far below the 256 KiB payload limit, so a command breaks one with a clear refusal
/// (`invalid-request`, nothing recorded) instead of an oversized event. `Approvals` applies them
/// before the rules; `Decider` does not, so replaying an older ledger never depends on them.
/// The same path refuses a request without context: a blank summary or a blank link is what
/// a reviewer cannot judge (and what audit completeness, M10, counts as missing).
public enum TextLimits {
    /// Reasons, execution details and comments.
    public static let reasonBytes = 4096
    /// A request's summary.
    public static let summaryBytes = 4096
    /// One context link, and how many a request may carry.
    public static let linkBytes = 2048
    public static let maxLinks = 32
    /// A release or correlation id.
    public static let releaseBytes = 256
    /// Risk inputs: how many, and the size of each value.
    public static let maxRiskInputs = 64
    public static let riskValueBytes = 256

    /// Why `command` breaks a limit, or nil when it does not.
    public static func violation(_ command: ApprovalCommand) -> String? {
        switch command {
        case .open(let request): return violation(request)
        case .bypass(let request, let reason): return violation(request) ?? text(reason, "reason", reasonBytes)
        case .vote(let vote): return text(vote.reason, "reason", reasonBytes)
        case .comment(let text): return self.text(text, "comment", reasonBytes)
        case .cancel(let reason), .rollback(let reason): return text(reason, "reason", reasonBytes)
        case .closeReview(_, let reason): return text(reason, "reason", reasonBytes)
        case .execute(_, _, let detail): return detail.flatMap { text($0, "detail", reasonBytes) }
        case .recover(let detail): return text(detail, "detail", reasonBytes)
        case .tick: return nil
        }
    }

    private static func violation(_ request: OpenRequest) -> String? {
        if request.summary.trimmingSpaces.isEmpty {
            return "the summary is empty: say in one line what the request does, for the reviewer who reads it first"
        }
        if let problem = text(request.summary, "summary", summaryBytes) { return problem }
        if request.links.count > maxLinks { return "the request has \(request.links.count) links; the limit is \(maxLinks)" }
        for (index, link) in request.links.enumerated() {
            if link.trimmingSpaces.isEmpty {
                return "link \(index + 1) is empty: give the URL of a diff, runbook or dashboard, or leave that --link out"
            }
            if let problem = text(link, "link", linkBytes) { return problem }
        }
        if let release = request.release, let problem = text(release, "release", releaseBytes) { return problem }
        if request.riskInputs.count > maxRiskInputs { return "the request has \(request.riskInputs.count) risk inputs; the limit is \(maxRiskInputs)" }
        for (name, value) in request.riskInputs {
            if let problem = text(name, "risk input name", riskValueBytes) ?? text(value, "risk input '\(name.prefix(40))'", riskValueBytes) {
                return problem
            }
        }
        return nil
    }

    private static func text(_ text: String, _ what: String, _ limit: Int) -> String? {
        let size = text.utf8.count
        return size > limit ? "the \(what) is \(size) bytes; the limit is \(limit). Link to a longer text instead." : nil
    }
}
