import Foundation
import LedgerCrypto
import LedgerFormat
import Testing

@Suite("Event envelope, hashing and signing")
struct EventEnvelopeTests {
    static func envelope(seq: Int64 = 2, keyID: KeyID) -> EventEnvelope {
        EventEnvelope(
            seq: seq, type: "request.opened", stream: "req-1", streamVersion: 1, actor: "alice@example.com",
            keyID: keyID, time: Timestamp("2026-11-21T09:30:00.000Z")!, previousHash: SHA256.hash([1]),
            payloadHash: SHA256.hash(Array("{}".utf8)), idempotencyKey: "deploy-42")
    }

    @Test func canonicalBytesRoundTrip() throws {
        let key = try Ed25519PrivateKey()
        let envelope = Self.envelope(keyID: key.publicKey.keyID)
        let decoded = try EventEnvelope(canonicalBytes: envelope.canonicalBytes)
        #expect(decoded == envelope)
        let text = String(decoding: envelope.canonicalBytes, as: UTF8.self)
        #expect(text.hasPrefix("{\"actor\":\"alice@example.com\",\"idempotencyKey\":\"deploy-42\",\"keyId\":\"ed25519:"))
        #expect(!text.contains("correlationId"))
    }

    @Test func sealedEventHashesWithDomainPrefixAndSignsTheHash() throws {
        let key = try Ed25519PrivateKey()
        let envelope = Self.envelope(keyID: key.publicKey.keyID)
        let event = try RecordedEvent.seal(envelope, payloadBytes: Array("{}".utf8), signer: key)
        #expect(event.hash == SHA256.hash(Array("approval-ledger/event/v1\n".utf8) + envelope.canonicalBytes))
        #expect(key.publicKey.isValidSignature(event.signature, for: event.hash.bytes))
    }

    struct Mutation: Sendable, CustomTestStringConvertible {
        let name: String, find: String, replace: String, code: FormatError.Code
        var testDescription: String { name }
    }

    static let mutations: [Mutation] = [
        Mutation(name: "whitespace", find: ",\"seq\"", replace: ", \"seq\"", code: .notCanonical),
        Mutation(name: "unknown field", find: "{\"actor\"", replace: "{\"aaa\":1,\"actor\"", code: .unknownField),
        Mutation(name: "version 2", find: "\"v\":1", replace: "\"v\":2", code: .unsupportedVersion),
        Mutation(name: "seq as string", find: "\"seq\":2", replace: "\"seq\":\"2\"", code: .invalidField),
        Mutation(name: "seq zero", find: "\"seq\":2", replace: "\"seq\":0", code: .invalidField),
        Mutation(name: "bad time", find: ".000Z", replace: "Z", code: .invalidField),
        Mutation(name: "bidi in actor", find: "alice", replace: "al\u{202E}ice", code: .invalidField),
        Mutation(name: "missing field", find: "\"stream\":\"req-1\",", replace: "", code: .missingField),
        Mutation(name: "number not canonical", find: "\"seq\":2", replace: "\"seq\":2.0", code: .notCanonical),
        Mutation(name: "escape not canonical", find: "alice", replace: "\\u0061lice", code: .notCanonical),
    ]

    @Test("Non-canonical, unknown-field, wrong-type and future-version envelopes are refused", arguments: mutations)
    func refusals(_ mutation: Mutation) throws {
        let key = try Ed25519PrivateKey()
        let text = String(decoding: Self.envelope(keyID: key.publicKey.keyID).canonicalBytes, as: UTF8.self)
        let mutated = text.replacingOccurrences(of: mutation.find, with: mutation.replace)
        #expect(mutated != text, "mutation did not apply")
        let error = #expect(throws: FormatError.self) { try EventEnvelope(canonicalBytes: Array(mutated.utf8)) }
        #expect(error?.code == mutation.code, "\(String(describing: error))")
    }
}

@Suite("Timestamps")
struct TimestampTests {
    @Test func roundTripsAndRefusesNonCanonical() {
        for text in ["1970-01-01T00:00:00.000Z", "2026-11-21T18:44:59.123Z", "2024-02-29T23:59:59.999Z", "0001-01-01T00:00:00.000Z", "1969-12-31T23:59:59.999Z"] {
            #expect(Timestamp(text)?.description == text)
        }
        #expect(Timestamp("1970-01-01T00:00:01.000Z")?.millisecondsSinceEpoch == 1000)
        for bad in ["2026-11-21T18:44:59Z", "2026-11-21T18:44:59.123+00:00", "2025-02-29T00:00:00.000Z", "2026-13-01T00:00:00.000Z", "2026-11-21 18:44:59.123Z", "2026-11-21T24:00:00.000Z"] {
            #expect(Timestamp(bad) == nil, "\(bad)")
        }
    }
}

@Suite("Checkpoints")
struct CheckpointTests {
    @Test func signParseAndRefuseTampering() throws {
        let key = try Ed25519PrivateKey()
        let checkpoint = try Checkpoint.sign(
            ledgerID: "0f8e", size: 42, headHash: SHA256.hash([42]), time: Timestamp("2026-11-21T00:00:00.000Z")!, key: key)
        let bytes = checkpoint.fileBytes
        #expect(bytes.last == 0x0A)
        #expect(try Checkpoint(fileBytes: bytes) == checkpoint)
        let tampered = Array(String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\"size\":42", with: "\"size\":43").utf8)
        let error = #expect(throws: FormatError.self) { try Checkpoint(fileBytes: tampered) }
        #expect(error?.code == .badSignature)
        #expect(throws: FormatError.self) { try Checkpoint(fileBytes: Array("not json".utf8)) }
        #expect(throws: FormatError.self) { try Checkpoint(fileBytes: Array("{}".utf8)) }
    }
}
