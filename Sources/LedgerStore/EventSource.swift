/// A store of one ledger's events that the verifier can read: a ledger file, an evidence
/// bundle, a database server.
///
/// Modelled on GRDB's `DatabaseReader`: the source only opens a consistent view
/// (`EventSnapshot`), and everything is read through that view, so a verification judges one
/// state of the ledger even while others append to it.
public protocol EventSource {
    /// Calls `body` with a view of the events that does not change while `body` runs: one read
    /// transaction of a database, or a file no one writes.
    /// - Throws: the source's own errors when it cannot be read (`LedgerError` for a ledger
    ///   file), and whatever `body` throws.
    func read<T>(_ body: (any EventSnapshot) throws -> T) throws -> T
}
