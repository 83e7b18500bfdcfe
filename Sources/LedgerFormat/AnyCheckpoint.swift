/// A checkpoint file of either form the ledger writes (docs/FORMAT.md §Checkpoints): what
/// `--anchor`, `--since-checkpoint` and `ledger prove` accept.
public enum AnyCheckpoint: Sendable, Hashable {
    /// The JSON checkpoint: the size and the head event's hash, signed, with its key.
    case chain(Checkpoint)
    /// The C2SP checkpoint note: the size and the Merkle tree's root, signed under the origin.
    case tree(TreeCheckpoint)

    public var size: Int64 {
        switch self {
        case .chain(let checkpoint): checkpoint.size
        case .tree(let checkpoint): checkpoint.size
        }
    }

    public var ledgerID: String {
        switch self {
        case .chain(let checkpoint): checkpoint.ledgerID
        case .tree(let checkpoint): checkpoint.ledgerID
        }
    }

    /// Reads either form: a note starts with its origin line, anything else is read as a
    /// JSON checkpoint.
    public init(fileBytes: [UInt8]) throws(FormatError) {
        self = TreeCheckpoint.isNote(fileBytes) ? .tree(try TreeCheckpoint(fileBytes: fileBytes)) : .chain(try Checkpoint(fileBytes: fileBytes))
    }

    /// The file's bytes.
    public var fileBytes: [UInt8] {
        switch self {
        case .chain(let checkpoint): checkpoint.fileBytes
        case .tree(let checkpoint): checkpoint.fileBytes
        }
    }
}
