import LedgerDomain
import Testing

@Suite("Size limits on free text")
struct TextLimitsTests {
    static let long = String(repeating: "x", count: TextLimits.reasonBytes + 1)

    static func request(summary: String = "s", links: [String] = [], release: String? = nil, risk: [String: String] = [:]) -> OpenRequest {
        OpenRequest(requestID: "req-1", action: "deploy", resource: "svc", environment: "prod", summary: summary, links: links, release: release, riskInputs: risk)
    }

    @Test("Every free-text field beyond its limit is named, with the limit", arguments: [
        ApprovalCommand.open(request(summary: long)),
        .open(request(links: Array(repeating: "https://x", count: TextLimits.maxLinks + 1))),
        .open(request(links: ["https://x/" + long])),
        .open(request(release: String(repeating: "r", count: TextLimits.releaseBytes + 1))),
        .open(request(risk: ["blast_radius": long])),
        .open(request(risk: Dictionary(uniqueKeysWithValues: (0...TextLimits.maxRiskInputs).map { ("f\($0)", "1") }))),
        .bypass(request(), reason: long),
        .vote(VoteCommand(approve: true, reason: long, claimedIdentity: "bob")),
        .vote(VoteCommand(approve: false, reason: long, claimedIdentity: "bob")),
        .comment(long), .cancel(reason: long), .execute(succeeded: true, changeDigest: nil, detail: long), .rollback(reason: long),
        .recover(detail: long), .closeReview(accepted: true, reason: long),
    ])
    func oversized(command: ApprovalCommand) {
        let violation = TextLimits.violation(command)
        #expect(violation?.contains("the limit is") == true, "\(String(describing: violation))")
    }

    @Test("Text at its limit, counted in UTF-8 bytes, passes")
    func atTheLimit() {
        let twoByte = String(repeating: "é", count: TextLimits.reasonBytes / 2)
        #expect(TextLimits.violation(.vote(VoteCommand(approve: true, reason: twoByte, claimedIdentity: "bob"))) == nil)
        #expect(TextLimits.violation(.vote(VoteCommand(approve: true, reason: twoByte + "é", claimedIdentity: "bob"))) != nil)
        #expect(TextLimits.violation(.open(Self.request(links: Array(repeating: "https://x", count: TextLimits.maxLinks)))) == nil)
        #expect(TextLimits.violation(.tick) == nil)
    }
}
