import LedgerCrypto

/// Reads a file holding a secret (the Slack signing secret, the bot token) with
/// `KeyFile.readSecret`, held to a private key's rule (refused when group or others may access
/// it, or when it is not a regular file), then trimmed of the trailing newline an editor adds.
enum SecretFile {
    /// The secret in the file `name`, resolved against the directory of `configuration`.
    static func secret(_ name: String, relativeTo configuration: String) throws -> [UInt8] {
        let path: String
        if name.hasPrefix("/") {
            path = name
        } else if let slash = configuration.lastIndex(of: "/") {
            path = configuration[...slash] + name
        } else {
            path = name
        }
        var bytes: [UInt8]
        do { bytes = try KeyFile.readSecret(atPath: path) } catch let error as CryptoError {
            throw SlackConfigurationError(error.code == .insecureKeyFile ? .insecureSecretFile : .unreadableSecretFile, error.message, path: path)
        }
        while let last = bytes.last, last == 0x0A || last == 0x0D || last == 0x20 { bytes.removeLast() }
        guard !bytes.isEmpty else { throw SlackConfigurationError(.unreadableSecretFile, "the secret file is empty", path: path) }
        return bytes
    }
}
