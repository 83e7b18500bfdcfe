import ApprovalLedger
import Foundation
import Testing

/// The JSON Lines form of an event (docs/FORMAT.md §JSON Lines).
@Suite("Event lines")
struct EventLineTests {
    static func event() throws -> RecordedEvent {
        let key = try Ed25519PrivateKey()
        let payload = CanonicalJSON.encode(["text": "naïve \"quote\" \u{1}", "n": 1.5])
        let envelope = EventEnvelope(
            seq: 7, type: "deploy.note", stream: "svc", streamVersion: 2, actor: "alice", keyID: key.publicKey.keyID,
            time: Timestamp("2026-11-02T09:00:00.000Z")!, previousHash: SHA256.hash([1]), payloadHash: SHA256.hash(payload),
            idempotencyKey: "run-42")
        return try RecordedEvent.seal(envelope, payloadBytes: payload, signer: key)
    }

    static func line(_ event: RecordedEvent) -> [UInt8] {
        var bytes: [UInt8] = []
        EventLine.write(event, into: &bytes)
        return bytes
    }

    @Test("The line written from bytes is the canonical JSON of the documented object")
    func writtenLineIsCanonical() throws {
        let event = try Self.event()
        let object: JSONValue = [
            "envelope": event.envelope.jsonValue, "hash": .string(event.hash.hex), "payload": try event.payload()!,
            "seq": 7, "signature": .string(Hex.encode(event.signature)),
        ]
        #expect(Self.line(event) == CanonicalJSON.encode(object) + [0x0A])
        let withheld = RecordedEvent(envelope: event.envelope, envelopeBytes: event.envelopeBytes, hash: event.hash, signature: event.signature, payloadBytes: nil)
        #expect(String(decoding: Self.line(withheld), as: UTF8.self).contains(#""payload":null"#))
    }

    @Test("Reading gives back the exact envelope and payload bytes")
    func readBack() throws {
        let event = try Self.event()
        let bytes = Self.line(event)
        let line = try EventLine(line: bytes.dropLast())
        #expect(line.envelopeBytes == event.envelopeBytes)
        #expect(line.envelope == event.envelope)
        #expect(line.payloadBytes == event.payloadBytes)
        #expect(line.hash == event.hash.bytes)
        #expect(line.signature == event.signature)
        #expect(line.seq == 7)
    }

    @Test("Anything but the canonical form of a valid line is refused")
    func strictness() throws {
        let event = try Self.event()
        let text = String(decoding: Self.line(event).dropLast(), as: UTF8.self)
        let hash = event.hash.hex
        let damaged = [
            text.replacingOccurrences(of: #"{"envelope":"#, with: #"{ "envelope":"#),
            text.replacingOccurrences(of: #""seq":7,"sig"#, with: #""seq":8,"sig"#),
            text.replacingOccurrences(of: hash, with: hash.uppercased()),
            text.replacingOccurrences(of: #""payload":{"#, with: #""payload":[{"#).replacingOccurrences(of: #"},"seq":7"#, with: #"}],"seq":7"#),
            text.replacingOccurrences(of: #""seq":7,"sig"#, with: #""seq":7,"extra":1,"sig"#),
            text.replacingOccurrences(of: #""hash":"\#(hash)","#, with: ""),
            text + " ",
        ]
        for line in damaged {
            #expect(throws: FormatError.self, "\(line.prefix(60))") { try EventLine(line: ArraySlice(line.utf8)) }
        }
    }
}
