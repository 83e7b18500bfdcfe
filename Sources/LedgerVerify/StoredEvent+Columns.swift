public import LedgerFormat
public import LedgerStore

extension StoredEvent {
    /// The indexed columns that differ from the signed envelope they copy (`column-mismatch`).
    /// `timeText` is scratch space, reused across rows so the time is compared without
    /// formatting a string.
    public func differingColumns(from envelope: EventEnvelope, timeText: inout [UInt8]) -> [String] {
        var differing: [String] = []
        if seq != envelope.seq { differing.append("seq") }
        if previousHash != envelope.previousHash.bytes { differing.append("prev_hash") }
        if stream != envelope.stream { differing.append("stream") }
        if streamVersion != envelope.streamVersion { differing.append("stream_version") }
        if type != envelope.type { differing.append("type") }
        if actor != envelope.actor { differing.append("actor") }
        if keyID != envelope.keyID.rawValue { differing.append("key_id") }
        timeText.removeAll(keepingCapacity: true)
        envelope.time.write(into: &timeText)
        if !time.utf8.elementsEqual(timeText) { differing.append("time") }
        if idempotencyKey != envelope.idempotencyKey { differing.append("idempotency_key") }
        if correlationID != envelope.correlationID { differing.append("correlation_id") }
        return differing
    }

    /// The finding sentence for `differing` columns.
    static func columnMessage(_ differing: [String]) -> String {
        "indexed column\(differing.count == 1 ? "" : "s") \(differing.joined(separator: ", ")) differ\(differing.count == 1 ? "s" : "") from the signed envelope"
    }
}
