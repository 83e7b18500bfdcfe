public import ApprovalLedger
public import Hummingbird

/// Who a request comes from, as the authentication middleware proved it: the ledger
/// identity it acts as, what it may do, and how it proved it.
public struct Caller: Sendable {
    public var identity: String
    public var capabilities: [Capability]
    public var credential: Credential

    public init(identity: String, capabilities: [Capability], credential: Credential) {
        self.identity = identity
        self.capabilities = capabilities
        self.credential = credential
    }
}

/// How a caller proved who it is.
public enum Credential: Sendable, Hashable {
    /// An HTTP message signature (RFC 9421) by this registered ledger key.
    case key(KeyID)
    /// A bearer token created with `ledger token create`, by its name.
    case token(name: String)
    /// No credentials, let in by `ledger serve --allow-anonymous` (reads only).
    case anonymous
}

/// A request context the authentication middleware can record the caller in.
public protocol AuthenticatedContext: RequestContext {
    var caller: Caller? { get set }
}
