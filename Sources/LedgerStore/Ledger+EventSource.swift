internal import GRDB

extension Ledger: EventSource {
    /// Calls `body` with a snapshot of the file: one read transaction, so a concurrent append
    /// is either wholly seen or not at all. SQLite failures, in `body` too, are `LedgerError`s.
    public func read<T>(_ body: (any EventSnapshot) throws -> T) throws -> T {
        try StorageErrors.mapping(path: path) {
            try database.read { db in try body(LedgerSnapshot(db: db, path: path)) }
        }
    }
}
