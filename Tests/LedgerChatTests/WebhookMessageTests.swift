import ApprovalLedger
import Foundation
import LedgerChat
import Testing
import TestSupport

@Suite("Webhook payloads and delivery state")
struct WebhookMessageTests {
    static func ledger(in directory: TemporaryDirectory) async throws -> (Ledger, Signer) {
        let signer = Signer(identity: "root", key: try Ed25519PrivateKey())
        return (try await Ledger.create(at: directory.file("x.ledger"), root: signer), signer)
    }

    @Test("The body is canonical JSON: type, timestamp and the event, with its JSON Lines object")
    func body() async throws {
        let directory = try TemporaryDirectory()
        let (ledger, signer) = try await Self.ledger(in: directory)
        var object = JSONObject()
        object["service"] = .string("api")
        let event = try await ledger.append(EventDraft(type: "deploy.started", stream: "prod-api", payload: .object(object), correlationID: "rel-7"), signer: signer)
        let message = WebhookMessage(event: event, ledgerID: ledger.ledgerID)
        #expect(message.seq == event.envelope.seq)
        #expect(!message.id.contains("."), "the specification forbids a '.' in the id")
        #expect(message.id == WebhookMessage(event: event, ledgerID: ledger.ledgerID).id, "a redelivery has the same id")
        let value = try JSONParser.parse(message.body)
        #expect(CanonicalJSON.encode(value) == message.body)
        #expect(value["type"]?.stringValue == "deploy.started")
        #expect(value["timestamp"]?.stringValue == event.envelope.time.description)
        let data = try #require(value["data"])
        #expect(data["seq"]?.integerValue == event.envelope.seq)
        #expect(data["stream"]?.stringValue == "prod-api")
        #expect(data["actor"]?.stringValue == "root")
        #expect(data["correlationId"]?.stringValue == "rel-7")
        #expect(data["hash"]?.stringValue == event.hash.hex)
        #expect(data["payload"]?["service"]?.stringValue == "api")
        #expect(data["ledger"]?.stringValue == ledger.ledgerID)
        // `event` is byte for byte the line GET /v1/events serves.
        var line: [UInt8] = []
        EventLine.write(event, into: &line)
        #expect(CanonicalJSON.encode(try #require(data["event"])) + [0x0A] == line)
    }

    @Test("A new subscription starts at the head, or before seq 1 with from: start; then keeps its cursor")
    func cursors() async throws {
        let directory = try TemporaryDirectory()
        let (ledger, signer) = try await Self.ledger(in: directory)
        _ = try await ledger.append(EventDraft(type: "deploy.note", stream: "s", payload: .object(JSONObject())), signer: signer)
        let head = try await ledger.head().size
        #expect(try await ledger.openWebhookDelivery(name: "late", fromStart: false).cursor == head)
        #expect(try await ledger.openWebhookDelivery(name: "all", fromStart: true).cursor == 0)
        var state = try #require(try await ledger.webhookDelivery(named: "late"))
        state = state.failed(seq: head + 1, status: 500, error: "HTTP 500", at: SystemClock.now(), policy: WebhookRetryPolicy(), unit: 0.5)
        try await ledger.saveWebhookDelivery(state)
        // Reopening (a restart) keeps what was stored, whatever `fromStart` now says.
        let reopened = try await ledger.openWebhookDelivery(name: "late", fromStart: true)
        #expect(reopened == state)
        #expect(try await ledger.webhookDeliveries().map(\.name) == ["all", "late"])
        #expect(try await ledger.countEvents(after: 0) { type, _ in type == "deploy.note" } == 1)
        // The delivery state is no part of the chain: the ledger still verifies.
        let report = try Verifier().verify(ledger)
        #expect(report.isVerified(strict: true), "\(report.findings)")
    }
}
