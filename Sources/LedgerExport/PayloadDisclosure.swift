/// What an export does with one event's payload.
public enum PayloadDisclosure: String, Sendable, Hashable {
    /// Written out: the payload is in scope and not redacted.
    case disclosed
    /// Left out by this export (outside the scope, or redacted with `--redact-*`).
    case withheld
    /// Not in the ledger any more (erased before the export): nothing to disclose.
    case absent
}
