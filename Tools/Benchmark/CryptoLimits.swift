import ApprovalLedger
import Dispatch
import Synchronization

/// The physical limits of this machine, measured through the library's own OpenSSL calls:
/// what the ledger could reach if signing, verifying or hashing were all it did. Messages are
/// 32 bytes, like the event hashes the ledger signs.
struct CryptoLimits {
    private let key: Ed25519PrivateKey
    private let samples: [(message: [UInt8], signature: [UInt8])]

    init() throws {
        key = try Ed25519PrivateKey()
        let key = key
        samples = try (0..<256).map { index -> (message: [UInt8], signature: [UInt8]) in
            let message = (0..<32).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ index) }
            return (message, try key.signature(for: message))
        }
    }

    /// Ed25519 signatures per second on one core (`Ed25519PrivateKey.signature(for:)`).
    func signsPerSecond(seconds: Double) throws -> Double {
        var message = [UInt8](repeating: 0xA5, count: 32)
        return try Stopwatch.rate(for: seconds) { call in
            message[0] = UInt8(truncatingIfNeeded: call)
            message[1] = UInt8(truncatingIfNeeded: call >> 8)
            _ = try key.signature(for: message)
        }
    }

    /// Ed25519 verifications per second on one core (`Ed25519PublicKey.isValidSignature`).
    func verifiesPerSecond(seconds: Double) throws -> Double {
        try Self.verifyRate(key.publicKey, samples, seconds: seconds)
    }

    /// Ed25519 verifications per second with `cores` threads verifying at once.
    func parallelVerifiesPerSecond(seconds: Double, cores: Int) throws -> Double {
        let perCore = Mutex<[Double]>([])
        let failure = Mutex<(any Error)?>(nil)
        let (publicKey, samples) = (key.publicKey, samples)
        DispatchQueue.concurrentPerform(iterations: cores) { _ in
            do {
                let rate = try Self.verifyRate(publicKey, samples, seconds: seconds)
                perCore.withLock { $0.append(rate) }
            } catch {
                failure.withLock { $0 = error }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        return perCore.withLock { $0.reduce(0, +) }
    }

    /// SHA-256 throughput over 1 MiB buffers (`SHA256.hash`), in GB/s (10^9 bytes).
    static func sha256GigabytesPerSecond(seconds: Double) -> Double {
        let buffer = [UInt8](repeating: 0x5A, count: 1 << 20)
        let hashes = Stopwatch.rate(for: seconds, round: 8) { _ in _ = SHA256.hash(buffer) }
        return hashes * Double(buffer.count) / 1e9
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
