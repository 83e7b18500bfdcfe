import LedgerDomain
import LedgerFormat
import TestSupport
import Testing

/// A rebuild reads payload members straight from the stored bytes, the appends and the
/// verifier from parsed payloads: both must see the same members, whatever the bytes hold, or
/// the projections would not be what the rules decided on.
@Suite("RequestPayload: the same members from bytes as from a parsed payload")
struct RequestPayloadTests {
    /// Every member name the payload reads, at any level, and a few it does not.
    static let names = [
        "requestId", "action", "resource", "environment", "summary", "links", "changeDigest", "release", "deadline", "policy",
        "risk", "riskExplanation", "decision", "reason", "code", "explanation", "automatic", "grant", "grantId", "addGroups",
        "reviewDeadline", "outcome", "detail", "version", "rule", "hash", "score", "level", "id", "expiresAt", "oneShot",
        "factors", "riskInputs", "approvers", "a", "Z", "", "é",
    ]

    static let strings = [
        "", "req-1", "prod", "approve", "succeeded", "2026-11-21T18:44:59.123Z", "2026-02-30T00:00:00.000Z", "2026-11-21",
        "quote \" and \\ backslash", "line\nfeed\u{1}", "café", "😀", "\u{212A}",
    ]

    /// A random JSON value, objects keyed by `names`.
    static func value(_ random: inout SplitMix64, depth: Int = 0) -> JSONValue {
        switch random.next(upTo: depth > 3 ? 6 : 8) {
        case 0: return .null
        case 1: return .bool(random.next(upTo: 2) == 0)
        case 2: return .integer(Int64(random.next(upTo: 2000)) - 1000)
        case 3: return .number(Double(random.next(upTo: 1000)) / 8)
        case 4, 5: return .string(strings.randomElement(using: &random)!)
        case 6: return .array((0..<random.next(upTo: 4)).map { _ in value(&random, depth: depth + 1) })
        default: return object(&random, depth: depth + 1)
        }
    }

    static func object(_ random: inout SplitMix64, depth: Int = 0) -> JSONValue {
        var members = JSONObject()
        for _ in 0..<random.next(upTo: 9) { members[names.randomElement(using: &random)!] = value(&random, depth: depth) }
        return .object(members)
    }

    @Test("Canonical bytes of random payloads give the members of the parsed payload", arguments: [1, 2, 3, 4] as [UInt64])
    func canonicalPayloads(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        for _ in 0..<2000 {
            let payload = Self.object(&random)
            let bytes = CanonicalJSON.encode(payload)
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(RequestPayload(bytes: bytes) == RequestPayload(payload), "\(text)")
            // Read without parsing, unless a key is not ASCII.
            let read = JSONMemberReader.read(bytes, names: JSONMemberReader.Names([])) { (_) throws(JSONMemberReader.Unreadable) in }
            #expect(read == !text.contains(#""é":"#), "\(text)")
        }
    }

    /// `payload` written with whitespace, its members in random order, some repeated: valid
    /// JSON that is not canonical, or JSON the parser refuses.
    static func loose(_ payload: JSONValue, _ random: inout SplitMix64) -> [UInt8] {
        guard case .object(let object) = payload else { return CanonicalJSON.encode(payload) }
        var members = object.members.map { Array(CanonicalJSON.encode(.string($0.key))) + Array(" : ".utf8) + loose($0.value, &random) }
        if !members.isEmpty, random.next(upTo: 3) == 0 { members.append(members.randomElement(using: &random)!) }
        members.shuffle(using: &random)
        return Array("{ ".utf8) + Array(members.joined(separator: Array(",\n".utf8))) + Array(" }".utf8)
    }

    @Test("Other bytes give what parsing gives: the same members, or none when the parser refuses them", arguments: [5, 6] as [UInt64])
    func otherPayloads(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        for _ in 0..<2000 {
            var bytes = Self.loose(Self.object(&random), &random)
            if random.next(upTo: 4) == 0 { bytes[random.next(upTo: bytes.count)] = UInt8(random.next(upTo: 256)) }
            let parsed = (try? JSONParser.parse(bytes)) ?? .object(JSONObject())
            #expect(RequestPayload(bytes: bytes) == RequestPayload(parsed), "\(String(decoding: bytes, as: UTF8.self))")
        }
    }

    @Test("A request's events rebuilt from their stored bytes fold and project as the parsed events do")
    func foldFromBytes() throws {
        var run = DeciderTests.Run.opened(action: "db.migrate", resource: "db/orders")
        run.apply(DeciderTests.vote(true, "alice"), by: "alice", at: 1)
        run.apply(DeciderTests.vote(true, "carol"), by: "carol", at: 5)
        run.apply(DeciderTests.vote(true, "bob"), by: "bob", at: 12)
        run.apply(.execute(succeeded: false, changeDigest: nil, detail: "exit 1"), by: "bot", at: 20)
        run.apply(.rollback(reason: "errors"), by: "bot", at: 25)
        run.apply(.recover(detail: "fixed"), by: "bot", at: 40)
        let fromBytes = run.events.map { event in
            RequestEvent(
                seq: event.seq, streamVersion: event.streamVersion, time: event.time, actor: event.actor, type: event.type,
                payloadBytes: CanonicalJSON.encode(event.payload))
        }
        for (stored, parsed) in zip(fromBytes, run.events) {
            #expect(stored.members == parsed.members)
            #expect(stored.payload == parsed.payload)
        }
        #expect(RequestState.fold(fromBytes) == run.state)
        #expect(RequestProjection(stream: "req-1", events: fromBytes) == RequestProjection(stream: "req-1", events: run.events))
        #expect(try #require(RequestState.fold(fromBytes)).executions.map(\.detail) == ["exit 1"])
    }

    @Test("A redacted payload, or one that does not parse, has no members and reads as an empty object")
    func unreadablePayloads() {
        for bytes in [nil, Array("{\"requestId\":".utf8)] as [[UInt8]?] {
            let event = RequestEvent(seq: 1, streamVersion: 1, time: DeciderTests.t0, actor: "a", type: ApprovalEvents.opened, payloadBytes: bytes)
            #expect(event.members == RequestPayload())
            #expect(event.payload == .object(JSONObject()))
        }
    }
}
