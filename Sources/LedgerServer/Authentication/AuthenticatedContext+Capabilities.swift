public import ApprovalLedger
import Hummingbird

extension AuthenticatedContext {
    /// The caller, who must have proved who it is (not anonymous): what every write needs.
    /// - Throws: 401 `authentication-required` for an anonymous caller.
    public func requireAuthenticated() throws -> Caller {
        guard let caller, caller.credential != .anonymous else {
            throw AuthenticationMiddleware<Self>.unauthenticated(
                "authentication-required", "this needs credentials: a bearer token or an HTTP message signature (anonymous callers may only read)")
        }
        return caller
    }

    /// The caller, who must hold `capability` (or `admin`, which implies every capability).
    /// - Throws: 401 as `requireAuthenticated`; 403 `capability-missing`.
    public func requireCapability(_ capability: Capability) throws -> Caller {
        let caller = try requireAuthenticated()
        guard caller.capabilities.contains(capability) || caller.capabilities.contains(.admin) else {
            throw Problem(
                status: .forbidden, code: "capability-missing",
                detail: "\(Identifier.printable(caller.identity))'s credential lacks the \(capability) capability this needs; create a token with `--capability \(capability)` (or register the key with it)")
        }
        return caller
    }
}
