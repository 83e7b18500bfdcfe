/// The binding of an account in a chat workspace (`slack:T0123/U0456`) to a ledger identity,
/// recorded by an admin as an `identity.linked` event in `$identities` and ended by an
/// `identity.unlinked` one (docs/FORMAT.md §Identity links). A relay that records a chat
/// user's vote speaks for the identity the account is linked to at that seq, and a verifier
/// checks that it did: the relay vouches that the account pressed the button, the link says
/// whose account it is.
public struct IdentityLink: Sendable, Hashable {
    public static let linkedType = "identity.linked"
    public static let unlinkedType = "identity.unlinked"
    /// The stream of every link and unlink: a system stream, so every bundle carries them all.
    public static let stream = "$identities"
    /// The type namespace only `Ledger.link`/`unlink` append, never a raw append.
    public static let namespace = "identity"
    /// The relay channels whose `via` names an account that must be linked to the actor.
    public static let linkedChannels: Set<String> = ["slack"]
    public static let accountRule = "slack:<team id>/<user id>, each id 1-32 characters of A-Z and 0-9"

    /// `slack:T…/U…`.
    public var account: String
    /// The ledger identity whose account it is.
    public var identity: String

    public init(account: String, identity: String) {
        self.account = account
        self.identity = identity
    }

    /// True for `slack:<team>/<user>` with upper-case letters and digits, as Slack writes ids.
    public static func isAccount(_ text: String) -> Bool {
        guard text.hasPrefix("slack:") else { return false }
        let parts = text.dropFirst("slack:".count).split(separator: "/", omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy { part in
            (1...32).contains(part.count) && part.utf8.allSatisfy { (0x41...0x5A).contains($0) || (0x30...0x39).contains($0) }
        }
    }

    /// True when a relayed event through `via` speaks for a linked account: its actor must be
    /// the identity the account is linked to (or the relay itself, for an unlinked account).
    public static func namesAccount(via: String) -> Bool {
        linkedChannels.contains(String(via.prefix { $0 != ":" }))
    }

    public var jsonValue: JSONValue {
        ["account": .string(account), "identity": .string(identity)]
    }

    public init(_ value: JSONValue) throws(FormatError) {
        let fields = try FieldReader(value, what: "identity link")
        try fields.rejectUnknown(allowed: ["account", "identity"])
        account = try fields.string("account")
        guard Self.isAccount(account) else { throw FormatError(.invalidField, "identity link account must be \(Self.accountRule)") }
        identity = try fields.identity("identity")
    }

    /// The payload of `identity.unlinked`.
    public static func unlinkPayload(account: String, reason: String) -> JSONValue {
        ["account": .string(account), "reason": .string(reason)]
    }
}

/// The links in force, as the `$identities` events are applied in seq order. The same rules
/// for the writer (which refuses) and the verifier (which reports).
public struct IdentityLinkTable: Sendable, Hashable {
    /// Account → identity.
    public private(set) var links: [String: String] = [:]

    public init() {}

    /// The identity `account` is linked to, if any.
    public func identity(of account: String) -> String? { links[account] }

    /// The accounts linked to `identity`, sorted.
    public func accounts(of identity: String) -> [String] {
        links.filter { $0.value == identity }.map(\.key).sorted()
    }

    /// Applies an `identity.linked` or `identity.unlinked` payload.
    /// - Throws: `FormatError` for a malformed payload, a link of an account already linked
    ///   (unlink it first), an unlink of an account not linked, or another type.
    public mutating func apply(type: String, payload: JSONValue) throws(FormatError) {
        switch type {
        case IdentityLink.linkedType:
            let link = try IdentityLink(payload)
            if let current = links[link.account] {
                throw FormatError(.invalidField, "account \(link.account) is already linked to '\(current)': unlink it first")
            }
            links[link.account] = link.identity
        case IdentityLink.unlinkedType:
            let fields = try FieldReader(payload, what: "identity unlink")
            try fields.rejectUnknown(allowed: ["account", "reason"])
            let account = try fields.string("account")
            _ = try fields.string("reason")
            guard links.removeValue(forKey: account) != nil else {
                throw FormatError(.invalidField, "account \(Identifier.printable(account)) is not linked, so it cannot be unlinked")
            }
        default:
            throw FormatError(.invalidField, "\(type) is not an identity link event")
        }
    }
}
