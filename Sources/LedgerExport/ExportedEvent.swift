internal import LedgerCrypto
public import LedgerFormat
public import LedgerStore

/// One event as an export writes it: the stored bytes, with the payload only when disclosed.
public struct ExportedEvent: Sendable {
    /// The event; `payloadBytes` is nil unless `disclosure` is `.disclosed`.
    public let event: RecordedEvent
    public let disclosure: PayloadDisclosure

    public var seq: Int64 { event.envelope.seq }

    /// Calls `body` with every event from seq 1 to `plan.end`, in order, from one read
    /// snapshot, and `progress` with the seq reached after each batch.
    /// - Parameter start: called once before the first event, with point reads into the
    ///   same snapshot.
    /// - Throws: `ExportError.notExportable` for an event that cannot be exported byte for
    ///   byte (run `ledger verify` to see why); whatever `start` or `body` throws.
    public static func forEach(
        in ledger: Ledger, plan: ExportPlan, progress: ((Int64) -> Void)? = nil, start: ((LedgerSnapshot) throws -> Void)? = nil,
        _ body: (ExportedEvent) throws -> Void
    ) throws {
        try ledger.scan(before: start) { rows, _ in
            for row in rows where row.seq <= plan.end {
                try body(try exported(row, plan: plan))
            }
            progress?(min(rows.last?.seq ?? 0, plan.end))
        }
    }

    static func exported(_ row: StoredEvent, plan: ExportPlan) throws -> ExportedEvent {
        let envelope = try envelope(of: row)
        guard let hash = SHA256Digest(bytes: row.hash), row.signature.count == 64 else {
            throw ExportError(.notExportable, "stored event \(row.seq) has a malformed hash or signature; run `ledger verify`")
        }
        var parsed: JSONValue??
        func payload() -> JSONValue? {
            if let parsed { return parsed }
            let value = row.payloadBytes.flatMap { try? JSONParser.parse($0) }
            parsed = .some(value)
            return value
        }
        let disclosure = plan.disclosure(of: envelope, hasPayload: row.payloadBytes != nil, payload: payload)
        var payloadBytes: [UInt8]?
        if disclosure == .disclosed, let bytes = row.payloadBytes {
            // JSON Lines carry the payload as an object whose canonical form must be the stored
            // bytes; anything else would export a payload that no longer matches its hash.
            guard let value = payload(), case .object = value, CanonicalJSON.encode(value) == bytes else {
                throw ExportError(.notExportable, "the payload of event \(row.seq) cannot be carried byte for byte in a JSON Lines line: \(Self.whyNotCarried(bytes)). No conforming writer stores such a payload; run `ledger verify`")
            }
            payloadBytes = bytes
        }
        let event = RecordedEvent(envelope: envelope, envelopeBytes: row.envelopeBytes, hash: hash, signature: row.signature, payloadBytes: payloadBytes)
        return ExportedEvent(event: event, disclosure: disclosure)
    }

    /// Why stored payload bytes are not the canonical form of a JSON object a reader accepts.
    static func whyNotCarried(_ bytes: [UInt8]) -> String {
        do {
            let value = try JSONParser.parse(bytes)
            guard case .object = value else { return "it is not a JSON object" }
            return "it is not in RFC 8785 canonical form"
        } catch {
            return "it is not JSON a reader accepts (\(error.message))"
        }
    }

    static func envelope(of row: StoredEvent) throws -> EventEnvelope {
        do { return try EventEnvelope(canonicalBytes: row.envelopeBytes) } catch {
            throw ExportError(.notExportable, "stored event \(row.seq) has an invalid envelope (\(error.message)); run `ledger verify`")
        }
    }
}
