public import LedgerCrypto

/// The domain-separation prefixes: every hash the format defines starts with a line naming what
/// is hashed and the format version, so bytes of one kind can never be passed off as another.
public enum DomainSeparation {
    /// Prefix of an event-hash preimage: `approval-ledger/event/v1` and a line feed.
    public static let event = Array("approval-ledger/event/v1\n".utf8)
    /// Prefix of a checkpoint-hash preimage: `approval-ledger/checkpoint/v1` and a line feed.
    public static let checkpoint = Array("approval-ledger/checkpoint/v1\n".utf8)
    /// Prefix of a signed command statement: `approval-ledger/command/v1` and a line feed.
    public static let command = Array("approval-ledger/command/v1\n".utf8)

    /// SHA-256(event prefix ‖ canonical envelope bytes): the event hash, which is signed and
    /// which the next event names as `prevHash`.
    public static func eventHash(envelopeBytes: [UInt8]) -> SHA256Digest {
        hash(prefix: event, envelopeBytes)
    }

    /// SHA-256(checkpoint prefix ‖ canonical statement bytes).
    public static func checkpointHash(statementBytes: [UInt8]) -> SHA256Digest {
        hash(prefix: checkpoint, statementBytes)
    }

    /// SHA-256(command prefix ‖ canonical command statement): what a caller signs.
    public static func commandHash(statementBytes: [UInt8]) -> SHA256Digest {
        hash(prefix: command, statementBytes)
    }

    private static func hash(prefix: [UInt8], _ bytes: [UInt8]) -> SHA256Digest {
        let hasher = SHA256()
        hasher.update(prefix)
        hasher.update(bytes)
        return hasher.finalize()
    }
}
