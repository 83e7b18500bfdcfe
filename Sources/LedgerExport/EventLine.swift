internal import LedgerCrypto
public import LedgerFormat

/// One line of a JSON Lines export (docs/FORMAT.md §JSON Lines): `JCS({envelope, hash,
/// payload, seq, signature}) ‖ LF`, the same object `ledger log --format json` prints.
public struct EventLine: Sendable, Hashable {
    /// The envelope bytes the line carries: `JCS(envelope)`.
    public let envelopeBytes: [UInt8]
    /// The envelope, when those bytes are a valid envelope.
    public let envelope: EventEnvelope?
    /// The hash the line claims (a copy: verifiers recompute it).
    public let hash: [UInt8]
    /// `JCS(payload)`, or nil for `"payload":null`.
    public let payloadBytes: [UInt8]?
    /// The line's `seq` member.
    public let seq: Int64
    public let signature: [UInt8]

    /// Largest accepted line (its bytes before the LF): a payload at the JSON size limit plus
    /// its envelope and hex; and one level deeper than any JSON text, since the line wraps a
    /// payload that may itself nest as deep as a reader accepts (docs/FORMAT.md §JSON Lines).
    public static let limits = JSONParser.Limits(maxBytes: 17 << 20, maxDepth: JSONParser.Limits.default.maxDepth + 1)

    /// Appends the line for `event` to `output`. Built from the canonical stored bytes, not
    /// from a JSON tree: since the envelope and payload are canonical and the members are
    /// written in canonical order, the result is canonical and carries them byte for byte.
    public static func write(_ event: RecordedEvent, into output: inout [UInt8]) {
        output += #"{"envelope":"#.utf8
        output += event.envelopeBytes
        output += #","hash":""#.utf8
        Hex.write(event.hash.bytes, into: &output)
        output += #"","payload":"#.utf8
        output += event.payloadBytes ?? Array("null".utf8)
        output += #","seq":"#.utf8
        output += String(event.envelope.seq).utf8
        output += #","signature":""#.utf8
        Hex.write(event.signature, into: &output)
        output += "\"}\n".utf8
    }

    /// Reads one line (without its LF), refusing anything but the canonical form of a valid
    /// line: the right members and types, lowercase hex of the right lengths, and a `seq`
    /// equal to the envelope's.
    public init(line: ArraySlice<UInt8>) throws(FormatError) {
        let bytes = Array(line)
        let value: JSONValue
        do { value = try JSONParser.parse(bytes, limits: Self.limits) } catch {
            throw FormatError(.invalidJSON, "not valid JSON (\(error.message) at byte \(error.offset))")
        }
        guard CanonicalJSON.encode(value) == bytes else {
            throw FormatError(.notCanonical, "not in RFC 8785 canonical form")
        }
        let fields = try FieldReader(value, what: "line")
        try fields.rejectUnknown(allowed: ["envelope", "hash", "payload", "seq", "signature"])
        let envelopeValue = try fields.require("envelope")
        guard case .object = envelopeValue else { throw FormatError(.invalidField, "\"envelope\" must be an object") }
        envelopeBytes = CanonicalJSON.encode(envelopeValue)
        envelope = try? EventEnvelope(canonicalBytes: envelopeBytes)
        hash = try fields.hexBytes("hash", count: 32)
        switch try fields.require("payload") {
        case .null: payloadBytes = nil
        case .object(let object): payloadBytes = CanonicalJSON.encode(.object(object))
        default: throw FormatError(.invalidField, "\"payload\" must be an object or null")
        }
        seq = try fields.integer("seq", minimum: 1)
        guard envelopeValue["seq"]?.integerValue == seq else {
            throw FormatError(.invalidField, "\"seq\" \(seq) is not the envelope's seq")
        }
        signature = try fields.hexBytes("signature", count: 64)
    }
}
