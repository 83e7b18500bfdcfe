public import ApprovalLedger

/// What one event becomes for a receiver: its `webhook-id` and the JSON body
/// (docs/WEBHOOKS.md §Payload), `{"type", "timestamp", "data"}` as the Standard Webhooks
/// payload structure recommends, in canonical JSON (RFC 8785) so the bytes are the same on
/// every redelivery.
public struct WebhookMessage: Sendable {
    /// Stable for an event of a ledger: a redelivery carries the same id, so a receiver
    /// dedupes by it. No `.` in it (the specification forbids one: the id is the first field
    /// of the signed `id.timestamp.body`).
    public let id: String
    public let body: [UInt8]
    public let seq: Int64
    public let type: String

    /// `data` holds the envelope's members flattened (seq, type, stream, streamVersion, actor,
    /// keyId, time, correlationId, origin), the stored `hash`, the `payload` (null when
    /// redacted) and `event`: the event's JSON Lines object (docs/FORMAT.md §JSON Lines), byte
    /// for byte as `GET /v1/events` serves it, so a receiver can check the hash and signature
    /// itself.
    public init(event: RecordedEvent, ledgerID: String) {
        let envelope = event.envelope
        seq = envelope.seq
        type = envelope.type
        id = "evt_\(Self.idSafe(ledgerID))_\(envelope.seq)"
        var line: [UInt8] = []
        EventLine.write(event, into: &line)
        line.removeLast()  // the LF
        var data = JSONObject()
        data["ledger"] = .string(ledgerID)
        data["seq"] = .integer(envelope.seq)
        data["type"] = .string(envelope.type)
        data["stream"] = .string(envelope.stream)
        data["streamVersion"] = .integer(envelope.streamVersion)
        data["actor"] = .string(envelope.actor)
        data["keyId"] = .string(envelope.keyID.rawValue)
        data["time"] = .string(envelope.time.description)
        data["hash"] = .string(event.hash.hex)
        if let correlationID = envelope.correlationID { data["correlationId"] = .string(correlationID) }
        if let origin = envelope.origin { data["origin"] = origin.jsonValue }
        data["payload"] = event.payloadBytes.flatMap { try? JSONParser.parse($0, limits: EventLine.limits) } ?? .null
        data["event"] = (try? JSONParser.parse(line, limits: EventLine.limits)) ?? .null
        var object = JSONObject()
        object["type"] = .string(envelope.type)
        object["timestamp"] = .string(envelope.time.description)
        object["data"] = .object(data)
        body = CanonicalJSON.encode(.object(object))
    }

    /// Letters, digits, `_` and `-` kept; anything else (a `.`) becomes `-`.
    static func idSafe(_ text: String) -> String {
        String(text.unicodeScalars.map { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_" || scalar == "-") ? Character(scalar) : "-"
        })
    }
}
