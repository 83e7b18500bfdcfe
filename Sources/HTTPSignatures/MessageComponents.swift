/// An HTTP request as RFC 9421 sees it: what the derived components come from, and its fields.
///
/// Both sides build one: the client from the URL it sends to, the server from the request line
/// and `Host` it received. No body: a body is bound through `Content-Digest`, a covered field.
public struct MessageComponents: Sendable {
    /// The method, as sent (`POST`).
    public var method: String
    /// The scheme, e.g. `https`.
    public var scheme: String
    /// The authority as sent in `Host` (or `:authority`), e.g. `example.com` or `127.0.0.1:8480`.
    public var authority: String
    /// The absolute path, percent-encoded as sent; empty means `/`.
    public var path: String
    /// The query without its `?`, percent-encoded as sent; nil when the target has no `?`.
    public var query: String?
    /// The header fields in the order received; names in any case.
    public var fields: [(name: String, value: String)]

    /// A request from its parts.
    public init(
        method: String, scheme: String, authority: String, path: String, query: String?,
        fields: [(name: String, value: String)]
    ) {
        self.method = method
        self.scheme = scheme
        self.authority = authority
        self.path = path
        self.query = query
        self.fields = fields
    }

    /// A request to the absolute URL `targetURI` (`scheme://authority/path?query`; a fragment is
    /// dropped), taken as written: it is not decoded or normalised, so sign what you send.
    /// - Throws: `HTTPSignatureError.invalidComponentValue` when it is not an absolute URL.
    public init(method: String, targetURI: String, fields: [(name: String, value: String)]) throws {
        guard let schemeEnd = targetURI.range(of: "://") else {
            throw HTTPSignatureError(.invalidComponentValue, "'\(targetURI)' is not an absolute URL")
        }
        let scheme = String(targetURI[..<schemeEnd.lowerBound])
        var rest = targetURI[schemeEnd.upperBound...]
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        let authority = String(rest[..<authorityEnd])
        guard !scheme.isEmpty, !authority.isEmpty else {
            throw HTTPSignatureError(.invalidComponentValue, "'\(targetURI)' has no scheme or no host")
        }
        let target = rest[authorityEnd...]
        let path: Substring, query: String?
        if let question = target.firstIndex(of: "?") {
            path = target[..<question]
            query = String(target[target.index(after: question)...])
        } else {
            path = target
            query = nil
        }
        self.init(method: method, scheme: scheme, authority: authority, path: String(path), query: query, fields: fields)
    }

    /// The values of every field named `name` (case-insensitive), in order.
    public func values(of name: String) -> [String] {
        let lowered = name.lowercased()
        return fields.filter { $0.name.lowercased() == lowered }.map(\.value)
    }
}
