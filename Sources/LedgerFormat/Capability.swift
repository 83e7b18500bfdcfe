/// What a registered key may append. Checked by the appender and again by the verifier.
public struct Capability: RawRepresentable, Sendable, Hashable, Comparable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Ledger administration: keys, policies, identity links. Implies every other capability.
    public static let admin = Capability(rawValue: "admin")
    /// Opening, commenting on and cancelling approval requests.
    public static let request = Capability(rawValue: "request")
    /// Voting on approval requests.
    public static let approve = Capability(rawValue: "approve")
    /// Reporting executions, rollbacks and recoveries.
    public static let execute = Capability(rawValue: "execute")
    /// Appending event types this format does not define (service-specific events).
    public static let append = Capability(rawValue: "append")
    /// Keeping time: appending the outcomes a clock produces (expiries, escalations, timeout
    /// denials), as `ledger tick` and the server's sweeper do.
    public static let clock = Capability(rawValue: "clock")
    /// Relaying: appending events for an identity other than the key's own, each carrying an
    /// `origin` that says who asked and how (the server, for callers it authenticated).
    public static let relay = Capability(rawValue: "relay")
    /// Erasing a payload: appending the `payload.redacted` event that records the erasure
    /// (`ledger redact`). Kept apart from `append`, so that a service key cannot erase.
    public static let redact = Capability(rawValue: "redact")

    /// Every capability the format defines.
    public static let all: [Capability] = [.admin, .request, .approve, .execute, .append, .clock, .relay, .redact]
    /// What a key gets when registration names none.
    public static let defaults: [Capability] = [.request, .approve, .execute]

    /// Event types that record what the approval rules decided in consequence of another
    /// event (a decision, an expiry, a refused attempt). Whoever's action caused them signs
    /// them, whatever their capabilities; `ledger verify` re-derives each from the policy.
    public static let consequenceTypes: Set<String> = [
        "request.granted", "request.denied", "vote.rejected", "execution.refused",
    ]

    /// Event types only a clock produces: a request expired or escalated because its time
    /// came, not because anybody acted. Whoever appends them moves the ledger's time, so they
    /// need the `clock` capability (or `admin`).
    public static let clockTypes: Set<String> = ["request.expired", "request.escalated"]

    /// Event-type namespaces that only the approval workflow may append (through its own
    /// transaction API), never the generic append: their content must follow the policy.
    public static let workflowNamespaces: Set<String> = ["policy", "request", "vote", "review", "execution"]

    /// True when a key holding `capabilities` may append events on behalf of others.
    public static func mayRelay(_ capabilities: [Capability]) -> Bool {
        capabilities.contains(.admin) || capabilities.contains(.relay)
    }

    /// True when a key holding `capabilities` may append events of `type`.
    public static func allows(_ capabilities: [Capability], eventType type: String) -> Bool {
        guard let required = required(forEventType: type) else { return true }
        return capabilities.contains(.admin) || capabilities.contains(required)
    }

    /// The capability an event type requires, by its first dotted component; nil for
    /// consequence types, which any registered key may sign.
    public static func required(forEventType type: String) -> Capability? {
        if consequenceTypes.contains(type) { return nil }
        if clockTypes.contains(type) { return .clock }
        return switch type.prefix(while: { $0 != "." }) {
        case "ledger", "key", "policy", "identity": .admin
        case "request": .request
        case "vote", "review": .approve
        case "execution": .execute
        case "payload": .redact
        default: .append
        }
    }
}
