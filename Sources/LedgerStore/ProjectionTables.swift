public import LedgerDomain

/// The projection tables a database updates with every append, which verification holds to its
/// own replay of the events, request by request (docs/FORMAT.md §Projections).
public protocol ProjectionTables {
    /// Fails when the database predates the projection tables (opened read-only, not migrated).
    func requireProjectionTables() throws
    /// The highest seq the projection tables say they were built from, and the seq the
    /// recorded rebuild digest covers; nil where the tables do not exist.
    func projectionsReach() throws -> (tables: Int64, recorded: Int64?)?
    /// The seq of the last event of `stream`.
    func lastSeq(stream: String) throws -> Int64?
    /// The rows the tables hold for `projection`'s request beside the rows the projection gives.
    func compareProjection(_ projection: RequestProjection) throws -> StoredProjectionComparison
    /// The rows of all projection tables together.
    func projectionRowCount() throws -> Int
    /// The digest of the projection tables as they stand, through the head.
    func projectionTablesDigest() throws -> ProjectionDigest
    /// What `ledger rebuild` last recorded, if anything.
    func recordedProjectionDigest() throws -> ProjectionDigest?
    /// The digest of a replay of events `1…through` into empty tables.
    func replayedProjectionDigest(through: Int64) throws -> ProjectionDigest
}
