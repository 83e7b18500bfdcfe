import ApprovalLedger
import Testing

/// The Slack gateway's side table: where each request's message is and the watcher's cursor,
/// kept across reopening the file (a restarted server neither reposts nor forgets).
@Suite("slack_messages and slack_cursor")
struct SlackMessagesTableTests {
    @Test("A saved message and cursor read back, replace in place, and survive reopening the file; the events are untouched")
    func roundTrip() async throws {
        let fixture = try await LedgerFixture.make()
        let ledger = fixture.ledger
        #expect(try await ledger.slackCursor() == nil)
        #expect(try await ledger.slackMessage(for: "req-1") == nil)
        let size = try await ledger.head().size
        try await ledger.saveSlackMessage(SlackMessageRecord(requestID: "req-1", channel: "C1", ts: "1700000000.000001", renderedVersion: 1))
        var record = try #require(try await ledger.slackMessage(for: "req-1"))
        #expect(record == SlackMessageRecord(requestID: "req-1", channel: "C1", ts: "1700000000.000001", renderedVersion: 1, reviewReminded: false))
        record.renderedVersion = 4
        record.reviewReminded = true
        try await ledger.saveSlackMessage(record)
        try await ledger.setSlackCursor(17)
        try await ledger.setSlackCursor(23)
        let reopened = try await Ledger.open(at: fixture.path)
        #expect(try await reopened.slackMessages() == [record])
        #expect(try await reopened.slackCursor() == 23)
        #expect(try await reopened.head().size == size, "the side table is outside the log")
    }
}
