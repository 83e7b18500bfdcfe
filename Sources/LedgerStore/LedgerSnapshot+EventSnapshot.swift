/// A ledger file's read snapshot is the verifier's event source with every capability: its
/// tables are the ones a hand edit can change beside the events.
extension LedgerSnapshot: EventSnapshot {
    public var eventTables: (any EventTables)? { self }
    public var storedTree: (any StoredTree)? { self }
    public var projectionTables: (any ProjectionTables)? { self }
}

extension LedgerSnapshot: EventTables {}
extension LedgerSnapshot: StoredTree {}
extension LedgerSnapshot: ProjectionTables {}
