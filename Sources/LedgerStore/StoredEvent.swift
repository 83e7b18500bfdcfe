internal import GRDB
internal import LedgerCrypto
internal import LedgerFormat

/// One row of the events table exactly as stored, columns and bytes, before any check. The
/// verifier works from this, never from a decoded envelope it has not re-derived itself.
public struct StoredEvent: Sendable, Equatable {
    public let seq: Int64
    public let hash: [UInt8]
    public let previousHash: [UInt8]
    public let stream: String
    public let streamVersion: Int64
    public let type: String
    public let actor: String
    public let keyID: String
    public let time: String
    public let idempotencyKey: String?
    public let correlationID: String?
    public let envelopeBytes: [UInt8]
    public let signature: [UInt8]
    /// nil when the payload row is absent (redacted or removed).
    public let payloadBytes: [UInt8]?

    /// Every read of events goes through this selection (or `inLedger`): the ledger is the
    /// rows numbered 1, 2, 3…, and a row with any other seq, which no writer makes, is not
    /// part of it for any command, projection or verifier (`ledger verify` reports it as
    /// `seq-invalid`). Callers append `AND …` conditions.
    static let selection = """
        SELECT e.seq, e.hash, e.prev_hash, e.stream, e.stream_version, e.type, e.actor, e.key_id, e.time,
               e.idempotency_key, e.correlation_id, e.envelope, e.signature, p.bytes
        FROM events e LEFT JOIN payloads p ON p.seq = e.seq
        WHERE \(inLedger)
        """

    /// The condition that keeps a row of `events` (aliased `e`) inside the ledger.
    static let inLedger = "e.seq >= 1"

    /// A row from another backend's columns (PostgreSQL), copied as they are.
    public init(
        seq: Int64, hash: [UInt8], previousHash: [UInt8], stream: String, streamVersion: Int64, type: String, actor: String, keyID: String,
        time: String, idempotencyKey: String?, correlationID: String?, envelopeBytes: [UInt8], signature: [UInt8], payloadBytes: [UInt8]?
    ) {
        self.seq = seq
        self.hash = hash
        self.previousHash = previousHash
        self.stream = stream
        self.streamVersion = streamVersion
        self.type = type
        self.actor = actor
        self.keyID = keyID
        self.time = time
        self.idempotencyKey = idempotencyKey
        self.correlationID = correlationID
        self.envelopeBytes = envelopeBytes
        self.signature = signature
        self.payloadBytes = payloadBytes
    }

    init(row: Row) {
        // Read every column defensively: a tampered file may hold any type anywhere, and the
        // verifier must report that rather than trap.
        seq = Self.integer(row, 0) ?? 0
        hash = Self.bytes(row, 1)
        previousHash = Self.bytes(row, 2)
        stream = Self.text(row, 3) ?? ""
        streamVersion = Self.integer(row, 4) ?? 0
        type = Self.text(row, 5) ?? ""
        actor = Self.text(row, 6) ?? ""
        keyID = Self.text(row, 7) ?? ""
        time = Self.text(row, 8) ?? ""
        idempotencyKey = Self.text(row, 9)
        correlationID = Self.text(row, 10)
        envelopeBytes = Self.bytes(row, 11)
        signature = Self.bytes(row, 12)
        payloadBytes = row.hasNull(atIndex: 13) ? nil : Self.bytes(row, 13)
    }

    private static func text(_ row: Row, _ index: Int) -> String? {
        String.fromDatabaseValue(row[index] as DatabaseValue)
    }

    private static func integer(_ row: Row, _ index: Int) -> Int64? {
        guard case .int64(let value) = (row[index] as DatabaseValue).storage else { return nil }
        return value
    }

    /// The column's bytes, copied once straight out of SQLite (a text or number in a blob
    /// column comes back as its text form, which no check will accept).
    private static func bytes(_ row: Row, _ index: Int) -> [UInt8] {
        (try? row.withUnsafeData(atIndex: index) { data in data.map { [UInt8]($0) } ?? [] }) ?? []
    }

    /// Decodes and cross-checks the row into a `RecordedEvent` (used by readers, not the verifier).
    func recordedEvent() throws -> RecordedEvent {
        let envelope: EventEnvelope
        do { envelope = try EventEnvelope(canonicalBytes: envelopeBytes) } catch {
            throw LedgerError(.invalidEvent, "stored event \(seq) is corrupt: \(error.message). Run `ledger verify`.", seq: seq)
        }
        guard let hash = SHA256Digest(bytes: hash) else {
            throw LedgerError(.invalidEvent, "stored event \(seq) has a malformed hash. Run `ledger verify`.", seq: seq)
        }
        // A payload row that is not the one the envelope commits to is no payload at all: the
        // commands and the verifier read the event alike, as if the payload were absent.
        let payload = payloadBytes.flatMap { SHA256.hash($0) == envelope.payloadHash ? $0 : nil }
        return RecordedEvent(envelope: envelope, envelopeBytes: envelopeBytes, hash: hash, signature: signature, payloadBytes: payload)
    }
}
