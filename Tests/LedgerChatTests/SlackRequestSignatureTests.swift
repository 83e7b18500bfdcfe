import ApprovalLedger
import Foundation
import LedgerChat
import TestSupport
import Testing

/// Slack's v0 request signature, against slack_sdk's own `SignatureVerifier.generate_signature`.
@Suite("SlackRequestSignature: Slack's v0 scheme")
struct SlackRequestSignatureTests {
    let signature = SlackRequestSignature(signingSecret: Array("8f742231b10e8888abcd99yyyzzz85a5".utf8))
    let body = Array("token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&command=%2Fapprovals&text=show+req-42".utf8)

    @Test("The signature equals the one slack_sdk computes, and verifies")
    func agreesWithSlackSDK() throws {
        let directory = try TemporaryDirectory()
        try "8f742231b10e8888abcd99yyyzzz85a5\n".write(toFile: directory.file("secret"), atomically: true, encoding: .utf8)
        let python = try ProcessRunner.run(
            "python3", [TestPaths.packageRoot.appendingPathComponent("Tests/Chat/slack_sign.py").path, directory.file("secret"), "1531420618"],
            input: Data(body))
        #expect(python.status == 0, "\(python.stderr)")
        let expected = python.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(signature.signature(timestamp: "1531420618", body: body) == expected)
        #expect(throws: Never.self) { try signature.verify(timestamp: "1531420618", signature: expected, body: body, now: 1_531_420_618) }
    }

    @Test("A changed body, another secret, a stale or future timestamp and missing headers are refused")
    func refusals() {
        let good = signature.signature(timestamp: "1000000", body: body)
        #expect(throws: SlackRequestSignature.Failure.mismatch) {
            try signature.verify(timestamp: "1000000", signature: good, body: body + [0x41], now: 1_000_000)
        }
        #expect(throws: SlackRequestSignature.Failure.mismatch) {
            try SlackRequestSignature(signingSecret: Array("other".utf8)).verify(timestamp: "1000000", signature: good, body: body, now: 1_000_000)
        }
        #expect(throws: SlackRequestSignature.Failure.stale(timestamp: 1_000_000, now: 1_000_301)) {
            try signature.verify(timestamp: "1000000", signature: good, body: body, now: 1_000_301)
        }
        #expect(throws: SlackRequestSignature.Failure.stale(timestamp: 1_000_000, now: 999_699)) {
            try signature.verify(timestamp: "1000000", signature: good, body: body, now: 999_699)
        }
        #expect(throws: Never.self) { try signature.verify(timestamp: "1000000", signature: good, body: body, now: 1_000_300) }
        #expect(throws: SlackRequestSignature.Failure.missing("X-Slack-Signature")) {
            try signature.verify(timestamp: "1000000", signature: nil, body: body, now: 1_000_000)
        }
        #expect(throws: SlackRequestSignature.Failure.malformed("X-Slack-Signature")) {
            try signature.verify(timestamp: "1000000", signature: "v1=" + good.dropFirst(3), body: body, now: 1_000_000)
        }
        #expect(throws: SlackRequestSignature.Failure.malformed("X-Slack-Request-Timestamp")) {
            try signature.verify(timestamp: "1e6", signature: good, body: body, now: 1_000_000)
        }
    }
}
