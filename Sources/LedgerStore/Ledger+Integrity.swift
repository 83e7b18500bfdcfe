internal import GRDB

extension Ledger {
    /// The seq of the last event, 0 when there is none, read without decoding that event:
    /// unlike `head()`, it answers for a ledger whose head row is damaged.
    public func lastSeq() async throws -> Int64 {
        try await StorageErrors.mapping(path: path) {
            try await database.read { db in try Self.headSeq(db) }
        }
    }

    /// `LedgerSnapshot.idempotencyKeyReuses(after:)`, from a read snapshot of its own.
    public func idempotencyKeyReuses(after seq: Int64 = 0) throws -> [IdempotencyKeyReuse] {
        try StorageErrors.mapping(path: path) {
            try database.read { db in try LedgerSnapshot(db: db, path: path).idempotencyKeyReuses(after: seq) }
        }
    }
}
