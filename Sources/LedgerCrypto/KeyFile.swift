#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads and writes key files the way ssh does: a private key file must be private.
public enum KeyFile {
    /// Reads an Ed25519 private key from a PEM PKCS#8 file.
    ///
    /// - Throws: `CryptoError.insecureKeyFile` when group or others may read or write it (the
    ///   message gives the `chmod` that fixes it), `.keyFileIO` when it cannot be read,
    ///   `.invalidPEM` / `.invalidKey` when its content is not an Ed25519 private key.
    public static func readPrivateKey(atPath path: String) throws -> Ed25519PrivateKey {
        var status = stat()
        guard stat(path, &status) == 0 else { throw ioError("cannot read private key file '\(path)'") }
        let permissions = status.st_mode & 0o777
        if permissions & 0o077 != 0 {
            throw CryptoError(
                .insecureKeyFile,
                "permissions \(String(permissions, radix: 8, uppercase: false).leftPadded(to: 4)) for '\(path)' are too open: "
                    + "a private key must not be accessible by group or others. Run: chmod 600 '\(path)'")
        }
        var bytes = try readAll(path)
        defer { cleanseSecret(&bytes) }
        return try Ed25519PrivateKey(pemRepresentation: bytes)
    }

    /// Reads a shared secret (a webhook signing secret) from a file held to the same rule as a
    /// private key: nobody but its owner may read or write it. The caller cleanses the bytes.
    ///
    /// - Throws: `CryptoError.insecureKeyFile` when group or others may read or write it (the
    ///   message gives the `chmod` that fixes it), `.keyFileIO` when it cannot be read.
    public static func readSecret(atPath path: String) throws -> [UInt8] {
        var status = stat()
        guard stat(path, &status) == 0 else { throw ioError("cannot read secret file '\(path)'") }
        let permissions = status.st_mode & 0o777
        if permissions & 0o077 != 0 {
            throw CryptoError(
                .insecureKeyFile,
                "permissions \(String(permissions, radix: 8, uppercase: false).leftPadded(to: 4)) for '\(path)' are too open: "
                    + "a secret must not be accessible by group or others. Run: chmod 600 '\(path)'")
        }
        return try readAll(path)
    }

    /// Reads an Ed25519 public key from a PEM SPKI file.
    public static func readPublicKey(atPath path: String) throws -> Ed25519PublicKey {
        try Ed25519PublicKey(pemRepresentation: String(decoding: readAll(path), as: UTF8.self))
    }

    /// Writes `key` as PEM PKCS#8 to a new file created with mode 0600.
    /// - Throws: `CryptoError.keyFileIO` if the file already exists or cannot be written.
    public static func writePrivateKey(_ key: Ed25519PrivateKey, toPath path: String) throws {
        var pem = try key.pemRepresentation()
        defer { cleanseSecret(&pem) }
        try write(pem, toPath: path, mode: 0o600)
    }

    /// Writes `key` as PEM SPKI to a new file created with mode 0644.
    public static func writePublicKey(_ key: Ed25519PublicKey, toPath path: String) throws {
        try write(Array(key.pemRepresentation.utf8), toPath: path, mode: 0o644)
    }

    static func readAll(_ path: String) throws -> [UInt8] {
        // Non-blocking, then fstat: opening a FIFO for reading would wait for a writer forever.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw ioError("cannot open key file '\(path)'") }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw ioError("cannot read key file '\(path)'") }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw CryptoError(.keyFileIO, "key file '\(path)' is not a regular file (a FIFO, device, socket or directory): give the path of a PEM file")
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 { throw ioError("cannot read key file '\(path)'") }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
            guard bytes.count <= 64 * 1024 else {
                throw CryptoError(.keyFileIO, "key file '\(path)' is larger than 64 KiB: not a key file")
            }
        }
        cleanseSecret(&chunk)
        return bytes
    }

    static func write(_ bytes: [UInt8], toPath path: String, mode: mode_t) throws {
        // O_EXCL: never overwrite an existing key, and never follow a planted symlink.
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw ioError("cannot create key file '\(path)'") }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            guard written > 0 else { throw ioError("cannot write key file '\(path)'") }
            offset += written
        }
        guard fsync(fd) == 0 else { throw ioError("cannot flush key file '\(path)'") }
    }

    private static func ioError(_ what: String) -> CryptoError {
        CryptoError(.keyFileIO, "\(what): \(String(cString: strerror(errno)))")
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
