#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file holding a secret (the Slack signing secret, the bot token) the way `KeyFile`
/// reads a private key: refused when group or others may access it, when it is not a regular
/// file, or when it is empty; its content trimmed of the trailing newline an editor adds.
enum SecretFile {
    struct ReadError: Error {
        let reason: String
    }

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
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw SlackConfigurationError(.unreadableSecretFile, "cannot read the secret file '\(path)': \(String(cString: strerror(errno)))", path: path)
        }
        let permissions = status.st_mode & 0o777
        if permissions & 0o077 != 0 {
            throw SlackConfigurationError(
                .insecureSecretFile,
                "permissions \(String(permissions, radix: 8)) are too open: a secret must not be accessible by group or others. Run: chmod 600 '\(path)'",
                path: path)
        }
        var bytes: [UInt8]
        do { bytes = try readAll(path) } catch let error as ReadError {
            throw SlackConfigurationError(.unreadableSecretFile, "cannot read the secret file: \(error.reason)", path: path)
        }
        while let last = bytes.last, last == 0x0A || last == 0x0D || last == 0x20 { bytes.removeLast() }
        guard !bytes.isEmpty else { throw SlackConfigurationError(.unreadableSecretFile, "the secret file is empty", path: path) }
        return bytes
    }

    /// The whole regular file at `path`, at most 64 KiB (a FIFO would block forever).
    static func readAll(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw ReadError(reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { throw ReadError(reason: "not a regular file") }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 { throw ReadError(reason: String(cString: strerror(errno))) }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
            guard bytes.count <= 64 * 1024 else { throw ReadError(reason: "larger than 64 KiB") }
        }
        return bytes
    }
}
