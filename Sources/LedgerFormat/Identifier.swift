/// The rules for names that reach terminals, HTML and logs: identities, event types, streams.
///
/// Restricting them to a small ASCII alphabet means no control character, bidi override or
/// look-alike can make one name display as another.
public enum Identifier {
    /// Identities: 1–128 of `A–Z a–z 0–9 . _ @ + -`, starting with a letter or digit.
    public static let identityRule = "1-128 characters of A-Z a-z 0-9 . _ @ + -, starting with a letter or digit"
    /// Tokens (event types, stream names): 1–128 of `A–Z a–z 0–9 . _ : - $`.
    public static let tokenRule = "1-128 characters of A-Z a-z 0-9 . _ : - $"

    /// Idempotency keys and correlation ids: 1–256 printable ASCII characters, no spaces.
    public static let referenceRule = "1-256 printable ASCII characters without spaces"

    public static func isValidReference(_ text: String) -> Bool {
        let bytes = text.utf8
        return (1...256).contains(bytes.count) && bytes.allSatisfy { (0x21...0x7E).contains($0) }
    }

    public static func isValidIdentity(_ text: String) -> Bool {
        let bytes = text.utf8
        guard (1...128).contains(bytes.count), let first = bytes.first, isAlphanumeric(first) else { return false }
        return bytes.allSatisfy { isAlphanumeric($0) || $0 == 0x2E || $0 == 0x5F || $0 == 0x40 || $0 == 0x2B || $0 == 0x2D }
    }

    public static func isValidToken(_ text: String) -> Bool {
        let bytes = text.utf8
        guard (1...128).contains(bytes.count) else { return false }
        return bytes.allSatisfy { isAlphanumeric($0) || $0 == 0x2E || $0 == 0x5F || $0 == 0x3A || $0 == 0x2D || $0 == 0x24 }
    }

    /// `text` with every character outside printable ASCII shown as `\u{XXXX}`, for messages
    /// that must quote untrusted input without letting it control the terminal.
    public static func printable(_ text: String, limit: Int = 80) -> String {
        var out = ""
        for scalar in text.unicodeScalars.prefix(limit) {
            if scalar.value >= 0x20 && scalar.value < 0x7F { out.unicodeScalars.append(scalar) }
            else { out += "\\u{\(String(scalar.value, radix: 16))}" }
        }
        return text.unicodeScalars.count > limit ? out + "…" : out
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }
}
