internal import CLibCrypto

/// Overwrites secret bytes in place with zeros in a way the optimizer cannot remove.
public func cleanseSecret(_ bytes: inout [UInt8]) {
    bytes.withUnsafeMutableBytes { buffer in
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return }
        OPENSSL_cleanse(base, buffer.count)
    }
}

/// Compares two byte sequences in time that depends only on their length.
public func constantTimeEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
    guard lhs.count == rhs.count else { return false }
    return lhs.withUnsafeBytes { a in
        rhs.withUnsafeBytes { b in
            a.isEmpty || CRYPTO_memcmp(a.baseAddress, b.baseAddress, a.count) == 0
        }
    }
}
