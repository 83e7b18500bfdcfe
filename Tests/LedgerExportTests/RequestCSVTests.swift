import ApprovalLedger
import Foundation
import Testing

@Suite("CSV of requests")
struct RequestCSVTests {
    @Test("RFC 4180 quoting, and formulas defused")
    func fields() {
        #expect(RequestCSV.field("plain") == "plain")
        #expect(RequestCSV.field("a,b") == "\"a,b\"")
        #expect(RequestCSV.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(RequestCSV.field("two\nlines") == "\"two\nlines\"")
        #expect(RequestCSV.field("cr\r\nlf") == "\"cr\r\nlf\"")
        #expect(RequestCSV.field("=1+2") == "'=1+2")
        #expect(RequestCSV.field("@SUM(A1)") == "'@SUM(A1)")
        #expect(RequestCSV.field("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(RequestCSV.row(["a", "b,c"]) == "a,\"b,c\"\r\n")
    }

    @Test func seconds() {
        #expect(RequestCSV.seconds(180_000) == "180")
        #expect(RequestCSV.seconds(250) == "0.25")
        #expect(RequestCSV.seconds(61_005) == "61.005")
    }

    @Test("One row per request in scope, outcomes from the envelopes, details from disclosed payloads")
    func rowsOfTheFixture() async throws {
        let fixture = try await ExportFixture.make()
        let plan = try ExportPlan.make(ledger: fixture.ledger, scope: ExportScope())
        let period = try PeriodRecord.read(ledger: fixture.ledger, plan: plan, keepHistory: false)
        let rows = period.requests.map(RequestCSV.fields)
        let column = { (name: String, row: [String]) in row[RequestCSV.columns.firstIndex(of: name)!] }
        #expect(rows.map { column("request_id", $0) } == ["req-a", "req-b", "req-c", "req-d"])
        #expect(rows.map { column("decision", $0) } == ["granted", "denied", "granted", "pending"])
        #expect(column("approvers", rows[0]) == "bob")
        #expect(column("deniers", rows[1]) == "bob")
        #expect(column("latency_seconds", rows[0]) == "600")
        #expect(column("execution_outcome", rows[0]) == "succeeded")
        #expect(rows.allSatisfy { $0.count == RequestCSV.columns.count })

        var redacted = ExportScope()
        redacted.redaction = PayloadRedaction(allPayloads: true)
        let hidden = try PeriodRecord.read(ledger: fixture.ledger, plan: try ExportPlan.make(ledger: fixture.ledger, scope: redacted), keepHistory: false)
        let first = RequestCSV.fields(hidden.requests[0])
        #expect(column("decision", first) == "granted")
        #expect(column("action", first) == "")
        #expect(column("withheld_events", first) != "0")
    }
}
