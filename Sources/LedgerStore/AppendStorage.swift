package import LedgerCrypto
package import LedgerDomain
package import LedgerFormat

/// What a backend does inside the one serialized write transaction that appends: the reads
/// the append rules need and the rows they write, nothing more. The rules themselves
/// (`Appender`, `LedgerTransaction`) are the same for every backend; SQLite
/// (`SQLiteAppendStorage`) and PostgreSQL (`PostgresAppendStorage`) only store.
///
/// Every call runs inside that transaction and blocks until done: the approval workflow
/// decides synchronously, between reads, and nothing else writes meanwhile. Reads see only
/// the ledger's rows (seq ≥ 1, `StoredEvent.inLedger`).
package protocol AppendStorage: AnyObject {
    /// The event with the highest seq: the one the next append chains onto.
    func headRow() throws -> HeadRow?
    /// The highest stream version of `stream`; nil when it has no events.
    func streamVersion(_ stream: String) throws -> Int64?
    func event(seq: Int64) throws -> StoredEvent?
    func event(idempotencyKey: String) throws -> StoredEvent?
    /// Every event of `stream`, in stream-version order.
    func events(stream: String) throws -> [StoredEvent]
    /// The seq of the latest event of `stream`.
    func lastSeq(stream: String) throws -> Int64?
    /// The type of `stream`'s first event (version 1), which says whether it is a request.
    func openingType(stream: String) throws -> String?
    /// Genesis and key events with `after < seq ≤ through`, by type or by stream
    /// (`SignedKeys`), in seq order.
    func keyEvents(after: Int64, through: Int64) throws -> [StoredEvent]
    /// `stream`'s events as the request projection reads them, in stream-version order.
    func requestEvents(stream: String) throws -> [RawRequestEvent]

    /// Writes an event and its payload.
    func insert(_ event: RecordedEvent) throws
    /// Records the genesis facts (`ledger_info`).
    func insertLedgerInfo(ledgerID: String, formatVersion: Int64) throws
    /// The key projection, a copy for people reading the tables (`SignedKeys` is the authority).
    func insertKey(_ registration: KeyRegistration, seq: Int64) throws
    func revokeKey(_ keyID: KeyID, seq: Int64) throws

    /// Removes every projection row of request `requestID`.
    func deleteProjection(requestID: String) throws
    /// Writes the rows of one request's projection (after `deleteProjection`).
    func insertProjection(_ projection: RequestProjection) throws
    /// Pending requests opened by `requester` with these fields, oldest first.
    func pendingRequestIDs(action: String, resource: String, environment: String, requester: String, summary: String) throws -> [String]
    func requestIDs(status: [String]) throws -> [String]

    /// Rows in the Merkle node table (`MerkleNodes`): the highest position plus one.
    func treeNodeCount() throws -> Int64
    /// The stored hash of interior node `position`, as stored (unchecked).
    func treeNode(position: Int64) throws -> [UInt8]?
    /// The stored hash of event `seq`, as stored (unchecked).
    func eventHash(seq: Int64) throws -> [UInt8]?
    func insertTreeNode(position: Int64, hash: SHA256Digest) throws
    /// Writes every interior node of the first `events` events' tree missing from the table.
    func fillTree(events: Int64) throws
}

/// The head event's columns an append chains onto, as stored.
package struct HeadRow {
    package var seq: Int64
    package var hash: [UInt8]
    package var time: String

    package init(seq: Int64, hash: [UInt8], time: String) {
        self.seq = seq
        self.hash = hash
        self.time = time
    }
}
