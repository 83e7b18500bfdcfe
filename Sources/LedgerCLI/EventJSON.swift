import ApprovalLedger

/// The JSON form of a stored event used by `log --format json` and `append --format json`:
/// the envelope and payload as objects (their canonical encodings are exactly the stored
/// bytes), plus the hash and signature in hex. See docs/FORMAT.md §JSON Lines.
enum EventJSON {
    static func value(_ event: RecordedEvent) -> JSONValue {
        var object = JSONObject()
        object["seq"] = .integer(event.envelope.seq)
        object["hash"] = .string(event.hash.hex)
        object["signature"] = .string(Hex.encode(event.signature))
        object["envelope"] = event.envelope.jsonValue
        object["payload"] = (try? event.payload()).flatMap { $0 } ?? .null
        return .object(object)
    }
}
