internal import GRDB

extension Ledger {
    /// The seq of the last event, 0 when there is none, read without decoding that event:
    /// unlike `head()`, it answers for a ledger whose head row is damaged.
    public func lastSeq() async throws -> Int64 {
        try await StorageErrors.mapping(path: path) {
            try await database.read { db in try Self.headSeq(db) }
        }
    }
}
