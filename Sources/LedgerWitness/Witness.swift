public import LedgerCrypto
public import LedgerFormat
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A running witness: its state directory, its key, and the `add-checkpoint` operation of
/// c2sp.org/tlog-witness, shared by `ledger witness cosign` and `ledger serve --witness`.
public struct Witness: Sendable {
    public let directory: WitnessDirectory
    public let identity: WitnessIdentity
    private let key: Ed25519PrivateKey
    private let clock: @Sendable () -> UInt64

    /// The system clock in POSIX seconds, what cosignatures are timestamped with.
    public static let systemClock: @Sendable () -> UInt64 = { UInt64(max(1, time(nil))) }

    /// Opens the witness in `directory` with its private key.
    /// - Throws: `WitnessError.notAWitness`, `.corruptState`, or `.wrongKey` when `key` is not
    ///   the key `witness.json` names.
    public init(directory: WitnessDirectory, key: Ed25519PrivateKey, clock: @escaping @Sendable () -> UInt64 = Witness.systemClock) throws(WitnessError) {
        let identity = try directory.identity()
        guard identity.cosignerKey.publicKey == key.publicKey else {
            throw WitnessError(
                .wrongKey,
                "this key (\(key.publicKey.keyID)) is not the witness's: \(directory.path)/witness.json names \(identity.cosignerKey); give the key the witness was set up with")
        }
        self.directory = directory
        self.identity = identity
        self.key = key
        self.clock = clock
    }

    /// Checks a request and, if every check passes, records the checkpoint and returns the
    /// witness's cosignature line for it. The record is replaced by compare-and-swap, so of two
    /// requests from one old size only one is cosigned; the other gets the 409.
    /// - Throws: `WitnessRefusal` (the protocol's refusals, with their status), `WitnessError`
    ///   when the state cannot be read or written, the crypto layer's error if signing fails.
    public func addCheckpoint(_ request: AddCheckpointRequest) throws -> SignedNote.Signature {
        let origin: String
        do { origin = try CheckpointText(text: request.checkpoint.text).origin } catch {
            throw WitnessRefusal(.malformedRequest, "the checkpoint's text is not a tlog-checkpoint: \(error.message)")
        }
        guard let log = try directory.log(origin: origin) else {
            throw WitnessRefusal(.unknownLog, "this witness does not know the log '\(Identifier.printable(origin))'; its operator adds it with `ledger witness add-log`")
        }
        let text = try log.check(request)
        let verified = try request.checkpoint.verified(by: log.logKeys)
        let timestamp = clock()
        let cosignature = try Cosignature.sign(request.checkpoint.text, timestamp: timestamp, name: identity.name, key: key)
        // What monitors fetch: the log's lines the witness verified, then its own.
        let logLines = request.checkpoint.signatures.filter { line in verified.contains { $0.name == line.name && $0.keyHash == line.keyHash } }
        let note = SignedNote(text: request.checkpoint.text, signatures: logLines + [cosignature])
        if let current = try directory.compareAndSwap(expected: log, new: log.advanced(to: text, note: note)) {
            throw WitnessRefusal(
                .sizeConflict, "another request advanced '\(Identifier.printable(origin))' to size \(current.size) first: send a proof from \(current.size)",
                currentSize: current.size)
        }
        return cosignature
    }

    /// `addCheckpoint` over a request body, answering the response body: the signature line.
    /// - Throws: as `addCheckpoint`, and `WitnessRefusal.malformedRequest` for a body that
    ///   does not parse.
    public func addCheckpoint(body: [UInt8]) throws -> [UInt8] {
        let request: AddCheckpointRequest
        do { request = try AddCheckpointRequest(body: body) } catch {
            throw WitnessRefusal(.malformedRequest, "the request body is not an add-checkpoint request: \(error.message)")
        }
        return Array(try addCheckpoint(request).line.utf8)
    }

    /// The latest cosigned checkpoint of the log whose origin hashes to `originHash` (lowercase
    /// hex SHA-256), for the monitoring endpoint; nil when none was cosigned.
    public func latestCheckpoint(originHash: String) throws(WitnessError) -> SignedNote? {
        try directory.logs().first { WitnessDirectory.originHash($0.origin) == originHash }?.checkpoint
    }
}
