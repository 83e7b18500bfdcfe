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

    /// The direct encoder and decoder must agree with the generic RFC 8785 encoder and the
    /// strict parser on every envelope, including references that need escaping (`"`, `\\`),
    /// which the decoder leaves to the general path.
    @Test func directEncodingMatchesTheGenericCanonicalForm() throws {
        var generator = SystemRandomNumberGenerator()
        let printable = (0x21...0x7E).map { Character(Unicode.Scalar(UInt8($0))) }
        func reference() -> String? {
            Bool.random(using: &generator) ? nil : String((0..<Int.random(in: 1...40, using: &generator)).map { _ in printable.randomElement(using: &generator)! })
        }
        let key = try Ed25519PrivateKey()
        for _ in 0..<2_000 {
            let envelope = EventEnvelope(
                seq: Int64.random(in: 1...9_007_199_254_740_991, using: &generator), type: "request.opened", stream: "req-\(Int.random(in: 0...999_999))",
                streamVersion: Int64.random(in: 1...1_000_000, using: &generator), actor: "svc.deploy+bot@example.com", keyID: key.publicKey.keyID,
                time: Timestamp(millisecondsSinceEpoch: Int64.random(in: Timestamp.range, using: &generator)),
                previousHash: SHA256.hash([UInt8.random(in: 0...255)]), payloadHash: SHA256.hash([UInt8.random(in: 0...255)]),
                idempotencyKey: reference(), correlationID: reference())
            let bytes = envelope.canonicalBytes
            #expect(bytes == CanonicalJSON.encode(envelope.jsonValue))
            #expect(try EventEnvelope(canonicalBytes: bytes) == envelope)
        }
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
        Mutation(name: "duplicate member", find: "{\"actor\"", replace: "{\"actor\":\"bob\",\"actor\"", code: .invalidJSON),
        Mutation(name: "seq beyond I-JSON", find: "\"seq\":2", replace: "\"seq\":9007199254740993", code: .invalidJSON),
        Mutation(name: "leading zero", find: "\"seq\":2", replace: "\"seq\":02", code: .invalidJSON),
        Mutation(name: "uppercase hex", find: "\"prevHash\":\"4b", replace: "\"prevHash\":\"4B", code: .invalidField),
        Mutation(name: "members out of order", find: "\"type\":\"request.opened\",\"v\":1}", replace: "\"v\":1,\"type\":\"request.opened\"}", code: .notCanonical),
        Mutation(name: "trailing bytes", find: "\"v\":1}", replace: "\"v\":1} ", code: .notCanonical),
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

    @Test("The text form is the same written into bytes or made a string, and reads back, across the range and beyond it")
    func textForms() {
        let range = Timestamp.range
        var instants = [range.lowerBound, range.upperBound, 0, -1, 951_782_400_000, 1_795_000_000_123]
        for step in stride(from: range.lowerBound, to: range.upperBound, by: 7_777_777_777_777) { instants.append(step + step % 86_400_000) }
        for milliseconds in instants {
            let time = Timestamp(millisecondsSinceEpoch: milliseconds)
            var bytes: [UInt8] = []
            time.write(into: &bytes)
            #expect(bytes.count == 24 && String(decoding: bytes, as: UTF8.self) == time.description)
            #expect(Timestamp(time.description) == time)
        }
        // Beyond the four-digit years the text is not a timestamp, but it is still written.
        #expect(Timestamp(millisecondsSinceEpoch: range.upperBound + 1).description == "10000-01-01T00:00:00.000Z")
        #expect(Timestamp(millisecondsSinceEpoch: range.lowerBound - 1).description == "-1-12-31T23:59:59.999Z")
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
