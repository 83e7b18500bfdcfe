internal import GRDB

/// One SQLite transaction of a group commit, as the writes in it see it: the writer
/// connection, and the appender every write of the batch shares, so that each write chains
/// onto the one before it (head, stream versions, keys) without reading them back.
///
/// Valid only on the writer, while the batch runs; not `Sendable`.
final class WriteBatch {
    let db: Database
    let appender: Appender
    /// The head's seq when the batch began: events up to it are committed. Events the batch
    /// appended are not, until its commit: what outlives the transaction (the policy cache,
    /// the key timeline) may only be derived from events at or below this seq.
    let committedSeq: Int64

    init(db: Database, configuration: LedgerConfiguration, signedKeys: SignedKeys, ledgerID: String) throws {
        self.db = db
        appender = Appender(storage: SQLiteAppendStorage(db: db), configuration: configuration, signedKeys: signedKeys)
        appender.ledgerID = ledgerID
        committedSeq = try appender.head()?.seq ?? 0
    }
}
