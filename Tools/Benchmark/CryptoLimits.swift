import ApprovalLedger
import Dispatch
import Synchronization

/// The physical limits of this machine, measured through the library's own OpenSSL calls:
/// what the ledger could reach if signing, verifying or hashing were all it did.
struct CryptoLimits {
    /// Ed25519 signatures per second on one core (`Ed25519PrivateKey.signature(for:)`).
    var signsPerSecond: Double
    /// Ed25519 verifications per second on one core (`Ed25519PublicKey.isValidSignature`).
    var verifiesPerSecond: Double
    /// Ed25519 verifications per second with every core verifying at once.
    var parallelVerifiesPerSecond: Double
    /// SHA-256 throughput over 1 MiB buffers (`SHA256.hash`), in GB/s (10^9 bytes).
    var sha256GigabytesPerSecond: Double

    /// Messages are 32 bytes, like the event hashes the ledger signs.
    static func measure(seconds: Double, cores: Int) throws -> CryptoLimits {
        let key = try Ed25519PrivateKey()
        var message = [UInt8](repeating: 0xA5, count: 32)
        let signs = try Stopwatch.rate(for: seconds) { call in
            message[0] = UInt8(truncatingIfNeeded: call)
            message[1] = UInt8(truncatingIfNeeded: call >> 8)
            _ = try key.signature(for: message)
        }

        let samples = try (0..<256).map { index -> (message: [UInt8], signature: [UInt8]) in
            let message = (0..<32).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ index) }
            return (message, try key.signature(for: message))
        }
        let publicKey = key.publicKey
        let verifies = try verifyRate(publicKey, samples, seconds: seconds)

        let perCore = Mutex<[Double]>([])
        let failure = Mutex<(any Error)?>(nil)
        DispatchQueue.concurrentPerform(iterations: cores) { _ in
            do {
                let rate = try verifyRate(publicKey, samples, seconds: seconds)
                perCore.withLock { $0.append(rate) }
            } catch {
                failure.withLock { $0 = error }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }

        let buffer = [UInt8](repeating: 0x5A, count: 1 << 20)
        let hashes = Stopwatch.rate(for: max(0.5, seconds / 2), round: 8) { _ in _ = SHA256.hash(buffer) }

        return CryptoLimits(
            signsPerSecond: signs, verifiesPerSecond: verifies,
            parallelVerifiesPerSecond: perCore.withLock { $0.reduce(0, +) },
            sha256GigabytesPerSecond: hashes * Double(buffer.count) / 1e9)
    }

    private static func verifyRate(
        _ key: Ed25519PublicKey, _ samples: [(message: [UInt8], signature: [UInt8])], seconds: Double
    ) throws -> Double {
        try Stopwatch.rate(for: seconds) { call in
            let sample = samples[call % samples.count]
            guard key.isValidSignature(sample.signature, for: sample.message) else {
                throw BenchmarkError.invalidRun("a freshly made Ed25519 signature did not verify")
            }
        }
    }
}
