internal import ApprovalLedger

/// Slack's v0 request signature ("Verifying requests from Slack"): `X-Slack-Signature` is
/// `v0=` and the lowercase hex HMAC-SHA256, under the app's signing secret, of
/// `v0:` + `X-Slack-Request-Timestamp` + `:` + the raw body. A timestamp more than five
/// minutes from now, either side, is refused, so a captured request cannot be replayed later.
/// Pure: the caller gives the time.
public struct SlackRequestSignature: Sendable {
    /// Why a request was refused; each is answered 401 and records nothing.
    public enum Failure: Error, Sendable, Hashable {
        /// A header is absent.
        case missing(String)
        /// The timestamp is not whole seconds, or the signature not `v0=` and 64 hex digits.
        case malformed(String)
        /// The timestamp is more than `tolerance` seconds from now.
        case stale(timestamp: Int64, now: Int64)
        /// The MAC does not match: not signed with this app's secret, or the body was changed.
        case mismatch

        /// The stable code of the 401 problem.
        public var code: String {
            switch self {
            case .missing, .malformed: "slack-signature-missing"
            case .stale: "slack-signature-stale"
            case .mismatch: "slack-signature-invalid"
            }
        }

        public var message: String {
            switch self {
            case .missing(let header): "the request has no \(header) header: only Slack's signed requests are served here"
            case .malformed(let what): "the request's \(what) is malformed: Slack sends v0=<64 hex digits> and whole seconds"
            case .stale(let timestamp, let now):
                "the request was signed at \(timestamp), \(abs(now - timestamp)) s from the server's clock (at most \(SlackRequestSignature.tolerance) s): a replay, or a clock to fix"
            case .mismatch: "the request signature does not match this app's signing secret"
            }
        }
    }

    /// Seconds a timestamp may lie from now, either side.
    public static let tolerance: Int64 = 300

    let signingSecret: [UInt8]

    public init(signingSecret: [UInt8]) {
        self.signingSecret = signingSecret
    }

    /// The signature Slack would send for `body` at `timestamp`.
    public func signature(timestamp: String, body: [UInt8]) -> String {
        "v0=" + Hex.encode(mac(timestamp: timestamp, body: body))
    }

    /// Checks a request's headers against its raw body at `now` (Unix seconds).
    /// - Throws: `Failure` saying why it is refused.
    public func verify(timestamp: String?, signature: String?, body: [UInt8], now: Int64) throws(Failure) {
        guard let timestamp else { throw .missing("X-Slack-Request-Timestamp") }
        guard let signature else { throw .missing("X-Slack-Signature") }
        guard !timestamp.isEmpty, timestamp.count <= 12, timestamp.allSatisfy(\.isASCII), let seconds = Int64(timestamp), seconds >= 0 else {
            throw .malformed("X-Slack-Request-Timestamp")
        }
        guard abs(now - seconds) <= Self.tolerance else { throw .stale(timestamp: seconds, now: now) }
        guard signature.hasPrefix("v0="), signature.utf8.count == 67, let given = Hex.decode(signature.dropFirst(3)), given.count == 32 else {
            throw .malformed("X-Slack-Signature")
        }
        guard HMACSHA256.constantTimeEqual(given, mac(timestamp: timestamp, body: body)) else { throw .mismatch }
    }

    private func mac(timestamp: String, body: [UInt8]) -> [UInt8] {
        HMACSHA256.mac(key: signingSecret, message: Array("v0:\(timestamp):".utf8) + body)
    }
}
