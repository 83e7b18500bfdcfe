public import LedgerFormat

/// The event types of the approval workflow. Every request is one stream, named by its id.
public enum ApprovalEvents {
    public static let policyStream = "$policy"
    public static let policyPublished = "policy.published"

    public static let opened = "request.opened"
    public static let commented = "request.commented"
    public static let cancelled = "request.cancelled"
    public static let bypassed = "request.bypassed"
    public static let granted = "request.granted"
    public static let denied = "request.denied"
    public static let expired = "request.expired"
    public static let escalated = "request.escalated"
    public static let voteCast = "vote.cast"
    public static let voteRejected = "vote.rejected"
    public static let reviewClosed = "review.closed"
    public static let executed = "execution.reported"
    public static let executionRefused = "execution.refused"
    public static let rolledBack = "execution.rolledback"
    public static let recovered = "execution.recovered"

    /// Every workflow event type of a request stream.
    public static let all: Set<String> = [
        opened, commented, cancelled, bypassed, granted, denied, expired, escalated, voteCast, voteRejected,
        reviewClosed, executed, executionRefused, rolledBack, recovered,
    ]
}

/// One event the domain asks to append: a type and a JSON-object payload.
public struct DomainEvent: Sendable, Hashable {
    public var type: String
    public var payload: JSONValue

    public init(_ type: String, _ payload: JSONValue) {
        self.type = type
        self.payload = payload
    }
}

/// A stored event as the domain folds it: what the envelope says, and the payload.
public struct RequestEvent: Sendable {
    public var seq: Int64
    public var streamVersion: Int64
    public var time: Timestamp
    public var actor: String
    public var type: String
    /// For an event a relay appended on someone's behalf: the relay key's own identity, which
    /// the outcomes of the same transaction speak for (nil: the event's key is the actor's).
    public var relayIdentity: String?
    /// For such an event without the caller's own signature: the channel it came through.
    public var relayedVia: String?
    /// The payload's members that the fold and the projections read.
    public private(set) var members: RequestPayload
    /// The payload's bytes as stored, when the reader has them beside the parsed payload: a
    /// replay compares them with the canonical bytes it expects instead of encoding the
    /// payload again.
    public var storedPayloadBytes: [UInt8]?
    private var source: PayloadSource

    /// Where the payload comes from: parsed, or stored bytes (nil when redacted).
    private enum PayloadSource: Sendable {
        case parsed(JSONValue)
        case bytes([UInt8]?)
    }

    /// The payload. An event made from payload bytes parses them on every read: the fold and
    /// the projections read `members` instead.
    public var payload: JSONValue {
        get {
            switch source {
            case .parsed(let payload): payload
            case .bytes(let bytes): bytes.flatMap { try? JSONParser.parse($0) } ?? .object(JSONObject())
            }
        }
        set {
            source = .parsed(newValue)
            members = RequestPayload(newValue)
            storedPayloadBytes = nil
        }
    }

    public init(seq: Int64, streamVersion: Int64, time: Timestamp, actor: String, type: String, payload: JSONValue) {
        self.seq = seq
        self.streamVersion = streamVersion
        self.time = time
        self.actor = actor
        self.type = type
        members = RequestPayload(payload)
        source = .parsed(payload)
    }

    /// An event whose payload is `payloadBytes` as stored, read without building a JSON tree
    /// (`RequestPayload(bytes:)`). A redacted payload (nil), or bytes that do not parse, read
    /// as an empty object.
    public init(seq: Int64, streamVersion: Int64, time: Timestamp, actor: String, type: String, payloadBytes: [UInt8]?) {
        self.seq = seq
        self.streamVersion = streamVersion
        self.time = time
        self.actor = actor
        self.type = type
        members = payloadBytes.map { RequestPayload(bytes: $0) } ?? RequestPayload()
        source = .bytes(payloadBytes)
        storedPayloadBytes = payloadBytes
    }
}

/// Why the domain refused a command. When the refusal is a security signal (a vote or an
/// execution that is not allowed) the decision also carries the event recording the attempt.
public struct Refusal: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable reason code, e.g. `self-approval`, `not-eligible`, `grant-used`.
    public let code: String
    public let message: String

    public init(_ code: String, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
