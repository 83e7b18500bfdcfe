internal import CLibCrypto

/// Memory BIO helpers for PEM encoding and decoding.
enum BIO {
    /// Runs `body` with a read-only memory BIO over `bytes`.
    static func reading<Result>(_ bytes: [UInt8], _ body: (OpaquePointer) throws -> Result) throws -> Result {
        try bytes.withUnsafeBytes { buffer in
            let bio = try OpenSSL.check(BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)), "creating a memory BIO")
            defer { BIO_free(bio) }
            return try body(bio)
        }
    }

    /// Runs `body` with an empty memory BIO and returns what it wrote.
    /// `secure` uses OpenSSL's secure-heap BIO, whose memory is cleansed on free.
    static func writing(secure: Bool = false, _ body: (OpaquePointer) throws -> Void) throws -> [UInt8] {
        let bio = try OpenSSL.check(BIO_new(secure ? BIO_s_secmem() : BIO_s_mem()), "creating a memory BIO")
        defer { BIO_free(bio) }
        try body(bio)
        let pending = Int(BIO_ctrl_pending(bio))
        var output = [UInt8](repeating: 0, count: pending)
        let read = output.withUnsafeMutableBytes { BIO_read(bio, $0.baseAddress, Int32(pending)) }
        guard read == pending else { throw OpenSSL.failure("reading a memory BIO") }
        return output
    }
}
