public import LedgerCrypto
public import LedgerFormat

/// What an export wrote, for the command's summary line and `--summary-format json`.
public struct ExportSummary: Sendable, Hashable {
    public var format: String
    public var path: String
    /// Events written (seq 1 through `end`).
    public var events: Int64 = 0
    public var end: Int64 = 0
    /// The event hash (recomputed) of event `end`.
    public var headHash: SHA256Digest?
    public var eventsInPeriod: Int64 = 0
    public var requests = 0
    public var disclosedPayloads: Int64 = 0
    public var withheldPayloads: Int64 = 0
    /// Payloads already erased from the ledger.
    public var absentPayloads: Int64 = 0
    public var bytes = 0
    /// Sizes of the checkpoints a bundle carries.
    public var checkpoints: [Int64] = []

    public init(format: String, path: String) {
        self.format = format
        self.path = path
    }

    mutating func count(_ event: ExportedEvent) {
        events += 1
        end = event.seq
        switch event.disclosure {
        case .disclosed: disclosedPayloads += 1
        case .withheld: withheldPayloads += 1
        case .absent: absentPayloads += 1
        }
    }

    public var jsonValue: JSONValue {
        [
            "format": .string(format), "path": .string(path), "events": .integer(events), "end": .integer(end),
            "headHash": headHash.map { .string($0.hex) } ?? .null,
            "eventsInPeriod": .integer(eventsInPeriod), "requests": .integer(Int64(requests)),
            "disclosedPayloads": .integer(disclosedPayloads), "withheldPayloads": .integer(withheldPayloads),
            "absentPayloads": .integer(absentPayloads), "bytes": .integer(Int64(bytes)),
            "checkpoints": .array(checkpoints.map { .integer($0) }),
        ]
    }
}
