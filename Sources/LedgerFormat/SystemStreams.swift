/// Streams whose names start with `$` belong to the ledger itself and hold only their own
/// event types; those types appear nowhere else. Checked by the appender and by the verifier.
public enum SystemStreams {
    static let owners: [String: Set<String>] = [
        KeyEvents.ledgerStream: [KeyEvents.genesisType],
        KeyEvents.keysStream: [KeyEvents.registeredType, KeyEvents.revokedType],
        "$policy": ["policy.published"],
        Redaction.stream: [Redaction.type],
        IdentityLink.stream: [IdentityLink.linkedType, IdentityLink.unlinkedType],
    ]

    /// Every system stream: the ledger's own history, which later events depend on.
    public static let all = owners.keys.sorted()

    /// Why `type` may not be appended to `stream`, or nil when it may.
    public static func violation(type: String, stream: String) -> String? {
        if let allowed = owners[stream] {
            return allowed.contains(type) ? nil : "stream \(stream) holds only \(allowed.sorted().joined(separator: ", ")) events, not \(type)"
        }
        if stream.hasPrefix("$") { return "stream names starting with $ are reserved for the ledger; \(stream) is not one of them" }
        if let (owner, _) = owners.first(where: { $0.value.contains(type) }) {
            return "\(type) events belong in stream \(owner), not \(stream)"
        }
        return nil
    }
}
