internal import ApprovalLedger

/// A Standard Webhooks signing secret: `whsec_` and the base64 of 24 to 64 random bytes
/// (the specification's bounds), read from a file only its owner may read.
public struct WebhookSecret: Sendable {
    /// The HMAC key: the decoded bytes, not the text.
    let key: [UInt8]

    static let prefix = "whsec_"
    static let byteRange = 24...64

    /// The secret written as `text` (surrounding whitespace, such as the file's final newline,
    /// is ignored).
    /// - Throws: `WebhookConfigurationError` `secret-invalid` naming what is wrong (never the secret).
    public init(text: String, source: String) throws(WebhookConfigurationError) {
        let trimmed = text.trimmingWhitespace()
        guard trimmed.hasPrefix(Self.prefix) else {
            throw WebhookConfigurationError(.secretInvalid, "\(source) does not hold a Standard Webhooks secret: it must start with 'whsec_' and go on with base64 (e.g. `echo whsec_$(openssl rand -base64 32)`)")
        }
        guard let key = Base64.decode(trimmed.dropFirst(Self.prefix.count)) else {
            throw WebhookConfigurationError(.secretInvalid, "\(source): what follows 'whsec_' is not padded base64")
        }
        guard Self.byteRange.contains(key.count) else {
            throw WebhookConfigurationError(.secretInvalid, "\(source): the secret is \(key.count) bytes; Standard Webhooks secrets are 24 to 64 random bytes")
        }
        self.key = key
    }

    /// Reads the secret from `path`, refused when group or others may read it, like a key file.
    /// - Throws: `WebhookConfigurationError` `secret-file` (unreadable, too open) or `secret-invalid`.
    public init(path: String) throws(WebhookConfigurationError) {
        var bytes: [UInt8]
        do { bytes = try KeyFile.readSecret(atPath: path) } catch {
            throw WebhookConfigurationError(.secretFile, "secret_file: \((error as? any ClassifiedError)?.failureMessage ?? String(describing: error))")
        }
        defer { cleanseSecret(&bytes) }
        try self.init(text: String(decoding: bytes, as: UTF8.self), source: "secret file '\(path)'")
    }
}

extension String {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
