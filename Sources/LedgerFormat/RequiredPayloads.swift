/// The payloads a ledger must keep: those of the events the rules are re-derived from.
///
/// A genesis, key or policy event, every event of the approval workflow, and a redaction
/// record carry what a later decision or check depends on (a key, a policy, a vote, a grant,
/// what was erased). Such a payload cannot be redacted from a ledger: `ledger verify` reports
/// its absence as `payload-missing`, an error, and replays the event as every command reads it
/// (with an empty payload), so an absent payload never switches a check off. Payloads of other
/// events (a service's own types) may be erased by a recorded redaction (`payload-redacted`,
/// information); one absent without that record is `payload-missing` too. An evidence bundle
/// may withhold any payload but the system ones; a request it withholds is reported as not
/// replayed.
public enum RequiredPayloads {
    /// The type namespaces (the part before the first `.`) whose payloads are required.
    public static let namespaces: Set<String> = Capability.workflowNamespaces.union(["ledger", "key", Redaction.namespace, IdentityLink.namespace])

    /// True when an event of `type` must keep its payload.
    public static func isRequired(eventType type: String) -> Bool {
        namespaces.contains(String(type.prefix { $0 != "." }))
    }
}
