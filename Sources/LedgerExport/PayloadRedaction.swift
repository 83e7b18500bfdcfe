internal import LedgerFormat

/// Which payloads an export withholds although its scope covers them (selective disclosure).
///
/// A withheld payload is left out (`"payload": null`) while the envelope, which commits to the
/// payload's SHA-256, its hash and its signature stay in: the export still verifies, and each
/// withheld payload is reported as `payload-redacted`. The commitment covers the whole payload,
/// so format version 1 cannot disclose some of its fields and withhold others: redacting a
/// field withholds every payload that has it.
public struct PayloadRedaction: Sendable, Hashable {
    /// Withhold every payload except those of system events (`$ledger`, `$keys`, `$policy`),
    /// without which keys and policies could not be checked.
    public var allPayloads: Bool
    /// Withhold every payload that has one of these top-level members (e.g. `reason`).
    public var fields: Set<String>

    public init(allPayloads: Bool = false, fields: Set<String> = []) {
        self.allPayloads = allPayloads
        self.fields = fields
    }

    /// Discloses everything in scope.
    public static let none = PayloadRedaction()

    public var isEmpty: Bool { !allPayloads && fields.isEmpty }

    /// True when `payload` (a non-system event's) must be withheld.
    func withholds(_ payload: JSONValue?) -> Bool {
        if allPayloads { return true }
        guard !fields.isEmpty, let object = payload?.objectValue else { return false }
        return object.keys.contains { fields.contains($0) }
    }
}
