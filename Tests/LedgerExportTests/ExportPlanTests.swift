import ApprovalLedger
import Foundation
import Testing

/// What an export covers and discloses, on the three-day fixture.
@Suite("Export scope and disclosure")
struct ExportPlanTests {
    /// The lines of a JSON Lines export, parsed with Foundation.
    static func lines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map { try foundationJSON(String($0)) }
    }

    static func envelope(_ line: [String: Any]) -> [String: Any] { line["envelope"] as! [String: Any] }

    @Test("A day's export ends at the day's last event, with the requests that had an event that day")
    func periodBoundsAndRequestsInScope() async throws {
        let fixture = try await ExportFixture.make()
        let plan = try ExportPlan.make(ledger: fixture.ledger, scope: ExportFixture.dayTwo)
        #expect(plan.requests == ["req-b", "req-c"])
        let events = try await fixture.ledger.events(from: 1, limit: 1000)
        let lastOfDayTwo = events.last { $0.envelope.time < ExportFixture.day(3, "00:00") }!
        #expect(plan.periodEnd == lastOfDayTwo.envelope.seq)
        #expect(plan.end == plan.periodEnd)
        #expect(plan.eventsInPeriod == Int64(events.filter { ExportFixture.dayTwo.contains($0.envelope.time) }.count))
        #expect(plan.head == events.last!.envelope.seq)
    }

    @Test("Key and policy payloads always, requests in scope whole, other events in the period; the rest withheld")
    func disclosureFollowsTheScope() async throws {
        let fixture = try await ExportFixture.make()
        let lines = try Self.lines(fixture.jsonLines(ExportFixture.dayTwo))
        let plan = try ExportPlan.make(ledger: fixture.ledger, scope: ExportFixture.dayTwo)
        #expect(lines.map { $0["seq"] as! Int } == Array(1...Int(plan.periodEnd)))
        for line in lines {
            let envelope = Self.envelope(line)
            let stream = envelope["stream"] as! String, time = envelope["time"] as! String
            let disclosed = !(line["payload"] is NSNull)
            switch stream {
            case "$ledger", "$keys", "$policy", "req-b", "req-c": #expect(disclosed, "\(stream) \(envelope["type"]!)")
            case "req-a": #expect(!disclosed)
            case "svc-notes": #expect(disclosed == time.hasPrefix("2026-11-02"))
            default: Issue.record("unexpected stream \(stream)")
            }
        }
        #expect(!lines.contains { (Self.envelope($0)["stream"] as? String) == "req-d" })
    }

    @Test("--redact-payloads keeps only key and policy payloads; --redact-field withholds the payloads that have it")
    func redaction() async throws {
        let fixture = try await ExportFixture.make()
        var scope = ExportFixture.dayTwo
        scope.redaction = PayloadRedaction(allPayloads: true)
        for line in try Self.lines(fixture.jsonLines(scope)) {
            let stream = Self.envelope(line)["stream"] as! String
            #expect(!(line["payload"] is NSNull) == stream.hasPrefix("$"), "\(stream)")
        }
        scope.redaction = PayloadRedaction(fields: ["reason"])
        let stored = try await fixture.ledger.events(stream: "req-b")
        let withReason = Set(stored.filter { (try? $0.payload())??["reason"] != nil }.map(\.envelope.seq))
        #expect(withReason.count >= 1)
        for line in try Self.lines(fixture.jsonLines(scope)) where Self.envelope(line)["stream"] as! String == "req-b" {
            let seq = Int64(line["seq"] as! Int)
            #expect((line["payload"] is NSNull) == withReason.contains(seq), "seq \(seq)")
        }
    }

    @Test func scopesThatSelectNothingAreRefused() async throws {
        let fixture = try await ExportFixture.make()
        let cases: [(ExportScope, String)] = [
            (ExportScope(since: ExportFixture.day(3, "00:00"), until: ExportFixture.day(2, "00:00")), "is not before"),
            (ExportScope(since: Timestamp("2027-01-01T00:00:00.000Z")!), "no event"),
            (ExportScope(requestIDs: ["req-zzz"]), "no request req-zzz"),
            (ExportScope(since: ExportFixture.day(2, "00:00"), until: ExportFixture.day(3, "00:00"), requestIDs: ["req-a"]), "req-a has no event"),
        ]
        for (scope, message) in cases {
            let error = #expect(throws: ExportError.self) { try ExportPlan.make(ledger: fixture.ledger, scope: scope) }
            #expect(error?.code == .invalidScope)
            #expect(error?.message.contains(message) == true, "\(error?.message ?? "")")
        }
        let named = try ExportPlan.make(ledger: fixture.ledger, scope: ExportScope(requestIDs: ["req-a"]))
        #expect(named.requests == ["req-a"])
    }

    @Test func periodBoundsParse() {
        #expect(ExportScope.parseBound("2026-11-02") == Timestamp("2026-11-02T00:00:00.000Z"))
        #expect(ExportScope.parseBound("2026-11-02T10:30:00Z") == Timestamp("2026-11-02T10:30:00.000Z"))
        #expect(ExportScope.parseBound("2026-11-02T10:30:00.250Z") == Timestamp("2026-11-02T10:30:00.250Z"))
        for bad in ["2026-13-01", "2026-11-02 10:30", "yesterday", "2026-11-02T10:30:00+01:00"] {
            #expect(ExportScope.parseBound(bad) == nil, "\(bad)")
        }
    }
}
