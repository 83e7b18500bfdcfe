public import LedgerFormat

/// What `ledger verify` established: a summary of the ledger and every finding, in seq order.
public struct VerificationReport: Sendable {
    public var ledgerID: String?
    public var events: Int64 = 0
    /// The first seq checked: 1, or one past a `--since-checkpoint` checkpoint.
    public var firstSeq: Int64 = 1
    public var requests: Int64 = 0
    public var policyVersions = 0
    /// Events of approval requests re-derived from the policy.
    public var eventsReplayed: Int64 = 0
    /// Requests of a bundle whose replay stopped at a withheld payload.
    public var requestsWithheld: Int64 = 0
    public var headHash: String?
    public var firstTime: Timestamp?
    public var lastTime: Timestamp?
    public var keysSeen = 0
    public var signaturesChecked: Int64 = 0
    public var anchorsChecked = 0
    /// The checks this run performed, by name.
    public var checks: [String] = []
    public var findings: [Finding] = []
    /// Findings beyond `Verifier.maxFindings` are counted here but not kept.
    /// Errors and warnings beyond the listing limit: counted, not listed; they fail.
    public var findingsOmitted = 0
    /// Notes beyond the listing limit (e.g. one per redacted payload); they never fail.
    public var notesOmitted = 0

    /// True when nothing failed: no error findings, and no warnings under `strict`.
    public func isVerified(strict: Bool = false) -> Bool {
        !findings.contains { $0.severity == .error || (strict && $0.severity == .warning) } && findingsOmitted == 0
    }

    public func count(_ severity: Finding.Severity) -> Int { findings.filter { $0.severity == severity }.count }

    public func jsonValue(strict: Bool) -> JSONValue {
        var summary = JSONObject()
        summary["ledgerId"] = ledgerID.map(JSONValue.string) ?? .null
        summary["events"] = .integer(events)
        summary["firstSeq"] = .integer(firstSeq)
        summary["requests"] = .integer(requests)
        summary["policyVersions"] = .integer(Int64(policyVersions))
        summary["eventsReplayed"] = .integer(eventsReplayed)
        summary["requestsWithheld"] = .integer(requestsWithheld)
        summary["headHash"] = headHash.map(JSONValue.string) ?? .null
        summary["firstTime"] = firstTime.map { .string($0.description) } ?? .null
        summary["lastTime"] = lastTime.map { .string($0.description) } ?? .null
        summary["keysSeen"] = .integer(Int64(keysSeen))
        summary["signaturesChecked"] = .integer(signaturesChecked)
        summary["anchorsChecked"] = .integer(Int64(anchorsChecked))
        summary["errors"] = .integer(Int64(count(.error)))
        summary["warnings"] = .integer(Int64(count(.warning)))
        summary["infos"] = .integer(Int64(count(.info)))
        summary["findingsOmitted"] = .integer(Int64(findingsOmitted))
        summary["notesOmitted"] = .integer(Int64(notesOmitted))
        var object = JSONObject()
        object["verified"] = .bool(isVerified(strict: strict))
        object["strict"] = .bool(strict)
        object["summary"] = .object(summary)
        object["checks"] = .array(checks.map(JSONValue.string))
        object["findings"] = .array(findings.map(\.jsonValue))
        return .object(object)
    }
}
